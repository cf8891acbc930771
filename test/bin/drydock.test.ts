import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dockerfile = join(root, 'bench/corpus/001-postgres-official-style.Dockerfile');
let work: string;
let cache: string;

// A checkout of its own: bin/drydock.js next to a fresh build, so the test never touches the shared dist/.
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'drydock-bin-'));
  mkdirSync(join(work, 'bin'));
  copyFileSync(join(root, 'bin/drydock.js'), join(work, 'bin/drydock.js'));
  writeFileSync(join(work, 'package.json'), readFileSync(join(root, 'package.json')));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], {
    env: { ...process.env, DRYDOCK_DIST: join(work, 'dist') },
  });
  cache = join(work, 'dist/drydock.cjs.cache');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lint = (env: Record<string, string> = {}): string =>
  execFileSync(
    process.execPath,
    [join(work, 'bin/drydock.js'), 'lint', '--format', 'json', '--no-fail', dockerfile],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  );

// The header bin/drydock.js writes: magic, CRC of the payload, key length, key.
function header(key: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt32LE(0x31434444, 0);
  head.writeUInt32LE(zlib.crc32(payload), 4);
  head.writeUInt16LE(key.length, 8);
  return Buffer.concat([head, Buffer.from(key, 'latin1')]);
}
const keyOf = (buf: Buffer): string => buf.subarray(10, 10 + buf.readUInt16LE(8)).toString('latin1');

// Node ≥ 22.1 uses Node's own compile cache instead; this file tests the Node 20 path.
describe.skipIf(typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function')(
  'bin/drydock.js code cache',
  () => {
    let expected: string;

    it('lints without a cache, writes one, and gives the same output with it', () => {
      expected = lint({ DRYDOCK_CODE_CACHE: '0' });
      expect(JSON.parse(expected).length).toBeGreaterThan(0);
      expect(existsSync(cache)).toBe(false);
      expect(lint()).toBe(expected);
      const written = readFileSync(cache);
      expect(keyOf(written)).toContain(`${process.version}|${process.arch}|${process.versions.v8}|`);
      const mtime = statSync(cache).mtimeMs;
      expect(lint()).toBe(expected);
      // An accepted cache is not rewritten.
      expect(statSync(cache).mtimeMs).toBe(mtime);
    });

    it('ignores a corrupt cache and replaces it', () => {
      const good = readFileSync(cache);
      const bad = Buffer.from(good);
      for (let i = good.length - 4096; i < good.length; i += 7) bad[i] = (bad[i] ?? 0) ^ 0xff;
      writeFileSync(cache, bad);
      expect(lint()).toBe(expected);
      expect(readFileSync(cache).equals(bad)).toBe(false);
      writeFileSync(cache, Buffer.from('not a cache at all'));
      expect(lint()).toBe(expected);
      expect(keyOf(readFileSync(cache))).toBe(keyOf(good));
    });

    it('ignores a cache stamped for another Node, architecture or bundle', () => {
      const good = readFileSync(cache);
      const payload = good.subarray(10 + good.readUInt16LE(8));
      for (const key of ['v18.20.0|x64|10.2|1', `${process.version}|s390x|${process.versions.v8}|1`]) {
        writeFileSync(cache, Buffer.concat([header(key, payload), payload]));
        expect(lint()).toBe(expected);
        expect(keyOf(readFileSync(cache))).toBe(keyOf(good));
      }
    });

    it('survives cached data that carries the right stamp but belongs to another script', () => {
      // Valid V8 data for a different source: only V8's own check can refuse it (cachedDataRejected).
      const foreign = new vm.Script('globalThis.pwned = 1;').createCachedData();
      const good = readFileSync(cache);
      writeFileSync(cache, Buffer.concat([header(keyOf(good), foreign), foreign]));
      expect(lint()).toBe(expected);
      expect(readFileSync(cache).length).toBeGreaterThan(foreign.length + 100);
    });
  },
);
