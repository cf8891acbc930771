// npm run bench:pipeline — push → published latency of the local pipeline, and how much of it is drydock's own.
// The pipeline runs in this process (startLocalRuntime) so that every buildah and podman call is timed
// (onToolTime) and every other child process it starts too; pushes go through the real post-receive hook that
// `drydock repo create` installs (it runs the bundled CLI: that start-up is drydock's cost and counts).
// Phase 1: 10 definitions, one commit and one push each, each waited for until published, so that every
// latency is clean; each is cut into contiguous segments from the moment before `git push` to `published`.
// Phase 2 (skipped with --sequential-only): 10 more definitions in one push, wall time until all are published.
// --verbose prints the pipeline's log as it goes. The last line is one JSON object:
// {definitions, overhead_ms_per_definition, p50_total_ms, p50_gate_ms, p50_queue_wait_ms, …, met}.
import type { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { PipelineApi as Api } from '../cli/api-client.js';
import type { BuildSummary, ImageSummary, PushSummary } from '../runtime/local/api-types.js';
import type { LocalRuntime } from '../runtime/local/daemon.js';
import type { ToolTiming } from '../runtime/local/open-local-pipeline.js';

const DEFINITIONS = 10;
const TARGET_OVERHEAD_MS = 1000;
const PUBLISH_TIMEOUT_MS = 180_000;
const REPO = 'bench';
const flags = new Set(process.argv.slice(2));
const verbose = flags.has('--verbose');
const concurrentPhase = !flags.has('--sequential-only');
const root = join(import.meta.dirname, '..');
const drydockBin = join(root, 'bin/drydock.js');

// 1. Time every child process the pipeline starts. The runtime's modules bind execFile and spawn when they
// load, so the timed versions are installed first and the runtime is imported afterwards.
interface ChildRun {
  readonly command: string;
  readonly start: number;
  end?: number;
}
const childRuns: ChildRun[] = [];
const cp = createRequire(import.meta.url)('node:child_process') as {
  spawn: typeof spawn;
  execFile: typeof execFile;
};
const original = { spawn: cp.spawn, execFile: cp.execFile };
// The subcommand names a call well enough ("git archive", "podman exec"); option values are skipped.
const SUBCOMMANDS = new Set(
  'add archive build bud commit cp diff exec from image info inspect ls-tree manifest mount pull push rev-parse rm rmi run show stop tag'.split(
    ' ',
  ),
);
const commandName = (file: unknown, argv: unknown): string => {
  const args = Array.isArray(argv) ? argv : [];
  // Tools run under `setpriv --pdeathsig KILL -- <tool> …` (see runTool): name the tool, not setpriv.
  if (basename(String(file)) === 'setpriv' && args.includes('--')) {
    const rest = args.slice(args.indexOf('--') + 1);
    return commandName(rest[0], rest.slice(1));
  }
  const name = basename(String(file));
  const sub = args.find((a) => typeof a === 'string' && SUBCOMMANDS.has(a));
  return sub ? `${name} ${sub}` : name;
};
const timeChild = (child: ChildProcess | undefined, file: unknown, argv: unknown): void => {
  if (!child) return;
  const run: ChildRun = { command: commandName(file, argv), start: Date.now() };
  childRuns.push(run);
  child.once('close', () => {
    run.end = Date.now();
  });
};
type AnyFn = (...args: unknown[]) => unknown;
const timedSpawn = (...args: unknown[]) => {
  const child = (original.spawn as unknown as AnyFn)(...args) as ChildProcess;
  timeChild(child, args[0], args[1]);
  return child;
};
const timedExecFile = (...args: unknown[]) => {
  const child = (original.execFile as unknown as AnyFn)(...args) as ChildProcess;
  timeChild(child, args[0], args[1]);
  return child;
};
// promisify(execFile) resolves to {stdout, stderr} through execFile's own promisify.custom; keep that shape.
const promisedExecFile = promisify(original.execFile) as unknown as (
  ...args: unknown[]
) => Promise<unknown> & { child?: ChildProcess };
Object.defineProperty(timedExecFile, promisify.custom, {
  value: (...args: unknown[]) => {
    const promise = promisedExecFile(...args);
    timeChild(promise.child, args[0], args[1]);
    return promise;
  },
});
cp.spawn = timedSpawn as unknown as typeof spawn;
cp.execFile = timedExecFile as unknown as typeof execFile;
syncBuiltinESMExports();

// The bench's own commands (git, the CLI) use the untimed originals: they are measured as segments.
const run = promisify(original.execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

const [{ startLocalRuntime }, { baseCatalogue }, { PipelineApi }, { removeState }] = await Promise.all([
  import('../runtime/local/daemon.js'),
  import('../runtime/local/base-catalogue.js'),
  import('../cli/api-client.js'),
  import('../test/helpers/drydock-process.js'),
]);

// 2. Figures.
const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d;
/** Nearest rank: p50 of 10 is the 5th value, p95 of 10 the largest. */
const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pad = (s: string | number, n: number): string => String(s).padStart(n);

// 3. The pipeline, in this process, on a fresh state directory.
const tmp = mkdtempSync(join(tmpdir(), 'drydock-bench-pipeline-'));
const state = join(tmp, 'state');
const logLines: string[] = [];
const logListeners = new Set<() => void>();
const log = (line: string): void => {
  const stamped = `${new Date().toISOString().slice(11, 23)} ${line}`;
  logLines.push(stamped);
  if (verbose) console.log(`  | ${stamped}`);
  for (const listener of logListeners) listener();
};
interface ToolRun extends ToolTiming {
  readonly end: number;
}
const toolRuns: ToolRun[] = [];

let runtime: LocalRuntime | undefined;
const cleanUp = async (): Promise<void> => {
  await runtime?.stop();
  runtime = undefined;
  await removeState(tmp);
};
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

/** A definition that COPYs one small file, with one command test. */
function definitionFiles(name: string, registry: string): Record<string, string> {
  return {
    [`${name}/Dockerfile`]: `FROM ${registry}/base/busybox:1.36.1\nCOPY hello.txt /hello.txt\nUSER 65534\nCMD ["cat", "/hello.txt"]\n`,
    [`${name}/hello.txt`]: `hello from ${name}\n`,
    [`${name}/image-tests.yaml`]: `schemaVersion: 2.0.0\ncommandTests:\n  - name: says hello\n    command: cat\n    args: ["/hello.txt"]\n    expectedOutput: ["hello from ${name}"]\n`,
  };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

interface LoggedEvent {
  readonly detailType: string;
  readonly time: number;
  readonly loggedAt: number;
  readonly detail: Record<string, unknown>;
}

function eventsOf(live: LocalRuntime, commit: string): LoggedEvent[] {
  const rows = live.pipeline.db.connection
    .prepare('SELECT detail_type, logged_at, body FROM events WHERE body LIKE ? ORDER BY seq')
    .all(`%${commit}%`) as { detail_type: string; logged_at: number; body: string }[];
  return rows.map((r) => {
    const body = JSON.parse(r.body) as { time: string; detail: Record<string, unknown> };
    return {
      detailType: r.detail_type,
      time: Date.parse(body.time),
      loggedAt: r.logged_at,
      detail: body.detail,
    };
  });
}

/** Resolves once the definition at the commit is published; rejects on a failed verdict or build, or a timeout. */
function published(live: LocalRuntime, definition: string, commit: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let checking = false;
    let done = false;
    const finish = (error?: Error) => {
      done = true;
      logListeners.delete(check);
      clearInterval(timer);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    };
    function check(): void {
      if (checking || done) return;
      checking = true;
      void (async () => {
        const record = await live.pipeline.records.find({ repository: REPO, definition, commit });
        if (record?.state === 'published') return finish();
        if (record?.state === 'failed')
          return finish(new Error(`${definition}: build failed: ${record.error}`));
        const verdict = eventsOf(live, commit).find(
          (e) => e.detailType === 'Definition Verdict' && e.detail.definition === definition,
        );
        if (verdict && verdict.detail.passed === false)
          finish(new Error(`${definition}: the gate refused it: ${JSON.stringify(verdict.detail.findings)}`));
      })()
        .catch((error: Error) => finish(error))
        .finally(() => {
          checking = false;
        });
    }
    logListeners.add(check);
    // The log tells when a handler finished; the timer only catches what it does not say.
    const timer = setInterval(check, 500);
    const deadline = setTimeout(
      () => finish(new Error(`${definition} was not published within ${PUBLISH_TIMEOUT_MS} ms`)),
      PUBLISH_TIMEOUT_MS,
    );
    check();
  });
}

type SegmentKind = 'drydock' | 'queue' | 'tool';
interface Segment {
  readonly name: string;
  readonly kind: SegmentKind;
  readonly ms: number;
}
interface Sample {
  readonly name: string;
  readonly gitPushMs: number;
  readonly totalMs: number;
  readonly gateMs: number;
  readonly queueMs: number;
  readonly buildMs: number;
  readonly testMs: number;
  readonly pushMs: number;
  readonly overheadMs: number;
  readonly segments: readonly Segment[];
  readonly window: readonly [number, number];
  readonly toolWindows: readonly (readonly [number, number])[];
}

/** Cuts one definition's push → published into contiguous segments from the events, the build history and the tool timings. */
async function measure(
  live: LocalRuntime,
  api: Api,
  name: string,
  commit: string,
  t0: number,
  gitPushMs: number,
): Promise<Sample> {
  const definition = `${name}/Dockerfile`;
  const events = eventsOf(live, commit);
  const find = (type: string) => {
    const e = events.find(
      (x) => x.detailType === type && (type === 'Definition Pushed' || x.detail.definition === definition),
    );
    if (!e) throw new Error(`${definition}: no ${type} event for ${commit}`);
    return e;
  };
  const pushed = find('Definition Pushed');
  const verdict = find('Definition Verdict');
  const requested = find('Build Requested');
  const completed = find('Build Completed');
  const tested = find('Image Tested');
  const buildId = String(requested.detail.buildId);
  const build = await api.get<BuildSummary>(`/api/builds/${buildId}`);
  const at = (s: string) => {
    const h = build.history.find((x) => x.state === s);
    if (!h) throw new Error(`${definition}: build ${buildId} never entered ${s}`);
    return Date.parse(h.at);
  };
  const { pushes } = await api.get<{ pushes: PushSummary[] }>('/api/pushes');
  const apiVerdict = pushes
    .find((p) => p.commit === commit)
    ?.verdicts.find((v) => v.definition === definition);
  if (!apiVerdict?.passed) throw new Error(`${definition}: the API shows no passing verdict`);
  const tool = (kind: ToolTiming['tool'], match: (subject: string) => boolean) => {
    const t = toolRuns.find((x) => x.tool === kind && match(x.subject));
    if (!t) throw new Error(`${definition}: no ${kind} tool timing`);
    return { start: t.end - t.ms, end: t.end, ms: t.ms };
  };
  // The record turns published when the push is verified; lineage is written by the next handler, a moment later.
  let ref: string | undefined;
  for (const deadline = Date.now() + 10_000; ref === undefined && Date.now() < deadline; ) {
    const { images } = await api.get<{ images: ImageSummary[] }>('/api/images');
    ref = images.find((i) => i.commit === commit && i.definition === definition)?.ref;
    if (ref === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  if (!ref)
    throw new Error(`${definition}: no published image in the API 10 s after its build was published`);
  const buildTool = tool('build', (s) => s === buildId);
  const testTool = tool('test', (s) => s.includes(buildId));
  const pushTool = tool('push', (s) => ref.endsWith(`/${s}`));
  const publishedAt = at('published');
  // Contiguous: every millisecond from t0 to published is in exactly one segment. Starred queue segments also
  // hold the first few ms of the next handler (a records read, reading image-tests.yaml, a manifest HEAD):
  // the test step's own 'testing' is not recorded again, so its start cannot be told apart from the wait.
  const cut: [string, SegmentKind, number, number][] = [
    ['git push + hook', 'drydock', t0, pushed.loggedAt],
    ['gate queue', 'queue', pushed.loggedAt, verdict.time],
    ['gate', 'drydock', verdict.time, requested.loggedAt],
    ['build queue', 'queue', requested.loggedAt, at('queued')],
    ['resolve bases', 'drydock', at('queued'), at('building')],
    ['build context', 'drydock', at('building'), buildTool.start],
    ['buildah build', 'tool', buildTool.start, buildTool.end],
    ['build recorded', 'drydock', buildTool.end, completed.loggedAt],
    ['test queue*', 'queue', completed.loggedAt, testTool.start],
    ['podman tests', 'tool', testTool.start, testTool.end],
    ['test recorded', 'drydock', testTool.end, tested.loggedAt],
    ['publish queue*', 'queue', tested.loggedAt, at('pushing')],
    ['pre-push', 'drydock', at('pushing'), pushTool.start],
    ['buildah push', 'tool', pushTool.start, pushTool.end],
    ['push verified', 'drydock', pushTool.end, publishedAt],
  ];
  const segments = cut.map(([n, kind, from, to]) => ({ name: n, kind, ms: to - from }));
  const totalMs = publishedAt - t0;
  const tools = buildTool.ms + testTool.ms + pushTool.ms;
  return {
    name,
    gitPushMs,
    totalMs,
    gateMs: verdict.loggedAt - t0,
    queueMs: segments.filter((s) => s.kind === 'queue').reduce((a, s) => a + s.ms, 0),
    buildMs: buildTool.ms,
    testMs: testTool.ms,
    pushMs: pushTool.ms,
    overheadMs: totalMs - tools,
    segments,
    window: [t0, publishedAt],
    toolWindows: [buildTool, testTool, pushTool].map((t) => [t.start, t.end] as const),
  };
}

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  return percentile(ms, 50);
}

try {
  const started = performance.now();
  runtime = await startLocalRuntime({
    stateDir: state,
    version: 'bench',
    apiPort: 0,
    log,
    bases: baseCatalogue,
    onToolTime: (t) => toolRuns.push({ ...t, end: Date.now() }),
  });
  const live = runtime;
  const registry = live.info.registry;
  console.log(`drydock pipeline bench on ${state} (registry ${registry}, API ${live.info.api})`);
  await live.seedIfEmpty();
  const bases = await live.bases.list();
  if (bases.length < 2) throw new Error(`seeding left ${bases.length} bases:\n${logLines.join('\n')}`);
  console.log(
    `started and seeded ${bases.length} bases in ${round((performance.now() - started) / 1000, 1)} s: ${bases.map((b) => b.ref).join(', ')}`,
  );
  const api = await PipelineApi.connect(state);
  const created = await run(process.execPath, [drydockBin, 'repo', 'create', REPO, '--state', state], {
    encoding: 'utf8',
  });
  const remote = created.stdout.trim().split('\n').at(-1) ?? '';
  const work = join(tmp, 'work');
  mkdirSync(work);
  await git(work, 'init', '--quiet', '--initial-branch=main');

  // Phase 1: one definition per commit and push, each waited for.
  const samples: Sample[] = [];
  let hookOutput = '';
  for (let i = 1; i <= DEFINITIONS; i++) {
    const name = `svc-${String(i).padStart(2, '0')}`;
    writeFiles(work, definitionFiles(name, registry));
    await git(work, 'add', '--', name);
    await git(work, 'commit', '--quiet', '-m', `add ${name}`);
    const commit = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    const t0 = Date.now();
    const pushStarted = performance.now();
    const pushedOut = await git(work, 'push', '--quiet', remote, 'HEAD:refs/heads/main');
    const gitPushMs = performance.now() - pushStarted;
    hookOutput ||= pushedOut.stderr.trim();
    await published(live, `${name}/Dockerfile`, commit);
    samples.push(await measure(live, api, name, commit, t0, gitPushMs));
  }
  console.log(`the post-receive hook said: ${hookOutput.split('\n')[0]}`);

  // The per-definition table.
  const cols: [string, (s: Sample) => number][] = [
    ['total', (s) => s.totalMs],
    ['gate', (s) => s.gateMs],
    ['queue', (s) => s.queueMs],
    ['build', (s) => s.buildMs],
    ['test', (s) => s.testMs],
    ['push', (s) => s.pushMs],
    ['overhead', (s) => s.overheadMs],
    ['git push', (s) => s.gitPushMs],
  ];
  console.log(
    `\nphase 1: ${DEFINITIONS} definitions, one commit and push each, sequential (ms). total = push start → published; ` +
      'gate = push start → verdict recorded (git push and hook included); queue = time in the four queues; ' +
      'build/test/push = the buildah build, podman test suite and buildah push calls; overhead = total − those three',
  );
  console.log(`${'definition'.padEnd(10)}${cols.map(([h]) => pad(h, 9)).join('')}`);
  for (const s of samples)
    console.log(`${s.name.padEnd(10)}${cols.map(([, f]) => pad(round(f(s)), 9)).join('')}`);
  for (const p of [50, 95])
    console.log(
      `${`p${p}`.padEnd(10)}${cols.map(([, f]) => pad(round(percentile(samples.map(f), p)), 9)).join('')}`,
    );
  console.log(`${'mean'.padEnd(10)}${cols.map(([, f]) => pad(round(mean(samples.map(f))), 9)).join('')}`);

  // Where the time goes: each segment's mean and p50 over the definitions.
  console.log(
    '\nwhere the time goes, push start → published (ms; * = the next handler’s first reads are in it)',
  );
  console.log(`${'segment'.padEnd(18)}${'kind'.padEnd(9)}${pad('mean', 8)}${pad('p50', 8)}${pad('max', 8)}`);
  const names = samples[0]?.segments.map((s) => s.name) ?? [];
  for (const [i, n] of names.entries()) {
    const xs = samples.map((s) => s.segments[i]?.ms ?? 0);
    const kind = samples[0]?.segments[i]?.kind ?? '';
    console.log(
      `${n.padEnd(18)}${kind.padEnd(9)}${pad(round(mean(xs)), 8)}${pad(round(percentile(xs, 50)), 8)}${pad(round(Math.max(...xs)), 8)}`,
    );
  }

  // Child processes the pipeline started during the definitions, outside and inside the tool calls.
  const perCommand = new Map<string, { calls: number; ms: number; inTool: boolean }>();
  for (const s of samples) {
    for (const c of childRuns) {
      if (c.end === undefined || c.start < s.window[0] || c.start > s.window[1]) continue;
      const inTool = s.toolWindows.some(([a, b]) => c.start >= a - 1 && c.start <= b + 1);
      const key = `${c.command}${inTool ? '' : ' (drydock)'}`;
      const entry = perCommand.get(key) ?? { calls: 0, ms: 0, inTool };
      entry.calls++;
      entry.ms += c.end - c.start;
      perCommand.set(key, entry);
    }
  }
  console.log('\nchild processes per definition (drydock = outside a buildah/podman tool call, so overhead)');
  for (const [command, e] of [...perCommand].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `  ${command.padEnd(28)} ${pad(round(e.calls / samples.length, 1), 5)} calls ${pad(round(e.ms / samples.length), 6)} ms`,
    );

  // The push itself: git alone (a bare repository without a hook) against node and the bundled CLI starting.
  // Its own work tree and repository, so that these commits never reach the pipeline.
  const plain = join(tmp, 'plain.git');
  const plainWork = join(tmp, 'plain-work');
  mkdirSync(plainWork);
  await git(tmp, 'init', '--quiet', '--bare', plain);
  await git(plainWork, 'init', '--quiet', '--initial-branch=main');
  let n = 0;
  const plainPushMs = await median(5, async () => {
    writeFiles(plainWork, definitionFiles(`plain-${++n}`, registry));
    await git(plainWork, 'add', '--', `plain-${n}`);
    await git(plainWork, 'commit', '--quiet', '-m', `plain ${n}`);
    await git(plainWork, 'push', '--quiet', plain, 'HEAD:refs/heads/main');
  });
  const nodeMs = await median(5, () => run(process.execPath, ['-e', '0']));
  const cliMs = await median(5, () => run(process.execPath, [drydockBin, '--version']));
  const hookSegment = samples.map((s) => s.segments[0]?.ms ?? 0);
  console.log(
    `\nthe push: git push + hook until Definition Pushed is logged p50 ${round(percentile(hookSegment, 50))} ms; ` +
      `git push to a bare repo without a hook ${round(plainPushMs)} ms; node -e 0 ${round(nodeMs)} ms; ` +
      `node bin/drydock.js --version ${round(cliMs)} ms (node + loading the bundle); ` +
      `git push with the hook returns after p50 ${round(
        percentile(
          samples.map((s) => s.gitPushMs),
          50,
        ),
      )} ms`,
  );

  // Phase 2: all in one push.
  let concurrentWallMs: number | undefined;
  if (concurrentPhase) {
    const names2 = Array.from({ length: DEFINITIONS }, (_, i) => `batch-${String(i + 1).padStart(2, '0')}`);
    for (const name of names2) writeFiles(work, definitionFiles(name, registry));
    await git(work, 'add', '--', ...names2);
    await git(work, 'commit', '--quiet', '-m', 'a batch');
    const commit = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    const toolsBefore = toolRuns.length;
    const t0 = Date.now();
    await git(work, 'push', '--quiet', remote, 'HEAD:refs/heads/main');
    await Promise.all(names2.map((name) => published(live, `${name}/Dockerfile`, commit)));
    const records = await Promise.all(
      names2.map((name) =>
        live.pipeline.records.find({ repository: REPO, definition: `${name}/Dockerfile`, commit }),
      ),
    );
    const ends = records.map((r) => r?.finishedAt?.getTime() ?? Date.now());
    concurrentWallMs = Math.max(...ends) - t0;
    const toolMs = toolRuns.slice(toolsBefore).reduce((a, t) => a + t.ms, 0);
    const firstMs = Math.min(...ends) - t0;
    const sequentialToolMs = samples.reduce((a, x) => a + x.buildMs + x.testMs + x.pushMs, 0);
    const oneAtATimeMs = samples.reduce((a, x) => a + x.totalMs, 0);
    console.log(
      `\nphase 2: ${DEFINITIONS} more definitions in one push (2 builds and 2 test suites at once): ` +
        `the first published after ${round(firstMs)} ms, all after ${round(concurrentWallMs)} ms ` +
        `(phase 1 took ${round(oneAtATimeMs)} ms for as many); the tool calls add up to ${round(toolMs)} ms ` +
        `against ${round(sequentialToolMs)} ms one at a time: on ${availableParallelism()} cores they slow each other`,
    );
    console.log(
      `  published after (s): ${ends
        .map((e) => round((e - t0) / 1000, 1))
        .sort((a, b) => a - b)
        .join(', ')}`,
    );
  }

  const overhead = mean(samples.map((s) => s.overheadMs));
  const bySize = names
    .map((n, i) => ({
      n,
      kind: samples[0]?.segments[i]?.kind,
      ms: mean(samples.map((s) => s.segments[i]?.ms ?? 0)),
    }))
    .filter((s) => s.kind !== 'tool')
    .sort((a, b) => b.ms - a.ms);
  console.log(
    `\nsummary: drydock's own overhead ${round(overhead)} ms per definition on average (target < ${TARGET_OVERHEAD_MS} ms: ` +
      `${overhead < TARGET_OVERHEAD_MS ? 'met' : 'NOT met'}); p50 total ${round(
        percentile(
          samples.map((s) => s.totalMs),
          50,
        ),
      )} ms, ` +
      `of which the tools ${round(
        percentile(
          samples.map((s) => s.buildMs + s.testMs + s.pushMs),
          50,
        ),
      )} ms; ` +
      `largest: ${bySize
        .slice(0, 3)
        .map((s) => `${s.n} ${round(s.ms)} ms`)
        .join(', ')}`,
  );
  await cleanUp();
  console.log(
    JSON.stringify({
      definitions: samples.length,
      overhead_ms_per_definition: round(overhead),
      p50_total_ms: round(
        percentile(
          samples.map((s) => s.totalMs),
          50,
        ),
      ),
      p50_gate_ms: round(
        percentile(
          samples.map((s) => s.gateMs),
          50,
        ),
      ),
      p50_queue_wait_ms: round(
        percentile(
          samples.map((s) => s.queueMs),
          50,
        ),
      ),
      p50_build_ms: round(
        percentile(
          samples.map((s) => s.buildMs),
          50,
        ),
      ),
      p50_test_ms: round(
        percentile(
          samples.map((s) => s.testMs),
          50,
        ),
      ),
      p50_push_ms: round(
        percentile(
          samples.map((s) => s.pushMs),
          50,
        ),
      ),
      p50_overhead_ms: round(
        percentile(
          samples.map((s) => s.overheadMs),
          50,
        ),
      ),
      p95_total_ms: round(
        percentile(
          samples.map((s) => s.totalMs),
          95,
        ),
      ),
      p50_hook_ms: round(percentile(hookSegment, 50)),
      ...(concurrentWallMs === undefined ? {} : { concurrent_wall_ms: round(concurrentWallMs) }),
      target_overhead_ms: TARGET_OVERHEAD_MS,
      met: overhead < TARGET_OVERHEAD_MS,
    }),
  );
} catch (error) {
  console.error(`bench:pipeline failed: ${(error as Error).stack ?? error}`);
  console.error(`pipeline log (last 40 lines):\n${logLines.slice(-40).join('\n')}`);
  await cleanUp().catch(() => undefined);
  process.exitCode = 1;
}
