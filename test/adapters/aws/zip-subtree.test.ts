import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipArchiveError, zipEntries, zipSubtree } from '../../../adapters/aws/zip-subtree.js';

// A forge-style archive made by `zip` to stdout: one top-level directory, data descriptors, and the commit id as
// the archive comment, like a GitHub zipball.
const ZIPBALL = readFileSync(join(import.meta.dirname, 'fixtures/zipball.zip'));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Buffer) => {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** Every file of a zip with its content, checked against the CRC its directory records. */
function unzip(zip: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of zipEntries(zip)) {
    if (e.name.endsWith('/')) continue;
    const start =
      e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
    const raw = zip.subarray(start, start + e.compressedSize);
    const data = e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(crc32(data), `CRC of ${e.name}`).toBe(e.crc);
    expect(data.length).toBe(e.size);
    out[e.name] = data.toString('utf8');
  }
  return out;
}

describe('zipSubtree', () => {
  it('keeps one directory of a forge archive, renamed relative to it, data intact', () => {
    const files = unzip(zipSubtree(ZIPBALL, 'services/api'));
    expect(Object.keys(files).sort()).toEqual(['Dockerfile', 'data.txt', 'image-tests.yaml']);
    expect(files.Dockerfile).toBe('FROM docker.io/library/node:20\nCOPY . /app\n');
    expect(files['data.txt']!.split('\n')).toHaveLength(2001);
  });

  it('keeps the whole tree, minus the wrapping directory, for a definition at the root', () => {
    const files = unzip(zipSubtree(ZIPBALL, ''));
    expect(Object.keys(files).sort()).toEqual([
      'Dockerfile',
      'docs/README.md',
      'services/api/Dockerfile',
      'services/api/data.txt',
      'services/api/image-tests.yaml',
      'services/worker/Dockerfile',
    ]);
  });

  it('does not take a sibling whose name starts like the directory', () => {
    expect(Object.keys(unzip(zipSubtree(ZIPBALL, 'services/work')))).toEqual([]);
    expect(Object.keys(unzip(zipSubtree(ZIPBALL, 'services/worker')))).toEqual(['Dockerfile']);
  });

  it('writes sizes into the local headers and drops the data descriptor flag', () => {
    const out = zipSubtree(ZIPBALL, 'services/api');
    for (const e of zipEntries(out)) {
      expect(e.flags & 0x0008).toBe(0);
      expect(out.readUInt32LE(e.localOffset + 18)).toBe(e.compressedSize);
    }
  });

  it('refuses what is not a zip', () => {
    expect(() => zipSubtree(Buffer.from('PK but not really a zip archive at all'), '')).toThrow(
      ZipArchiveError,
    );
    expect(() => zipSubtree(ZIPBALL.subarray(0, ZIPBALL.length - 60), '')).toThrow(ZipArchiveError);
  });
});
