#!/usr/bin/env node
// The CLI is bundled into dist/ by `npm run build` (run by `npm install` through `prepare`).
//
// Start-up is most of a one-file `drydock lint`: compiling ~3 MB of bundled JavaScript costs more than the lint.
// So the CLI runs with a V8 code cache, kept next to the bundle (never in a shared temp dir: a code cache is
// executable code, so it must be no easier to write than the bundle itself):
// - Node ≥ 22.1: Node's own compile cache (module.enableCompileCache), which Node keys and checks itself;
// - Node 20: the single-file CommonJS bundle dist/drydock.cjs compiled through vm.Script with cachedData, the
//   cache stamped with Node's version, the architecture, V8's version and a CRC of the bundle and of itself.
// Any mismatch, corrupt cache, missing CRC support or DRYDOCK_CODE_CACHE=0 falls back to a plain compile.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import zlib from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const bundle = new URL('drydock.mjs', dist);
if (!existsSync(bundle)) {
  process.stderr.write('drydock: dist/drydock.mjs is missing; run `npm run build` in the drydock checkout\n');
  process.exit(2);
}

const MAGIC = 0x31434444; // "DDC1"
const enabled = process.env.DRYDOCK_CODE_CACHE !== '0';
const cjs = fileURLToPath(new URL('drydock.cjs', dist));
// On Node 20 the CommonJS bundle serves only the short, read-only commands whose start-up is most of their time;
// the daemon and the commands that change state run the ES module bundle the rest of the suite exercises (under
// the CommonJS bundle a lifted ban left an image refused by admission, found by test/e2e/ban-response.test.ts).
const SHORT_LIVED = new Set([
  'lint',
  'check',
  'rules',
  'policy',
  '--version',
  '-V',
  '--help',
  '-h',
  'help',
  undefined,
]);

if (enabled && typeof module.enableCompileCache === 'function') {
  module.enableCompileCache(fileURLToPath(new URL('.compile-cache', dist)));
  await import(bundle.href);
} else if (
  enabled &&
  SHORT_LIVED.has(process.argv[2]) &&
  typeof zlib.crc32 === 'function' &&
  existsSync(cjs)
) {
  runWithCodeCache(cjs, `${cjs}.cache`);
} else {
  await import(bundle.href);
}

// The cache file: magic, CRC of the payload, length of the key, the key, then V8's cached data.
function readCache(path, key) {
  let buf;
  try {
    buf = readFileSync(path);
  } catch {
    return undefined;
  }
  if (buf.length < 10 || buf.readUInt32LE(0) !== MAGIC) return undefined;
  const keyLength = buf.readUInt16LE(8);
  if (buf.subarray(10, 10 + keyLength).toString('latin1') !== key) return undefined;
  const data = buf.subarray(10 + keyLength);
  return zlib.crc32(data) === buf.readUInt32LE(4) ? data : undefined;
}

function writeCache(path, key, data) {
  const head = Buffer.alloc(10);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(zlib.crc32(data), 4);
  head.writeUInt16LE(Buffer.byteLength(key, 'latin1'), 8);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    // Written aside and renamed, so a concurrent run reads the old cache or the new one, never half of one.
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(key, 'latin1'), data]), { mode: 0o644 });
    renameSync(tmp, path);
  } catch {
    // A read-only install runs without a cache.
    rmSync(tmp, { force: true });
  }
}

function runWithCodeCache(file, cachePath) {
  const source = readFileSync(file, 'utf8');
  const key = `${process.version}|${process.arch}|${process.versions.v8}|${zlib.crc32(source)}`;
  const cachedData = readCache(cachePath, key);
  const script = new vm.Script(module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Taken at exit, the cache holds every function this run compiled, not just the top level.
    process.once('exit', () => writeCache(cachePath, key, script.createCachedData()));
  }
  const cjsModule = { exports: {} };
  script.runInThisContext()(cjsModule.exports, createRequire(file), cjsModule, file, dirname(file));
}
