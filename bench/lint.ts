// npm run bench:lint — linter speed on the committed corpus (bench/corpus), against dockerfilelint.
// Prints figures, then one line of JSON: {files, files_per_s, p50_ms, p99_ms, dockerfilelint_files_per_s, ratio, …}.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintAll } from '../cli/lint-pool.js';
import { DEFAULT_CONFIG } from '../core/lint/config.js';
import { lintText } from '../core/lint/engine.js';

const root = join(import.meta.dirname, '..');
const corpusDir = join(root, 'bench/corpus');
const names = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort();
const files = names.map((n) => ({
  file: join(corpusDir, n),
  text: readFileSync(join(corpusDir, n), 'utf8'),
}));
const ROUNDS = 5;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

// 1. drydock in one thread, warm: per-file latency and throughput.
for (const f of files) lintText(f.text, f.file);
const perFile: number[] = [];
let findings = 0;
const t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) {
  for (const f of files) {
    const s = performance.now();
    findings += lintText(f.text, f.file).length;
    perFile.push(performance.now() - s);
  }
}
const singleMs = performance.now() - t0;
const singleRate = (files.length * ROUNDS) / (singleMs / 1000);
perFile.sort((a, b) => a - b);
console.log(`drydock, 1 thread, warm: ${files.length} files x ${ROUNDS}, ${round(singleRate, 0)} files/s`);
console.log(
  `  per file: p50 ${round(percentile(perFile, 50), 3)} ms, p99 ${round(percentile(perFile, 99), 3)} ms, max ${round(perFile.at(-1) ?? 0, 3)} ms; ${findings / ROUNDS} findings per round`,
);

// 2. drydock with the worker pool the CLI uses for many files (worker start-up included).
const workers = availableParallelism();
// Workers pay bundle load and JIT warm-up each, so the pool is measured where the CLI uses it: thousands of files.
const POOL_ROUNDS = 20;
const many = Array.from({ length: POOL_ROUNDS }, () => files).flat();
const bundle = pathToFileURL(join(root, 'dist/drydock.mjs'));
const tp = performance.now();
await lintAll(many, { config: DEFAULT_CONFIG }, () => ({}), { workers, workerUrl: bundle });
const poolRate = many.length / ((performance.now() - tp) / 1000);
console.log(
  `drydock, ${workers} worker threads (start-up included): ${many.length} files, ${round(poolRate, 0)} files/s`,
);

// 3. dockerfilelint over the same corpus in the same process.
const require = createRequire(import.meta.url);
const dockerfilelint = require('dockerfilelint') as {
  run: (configDir: string, content: string) => unknown[];
};
// dockerfilelint throws on some valid files (e.g. HEALTHCHECK forms it does not know); count those.
const crashed = new Set<string>();
const runDfl = (f: { file: string; text: string }) => {
  try {
    dockerfilelint.run(corpusDir, f.text);
  } catch {
    crashed.add(f.file);
  }
};
for (const f of files) runDfl(f);
const td = performance.now();
for (let r = 0; r < ROUNDS; r++) for (const f of files) runDfl(f);
const dflRate = (files.length * ROUNDS) / ((performance.now() - td) / 1000);
console.log(
  `dockerfilelint 1.8 (line regexes, no shell parsing), warm: ${round(dflRate, 0)} files/s; it threw on ${crashed.size} of ${files.length} files`,
);

// 4. The CLI end to end, one process, start-up included; the median of three runs, since one run varies.
const cliRuns: number[] = [];
for (let r = 0; r < 3; r++) {
  const tc = performance.now();
  execFileSync(
    process.execPath,
    [join(root, 'bin/drydock.js'), 'lint', '--format', 'json', '--no-fail', corpusDir],
    {
      maxBuffer: 64 << 20,
    },
  );
  cliRuns.push(performance.now() - tc);
}
const cliMs = [...cliRuns].sort((a, b) => a - b)[1] ?? 0;
console.log(
  `drydock lint CLI over the corpus, start-up included: median ${round(cliMs, 0)} ms of ${cliRuns.map((x) => round(x, 0)).join(', ')}; ${round(cliMs / files.length, 2)} ms per file`,
);

const best = Math.max(singleRate, poolRate);
console.log(
  JSON.stringify({
    files: files.length,
    files_per_s: round(best, 0),
    p50_ms: round(percentile(perFile, 50), 3),
    p99_ms: round(percentile(perFile, 99), 3),
    dockerfilelint_files_per_s: round(dflRate, 0),
    ratio: round(best / dflRate, 3),
    single_thread_files_per_s: round(singleRate, 0),
    pool_files_per_s: round(poolRate, 0),
    workers,
    cli_ms_per_file: round(cliMs / files.length, 2),
  }),
);
