import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { BuilderProfile } from '../core/dockerfile/builder-profile.js';
import { parseDockerfile } from '../core/dockerfile/parse.js';
import type { LintConfig } from '../core/lint/config.js';
import { type Finding, lintParsed } from '../core/lint/engine.js';
import type { LintPolicy } from '../core/lint/rule.js';
import { readContextFiles } from './io/context-files.js';

/** One file to lint. */
export interface LintJob {
  readonly file: string;
  readonly text: string;
  /** The build context the file's COPY/ADD read from (its directory); absent for stdin. */
  readonly contextDir?: string;
}

/** What a worker needs to lint like the main thread: plain data only (it crosses threads). */
export interface PoolSetup<P> {
  readonly config: LintConfig;
  /** Plain data from which `makePolicy` rebuilds the lint policy inside each worker. */
  readonly policyData?: P;
  /** The builders to check the files against (plain data). @default ALL_BUILDERS */
  readonly builders?: readonly BuilderProfile[];
}

/** Below this many files a pool costs more than it saves: each worker loads the bundle (~250 ms) and warms the
 * JIT for the GopherJS shell parser (~1 s) again; measured on 2 cores, 2 workers only win from a few thousand files. */
export const POOL_MIN_FILES = 2000;
const CHUNK = 24;

const WORKER_FLAG = 'drydock-lint-worker';

/** How many workers to use for `count` files when `jobs` is 0 (auto). */
export function poolSize(count: number, jobs: number): number {
  if (jobs > 0) return jobs;
  if (count < POOL_MIN_FILES) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(count / CHUNK)));
}

/**
 * Lints files, in a pool of worker threads when `workers` > 1 and a worker script is known
 * (the bundled CLI passes its own URL); results come back in input order.
 */
export async function lintAll<P>(
  jobs: readonly LintJob[],
  setup: PoolSetup<P>,
  makePolicy: (data: P | undefined) => LintPolicy,
  options: { workers: number; workerUrl?: URL },
): Promise<Finding[][]> {
  if (options.workers <= 1 || !options.workerUrl || jobs.length <= CHUNK) {
    const policy = makePolicy(setup.policyData);
    return jobs.map((j) => lintJob(j, setup, policy));
  }
  const results: Finding[][] = new Array(jobs.length);
  let next = 0;
  const workerUrl = options.workerUrl;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { [WORKER_FLAG]: true, setup } });
      const feed = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const start = next;
        next = Math.min(jobs.length, next + CHUNK);
        worker.postMessage({ start, jobs: jobs.slice(start, next) });
      };
      worker.on('message', (msg: { start: number; findings: Finding[][] }) => {
        msg.findings.forEach((f, i) => {
          results[msg.start + i] = f;
        });
        feed();
      });
      worker.on('error', reject);
      worker.once('online', feed);
    });
  await Promise.all(Array.from({ length: options.workers }, runWorker));
  return results;
}

/** True inside a lint worker thread started by `lintAll`. */
export function isLintWorker(): boolean {
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[WORKER_FLAG]);
}

/** The worker's loop: lint each chunk it is sent and post the findings back. */
export function serveLintWorker<P>(makePolicy: (data: P | undefined) => LintPolicy): void {
  const { setup } = workerData as { setup: PoolSetup<P> };
  const policy = makePolicy(setup.policyData);
  parentPort?.on('message', (msg: { start: number; jobs: LintJob[] }) => {
    const findings = msg.jobs.map((j) => lintJob(j, setup, policy));
    parentPort?.postMessage({ start: msg.start, findings });
  });
}

// One parse per file: the same model picks the context files to read and is linted.
function lintJob<P>(job: LintJob, setup: PoolSetup<P>, policy: LintPolicy): Finding[] {
  const parsed = parseDockerfile(job.text, job.file);
  const contextFiles =
    job.contextDir === undefined ? undefined : readContextFiles(job.contextDir, parsed.model);
  return lintParsed(parsed, {
    config: setup.config,
    policy,
    ...(setup.builders ? { builders: setup.builders } : {}),
    ...(contextFiles ? { contextFiles } : {}),
  });
}
