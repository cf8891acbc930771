// npm run bench:lint — linter speed on the committed corpus against dockerfilelint, in two groups: bench/corpus
// (short and medium files) and bench/corpus/long (100–300 lines in the style of the official images).
// Prints figures, then one line of JSON: {files, files_per_s, p50_ms, p99_ms, dockerfilelint_files_per_s, ratio, …,
// long_p50_ms, long_p99_ms, cli_one_file_ms}.
// DRYDOCK_DIST=<dir> measures a CLI bundle built elsewhere (`DRYDOCK_DIST=<dir> node scripts/build.mjs`).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintAll } from '../cli/lint-pool.js';
import { DEFAULT_CONFIG } from '../core/lint/config.js';
import { lintText } from '../core/lint/engine.js';

const root = join(import.meta.dirname, '..');
const dist = resolve(root, process.env.DRYDOCK_DIST ?? 'dist');
const corpusDir = join(root, 'bench/corpus');
const longDir = join(corpusDir, 'long');

interface Source {
  readonly file: string;
  readonly text: string;
}
const read = (dir: string): Source[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort()
    .map((n) => ({ file: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
const groups = { corpus: read(corpusDir), long: read(longDir) };
const all = [...groups.corpus, ...groups.long];
const ROUNDS = 5;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// dockerfilelint over the same files in the same process (warm), for the ratio the issue sets.
const require = createRequire(import.meta.url);
const dockerfilelint = require('dockerfilelint') as {
  run: (configDir: string, content: string) => unknown[];
};
// dockerfilelint throws on some valid files (e.g. HEALTHCHECK forms it does not know); count those.
const crashed = new Set<string>();
const runDfl = (f: Source) => {
  try {
    dockerfilelint.run(corpusDir, f.text);
  } catch {
    crashed.add(f.file);
  }
};

interface GroupResult {
  readonly files: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly dflRate: number;
}

// 1. drydock in one thread, warm: per-file latency and throughput; then dockerfilelint on the same files.
function measure(name: string, files: readonly Source[]): GroupResult {
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
  const rate = (files.length * ROUNDS) / ((performance.now() - t0) / 1000);
  perFile.sort((a, b) => a - b);
  for (const f of files) runDfl(f);
  const td = performance.now();
  for (let r = 0; r < ROUNDS; r++) for (const f of files) runDfl(f);
  const dflRate = (files.length * ROUNDS) / ((performance.now() - td) / 1000);
  const lines = files.reduce((n, f) => n + f.text.split('\n').length, 0);
  console.log(
    `${name} (${files.length} files, ${round(lines / files.length, 0)} lines on average): drydock 1 thread, warm: ${round(rate, 0)} files/s; dockerfilelint: ${round(dflRate, 0)} files/s; ratio ${round(rate / dflRate, 3)}`,
  );
  console.log(
    `  per file: p50 ${round(percentile(perFile, 50), 3)} ms, p99 ${round(percentile(perFile, 99), 3)} ms, max ${round(perFile.at(-1) ?? 0, 3)} ms; ${findings / ROUNDS} findings per round`,
  );
  return { files: files.length, rate, p50: percentile(perFile, 50), p99: percentile(perFile, 99), dflRate };
}
const corpus = measure('bench/corpus', groups.corpus);
const long = measure('bench/corpus/long', groups.long);
const both = measure('both groups', all);
console.log(
  `dockerfilelint 1.8 (line regexes, no shell parsing) threw on ${crashed.size} of ${all.length} files`,
);

// 2. drydock with the worker pool the CLI uses for many files (worker start-up included).
const workers = availableParallelism();
// Workers pay bundle load and JIT warm-up each, so the pool is measured where the CLI uses it: thousands of files.
const POOL_ROUNDS = 20;
const many = Array.from({ length: POOL_ROUNDS }, () => all).flat();
const tp = performance.now();
await lintAll(many, { config: DEFAULT_CONFIG }, () => ({}), {
  workers,
  workerUrl: pathToFileURL(join(dist, 'drydock.mjs')),
});
const poolRate = many.length / ((performance.now() - tp) / 1000);
console.log(
  `drydock, ${workers} worker threads (start-up included): ${many.length} files, ${round(poolRate, 0)} files/s`,
);

// 3. The CLI end to end, one process each, start-up included: the median of several runs, since one run varies.
const cli = process.env.DRYDOCK_DIST ? join(dist, 'drydock.mjs') : join(root, 'bin/drydock.js');
const timeCli = (args: readonly string[], runs: number): number[] => {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const tc = performance.now();
    execFileSync(process.execPath, [cli, 'lint', '--format', 'json', '--no-fail', ...args], {
      maxBuffer: 64 << 20,
    });
    times.push(performance.now() - tc);
  }
  return times;
};
const show = (xs: number[]) => xs.map((x) => round(x, 0)).join(', ');
// One warm-up run first: it writes the code cache if the bundle has one, as any first run after a build does.
timeCli([groups.long[0]!.file], 1);
const oneRuns = timeCli([groups.long[0]!.file], 7);
const oneNoRun = timeCli([join(corpusDir, '019-scratch-static-binary.Dockerfile')], 7);
console.log(
  `drydock lint <one long file>, start-up included: median ${round(median(oneRuns), 0)} ms of ${show(oneRuns)}`,
);
console.log(
  `drydock lint <one file without a shell-parsed RUN>: median ${round(median(oneNoRun), 0)} ms of ${show(oneNoRun)}`,
);
const cliRuns = timeCli([corpusDir], 3);
const cliMs = median(cliRuns);
console.log(
  `drydock lint CLI over bench/corpus (both groups, ${all.length} files), start-up included: median ${round(cliMs, 0)} ms of ${show(cliRuns)}; ${round(cliMs / all.length, 2)} ms per file`,
);

const best = Math.max(corpus.rate, poolRate);
console.log(
  JSON.stringify({
    files: corpus.files,
    files_per_s: round(best, 0),
    p50_ms: round(corpus.p50, 3),
    p99_ms: round(corpus.p99, 3),
    dockerfilelint_files_per_s: round(corpus.dflRate, 0),
    ratio: round(best / corpus.dflRate, 3),
    single_thread_files_per_s: round(corpus.rate, 0),
    single_thread_ratio: round(corpus.rate / corpus.dflRate, 3),
    pool_files_per_s: round(poolRate, 0),
    workers,
    cli_ms_per_file: round(cliMs / all.length, 2),
    long_files: long.files,
    long_p50_ms: round(long.p50, 3),
    long_p99_ms: round(long.p99, 3),
    long_files_per_s: round(long.rate, 0),
    long_dockerfilelint_files_per_s: round(long.dflRate, 0),
    long_ratio: round(long.rate / long.dflRate, 3),
    all_single_thread_ratio: round(both.rate / both.dflRate, 3),
    cli_one_file_ms: round(median(oneRuns), 1),
    cli_one_file_no_run_ms: round(median(oneNoRun), 1),
  }),
);
