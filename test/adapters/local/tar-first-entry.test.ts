import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type TarFirstEntryOptions,
  TarFirstEntryReader,
  TarFormatError,
} from '../../../adapters/local/tar-first-entry.js';

// Archives made by GNU tar in each of its formats, as the engines' Go writer makes ustar and PAX ones.
const dir = mkdtempSync(join(tmpdir(), 'drydock-tar-'));
const LONG = `${'deep/'.repeat(30)}file.txt`;
mkdirSync(join(dir, 'tree/sub'), { recursive: true });
writeFileSync(join(dir, 'tree/hello.txt'), 'hello\n');
writeFileSync(join(dir, 'tree/sub/inner.txt'), 'inner\n');
writeFileSync(join(dir, 'big.bin'), Buffer.alloc(3000, 7));
mkdirSync(join(dir, LONG, '..'), { recursive: true });
writeFileSync(join(dir, LONG), 'long\n');
symlinkSync('hello.txt', join(dir, 'tree/link'));
symlinkSync(LONG, join(dir, 'longlink'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tar(format: string, path: string, ...extra: string[]): Buffer {
  return execFileSync(
    'tar',
    ['-C', dir, `--format=${format}`, '--numeric-owner', ...extra, '-cf', '-', path],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

// Feeds the archive in chunks of the given size and returns the answer with how many bytes it took.
function firstEntry(archive: Buffer, options: TarFirstEntryOptions = {}, chunk = archive.length) {
  const reader = new TarFirstEntryReader(options);
  for (let at = 0; at < archive.length; at += chunk) {
    const answer = reader.push(archive.subarray(at, at + chunk));
    if (answer) return { ...answer, consumed: Math.min(at + chunk, archive.length) };
  }
  return { ...reader.end(), consumed: archive.length };
}

describe('TarFirstEntryReader', () => {
  it.each(['ustar', 'gnu', 'pax'])('reads a regular file and its body from a %s archive', (format) => {
    const archive = tar(format, 'tree/hello.txt', '--owner=1000', '--group=2000', '--mode=4750');
    const got = firstEntry(archive, { body: true });
    expect(got.entry).toEqual({
      name: 'tree/hello.txt',
      type: 'file',
      permissions: 0o4750,
      uid: 1000,
      gid: 2000,
      size: 6,
      linkName: '',
    });
    expect(got.body?.toString()).toBe('hello\n');
  });

  it('gives the same answer when the bytes arrive one at a time', () => {
    const archive = tar('pax', 'tree/hello.txt');
    expect(firstEntry(archive, { body: true }, 1)).toMatchObject({ body: Buffer.from('hello\n') });
  });

  it('answers a directory after its header, before its contents', () => {
    const archive = tar('ustar', 'tree', '--mode=1777');
    const got = firstEntry(archive, { body: true }, 512);
    expect(got.entry).toMatchObject({ name: 'tree/', type: 'directory', permissions: 0o1777, size: 0 });
    expect(got.body).toBeUndefined();
    expect(got.consumed).toBe(512);
  });

  it('answers with the header alone when no body is wanted', () => {
    const archive = tar('ustar', 'big.bin');
    expect(firstEntry(archive, {}, 512)).toMatchObject({ entry: { size: 3000 }, consumed: 512 });
  });

  it('leaves out the body of a file over the limit, without reading it', () => {
    const archive = tar('ustar', 'big.bin');
    const got = firstEntry(archive, { body: true, maxBodyBytes: 2999 }, 512);
    expect(got).toMatchObject({ entry: { type: 'file', size: 3000 }, consumed: 512 });
    expect(got.body).toBeUndefined();
    expect(firstEntry(archive, { body: true, maxBodyBytes: 3000 }).body).toHaveLength(3000);
  });

  it('reads a symbolic link and its target', () => {
    expect(firstEntry(tar('ustar', 'tree/link')).entry).toMatchObject({
      type: 'symlink',
      linkName: 'hello.txt',
      permissions: 0o777,
    });
  });

  it.each([
    ['pax', 'a path record'],
    ['gnu', 'a GNU long name'],
  ])('reads a name over 100 characters from %s (%s)', (format) => {
    expect(firstEntry(tar(format, LONG), { body: true })).toMatchObject({
      entry: { name: LONG, size: 5 },
      body: Buffer.from('long\n'),
    });
    expect(firstEntry(tar(format, 'longlink')).entry).toMatchObject({ type: 'symlink', linkName: LONG });
  });

  it('reads owners too large for octal: base-256 in gnu, a record in pax', () => {
    for (const format of ['gnu', 'pax']) {
      const archive = tar(format, 'tree/hello.txt', '--owner=4000000000', '--group=3000000000');
      expect(firstEntry(archive).entry, format).toMatchObject({ uid: 4000000000, gid: 3000000000 });
    }
  });

  it('treats an archive of zero blocks as empty, and a cut one as an error', () => {
    expect(new TarFirstEntryReader().end()).toBeUndefined();
    const empty = new TarFirstEntryReader();
    expect(empty.push(Buffer.alloc(1024))).toBeUndefined();
    expect(empty.end()).toBeUndefined();
    const cut = new TarFirstEntryReader({ body: true });
    expect(cut.push(tar('ustar', 'big.bin').subarray(0, 1000))).toBeUndefined();
    expect(() => cut.end()).toThrow('the body of big.bin is cut short');
    const half = new TarFirstEntryReader();
    half.push(tar('ustar', 'big.bin').subarray(0, 100));
    expect(() => half.end()).toThrow('the archive ends inside a 512-byte header (100 bytes)');
  });

  it('refuses bytes that are not a tar header', () => {
    const text = Buffer.alloc(512, 0);
    text.write('Error: "/x" could not be found on container abc: no such file or directory\n');
    expect(() => new TarFirstEntryReader().push(text)).toThrow(TarFormatError);
    const archive = tar('ustar', 'tree/hello.txt');
    archive[0] = 'X'.charCodeAt(0);
    expect(() => new TarFirstEntryReader().push(archive)).toThrow(/header checksum \d+ does not match/);
  });
});
