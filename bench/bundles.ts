// Bundles every Lambda entry (lambdas/*.ts and the step functions' lambdas/steps/*.ts) the way infra/constructs/pipeline-function.ts has CDK bundle it
// (esbuild, ESM, minified, module-first main fields, the AWS SDK bundled, a createRequire banner, an external
// source map), zips each as deployed, and measures the module's init time in fresh Node processes.
// It also measures the gate with a V8 code cache (see CODE_CACHE_LOADER) next to its plain ESM bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_ENV as FUNCTION_ENV } from '../test/fixtures/lambda-env.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_ZIPPED_KB = 1024;
const TARGET_INIT_MS = 150;

// Every variable the functions read, plus the region and dummy credentials the SDK clients want at init.
const LAMBDA_ENV: Record<string, string> = {
  ...FUNCTION_ENV,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'drydock',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

interface Row {
  readonly name: string;
  readonly minifiedKb: number;
  readonly zippedKb: number;
  readonly zippedWithMapKb: number;
  readonly initMs: number;
  readonly initMinMs: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

const hasZip = spawnSync('zip', ['-v'], { stdio: 'ignore' }).status === 0;

// The size of a zip of these files: the zip CLI (deflate, as CDK's asset zips are) when installed, else the
// sum of raw-deflated sizes plus zip's per-entry overhead, which is within a few hundred bytes of it.
function zippedSize(dir: string, files: readonly string[]): number {
  if (hasZip) {
    const out = join(dir, `${files.join('+')}.zip`);
    rmSync(out, { force: true });
    execFileSync('zip', ['-q', '-X', '-9', out, ...files], { cwd: dir });
    return statSync(out).size;
  }
  return files.reduce(
    (sum, f) => sum + deflateRawSync(readFileSync(join(dir, f)), { level: 9 }).length + 76 + 2 * f.length,
    22,
  );
}

// Init time: from just before `import()` of the bundle to its resolution, in a fresh process each run, with the
// flags the deployed functions have: no --enable-source-maps (the stack deploys no map; with the flag Node would
// read and parse the external map here at load, a cost Lambda never pays).
function initTimes(file: string, runs = RUNS, extraEnv: Record<string, string> = {}): number[] {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(file)}); console.log(JSON.stringify({ ms: performance.now() - t0 }));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        ...LAMBDA_ENV,
        AWS_LAMBDA_FUNCTION_NAME: `bench-${basename(file)}`,
        ...extraEnv,
      },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`importing ${file} failed:\n${run.stderr}`);
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    times.push((JSON.parse(last) as { ms: number }).ms);
  }
  return times.sort((a, b) => a - b);
}

// The gate with a V8 code cache (the cold-start target): the same bundle as CommonJS, loaded by a small
// ESM index.mjs that compiles it through vm.Script with the cached data produced by one init on this very Node
// (cached data is only valid for the exact Node/V8 version, architecture and flags that wrote it; V8 refuses any
// other and the loader then compiles from source, so a stale cache costs time, never correctness).
const CODE_CACHE_LOADER = `import { readFileSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import vm from 'node:vm';
const file = new URL('./handler.cjs', import.meta.url).pathname;
let cachedData;
try { cachedData = readFileSync(file + '.cache'); } catch {}
const script = new vm.Script(module.wrap(readFileSync(file, 'utf8')), {
  filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const cjs = { exports: {} };
script.runInThisContext()(cjs.exports, createRequire(file), cjs, file, new URL('.', import.meta.url).pathname);
if (process.env.DRYDOCK_WRITE_CODE_CACHE) writeFileSync(file + '.cache', script.createCachedData());
export const handler = cjs.exports.handler;
`;

async function codeCacheInit(entry: string, dir: string): Promise<{ times: number[]; cacheKb: number }> {
  mkdirSync(dir);
  await build({
    entryPoints: [join(ROOT, 'lambdas', entry)],
    outfile: join(dir, 'handler.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // import() of Node built-ins becomes require(): vm.Script would need an experimental loader for it.
    supported: { 'dynamic-import': false },
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'index.mjs'), CODE_CACHE_LOADER);
  // Produced as the deploy step would: one init on the runtime's own Node.
  initTimes(join(dir, 'index.mjs'), 1, { DRYDOCK_WRITE_CODE_CACHE: '1' });
  return {
    times: initTimes(join(dir, 'index.mjs')),
    cacheKb: kb(statSync(join(dir, 'handler.cjs.cache')).size),
  };
}

async function main(): Promise<void> {
  const listed = (dir: string) =>
    readdirSync(join(ROOT, 'lambdas', dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => (dir === '' ? f : `${dir}/${f}`));
  const entries = [
    ...listed(''),
    ...(existsSync(join(ROOT, 'lambdas', 'steps')) ? listed('steps') : []),
  ].sort();
  // The step functions' entries are lambdas/steps/<step>.ts since the step registry; before, lambdas/gate.ts.
  const gateEntry = entries.includes('steps/gate.ts') ? 'steps/gate.ts' : 'gate.ts';
  const work = mkdtempSync(join(tmpdir(), 'drydock-bundles-'));
  const rows: Row[] = [];
  let gateCache: { times: number[]; cacheKb: number } | undefined;
  try {
    for (const entry of entries) {
      const name = entry.replace(/\.ts$/, '').replace('/', '-');
      const dir = join(work, name);
      mkdirSync(dir);
      await build({
        entryPoints: [join(ROOT, 'lambdas', entry)],
        outfile: join(dir, 'index.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        // The deployed runtime is newer (infra: Node.js 24); node20 keeps the bundle runnable on this machine.
        target: 'node20',
        mainFields: ['module', 'main'],
        minify: true,
        keepNames: true,
        // The stack deploys no source map (infra/constructs/pipeline-function.ts); its size is shown apart.
        sourcemap: 'external',
        sourcesContent: false,
        banner: {
          js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        },
        tsconfig: join(ROOT, 'tsconfig.json'),
        logLevel: 'error',
      });
      const minified = statSync(join(dir, 'index.mjs')).size;
      const times = initTimes(join(dir, 'index.mjs'));
      rows.push({
        name,
        minifiedKb: kb(minified),
        zippedKb: kb(zippedSize(dir, ['index.mjs'])),
        zippedWithMapKb: kb(zippedSize(dir, ['index.mjs', 'index.mjs.map'])),
        initMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
        initMinMs: Math.round(times[0]! * 10) / 10,
      });
    }
    if (entries.includes(gateEntry))
      gateCache = await codeCacheInit(gateEntry, join(work, 'gate-code-cache'));
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }

  const header = [
    'function',
    'minified KB',
    'zipped KB',
    'zipped+map KB (not deployed)',
    `init ms (median of ${RUNS})`,
    'init ms (min)',
  ];
  const lines = rows.map((r) =>
    [r.name, r.minifiedKb, r.zippedKb, r.zippedWithMapKb, r.initMs, r.initMinMs].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log(
    `zip: ${hasZip ? 'the zip CLI, -9' : 'raw deflate sizes (no zip CLI)'}; init: fresh node ${process.version} per run, import() of the bundle with dummy env; targets: zipped < ${TARGET_ZIPPED_KB} KB, init < ${TARGET_INIT_MS} ms`,
  );
  const gateCacheMs = gateCache
    ? Math.round(gateCache.times[Math.floor(gateCache.times.length / 2)]! * 10) / 10
    : null;
  if (gateCache) {
    console.log(
      `gate with a V8 code cache (CommonJS bundle through vm.Script, cache ${gateCache.cacheKb} KB made by this Node): init median ${gateCacheMs} ms, min ${Math.round(gateCache.times[0]! * 10) / 10} ms`,
    );
  }
  const over = rows.filter((r) => r.zippedKb >= TARGET_ZIPPED_KB || r.initMs >= TARGET_INIT_MS);
  if (over.length > 0) console.log(`over target: ${over.map((r) => r.name).join(', ')}`);
  console.log(
    JSON.stringify({
      functions: rows.length,
      max_zipped_kb: Math.max(...rows.map((r) => r.zippedKb)),
      max_zipped_with_map_kb: Math.max(...rows.map((r) => r.zippedWithMapKb)),
      max_init_ms: Math.max(...rows.map((r) => r.initMs)),
      gate_init_ms:
        rows.find((r) => r.name === gateEntry.replace(/\.ts$/, '').replace('/', '-'))?.initMs ?? null,
      gate_code_cache_init_ms: gateCacheMs,
    }),
  );
}

await main();
