// Bundles every Lambda entry (lambdas/*.ts) the way infra/constructs/pipeline-function.ts has CDK bundle it
// (esbuild, ESM, minified, module-first main fields, the AWS SDK bundled, a createRequire banner, an external
// source map), zips each as deployed, and measures the module's init time in fresh Node processes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
function initTimes(file: string): number[] {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(file)}); console.log(JSON.stringify({ ms: performance.now() - t0 }));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        ...LAMBDA_ENV,
        AWS_LAMBDA_FUNCTION_NAME: `bench-${basename(file)}`,
      },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`importing ${file} failed:\n${run.stderr}`);
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    times.push((JSON.parse(last) as { ms: number }).ms);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const entries = readdirSync(join(ROOT, 'lambdas'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const work = mkdtempSync(join(tmpdir(), 'drydock-bundles-'));
  const rows: Row[] = [];
  try {
    for (const entry of entries) {
      const name = entry.replace(/\.ts$/, '');
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
  const over = rows.filter((r) => r.zippedKb >= TARGET_ZIPPED_KB || r.initMs >= TARGET_INIT_MS);
  if (over.length > 0) console.log(`over target: ${over.map((r) => r.name).join(', ')}`);
  console.log(
    JSON.stringify({
      functions: rows.length,
      max_zipped_kb: Math.max(...rows.map((r) => r.zippedKb)),
      max_zipped_with_map_kb: Math.max(...rows.map((r) => r.zippedWithMapKb)),
      max_init_ms: Math.max(...rows.map((r) => r.initMs)),
    }),
  );
}

await main();
