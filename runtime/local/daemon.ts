import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { freePort } from '../../adapters/local/docker-registry-process.js';
import { removeLeftovers } from '../../adapters/local/leftovers.js';
import {
  assertRunsAsRoot,
  assertToolsInstalled,
  assertUserNamespaceRanges,
  LOCAL_PIPELINE_TOOLS,
} from '../../adapters/local/preflight.js';
import type { PushRefusal } from '../../adapters/local/registry-push-guard.js';
import { checkStateDatabase, STATE_FILE } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteOutbox } from '../../adapters/local/sqlite-outbox.js';
import { SqlitePipelineViews } from '../../adapters/local/sqlite-pipeline-views.js';
import { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import { resumeBandAids } from '../../core/ban/resume-band-aids.js';
import { DrydockError } from '../../core/errors.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { INVALID_TESTS_SUITE } from '../../core/image-tests/failure-summary.js';
import { systemClock } from '../../core/ports/clock.js';
import { escapeControls } from '../../core/push/definition-path.js';
import { ensureApiTokens } from './api-tokens.js';
import { localPlanPorts } from './ban-api.js';
import { type BaseCatalogue, type RunningHttpApi, startHttpApi } from './http-api.js';
import { type LocalPipeline, type LocalPipelineOptions, openLocalPipeline } from './open-local-pipeline.js';
import { ensurePolicyFile, readPolicyFile, watchedPolicy } from './policy-store.js';
import { endDeadLetteredBuilds, redriveAwaitedRebuildEvents } from './queue-worker.js';
import { processAlive, type RuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-info.js';
import { watchStateDir } from './state-dir-watch.js';
import { assertStateDirTrusted, restrictStateFiles } from './state-permissions.js';
import { startWorkers, type Workers } from './workers.js';

/** Ports a state directory keeps across restarts, so that image references and the API address stay valid. */
interface Settings {
  registryPort: number;
  apiPort: number;
}

/** The API port a new state directory asks for first. */
export const DEFAULT_API_PORT = 7480;

/** Options of `startLocalRuntime`. */
export interface LocalRuntimeOptions {
  readonly stateDir: string;
  readonly version: string;
  /** API port; 0 picks a free one each start. @default the port saved in the state dir, else 7480 (or a free one) */
  readonly apiPort?: number;
  /** Whether the base catalogue will be seeded (busybox-static is then required). @default true */
  readonly seedBases?: boolean;
  /** Builds that run at once. @default 2 */
  readonly buildConcurrency?: number;
  /** Build time limit. @default 600000 */
  readonly buildTimeoutMs?: number;
  /** Told the duration of each buildah/podman call (see `LocalPipelineOptions.onToolTime`). */
  readonly onToolTime?: LocalPipelineOptions['onToolTime'];
  /** How often idle workers look for work nobody announced. @default 250 */
  readonly pollMs?: number;
  /** How often to check that the state dir and its database are still the ones it started on. @default 1000 */
  readonly stateDirCheckMs?: number;
  /** One line per thing the pipeline does, for the foreground output. */
  readonly log: (line: string) => void;
  /** The base catalogue over the pipeline's registry and builder. */
  readonly bases: (pipeline: LocalPipeline) => BaseCatalogue;
}

/** A running local pipeline. */
export interface LocalRuntime {
  readonly info: RuntimeInfo;
  readonly pipeline: LocalPipeline;
  readonly workers: Workers;
  readonly bases: BaseCatalogue;
  /** Resolves with what happened if the state dir or its database is deleted, moved or replaced; it then stops. */
  readonly lost: Promise<string>;
  /** Seeds the default base catalogue when the registry holds no base yet; failures are logged, not thrown. */
  seedIfEmpty(): Promise<void>;
  /** Stops taking work, waits briefly for running handlers, then interrupts builds and image tests, stops the registry and removes runtime.json. */
  stop(): Promise<void>;
}

/** Another `drydock start` already runs on the state directory. */
export class AlreadyRunningError extends DrydockError {
  override readonly name = 'AlreadyRunningError';

  constructor(stateDir: string, pid: number) {
    super(`drydock start already runs for ${stateDir} (pid ${pid}); stop it first or use another --state`, {
      code: 'ALREADY_RUNNING',
    });
  }
}

// Locks this process holds: a lock file naming our own pid is otherwise taken for a stale one (a pid reused
// after a restart), which would let a second start in this process take the first one's state dir.
const heldLocks = new Set<string>();

async function acquireLock(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, 'drydock.lock');
  if (heldLocks.has(path)) throw new AlreadyRunningError(stateDir, process.pid);
  heldLocks.add(path);
  try {
    await takeLockFile(stateDir, path);
  } catch (error) {
    heldLocks.delete(path);
    throw error;
  }
  return async () => {
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) await rm(path, { force: true });
    heldLocks.delete(path);
  };
}

async function takeLockFile(stateDir: string, path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written whole under another name, then linked: the lock never exists without its pid in it.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${process.pid}\n`, { mode: 0o600 });
    try {
      await link(tmp, path);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new AlreadyRunningError(stateDir, owner);
      }
      // The owner died without cleaning up (SIGKILL, power loss): the lock is stale.
      await rm(path, { force: true });
    } finally {
      await rm(tmp, { force: true });
    }
  }
  throw new DrydockError(`cannot lock ${path}: another drydock start took it at the same time`, {
    code: 'ALREADY_RUNNING',
  });
}

async function loadSettings(stateDir: string, apiPort: number | undefined): Promise<Settings> {
  const path = join(stateDir, 'settings.json');
  let saved: Partial<Settings> = {};
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as Partial<Settings>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DrydockError(`${path} is unreadable (${(err as Error).message}); fix or delete it`, {
        code: 'SETTINGS_INVALID',
      });
    }
  }
  const validPort = (p: unknown): p is number =>
    Number.isInteger(p) && (p as number) >= 0 && (p as number) < 65536;
  const settings: Settings = {
    registryPort:
      validPort(saved.registryPort) && saved.registryPort > 0 ? saved.registryPort : await freePort(),
    apiPort:
      apiPort ??
      (validPort(saved.apiPort) ? saved.apiPort : (await portFree(DEFAULT_API_PORT)) ? DEFAULT_API_PORT : 0),
  };
  // `--port 0` asks for any port this once; it does not replace the port saved for later starts.
  const keep = { registryPort: settings.registryPort, apiPort: settings.apiPort || saved.apiPort || 0 };
  if (keep.registryPort !== saved.registryPort || keep.apiPort !== saved.apiPort) {
    await writeFile(path, `${JSON.stringify(keep, null, 2)}\n`);
  }
  return settings;
}

async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

/**
 * Logs the writes the registry's push guard refused, at most one line a second: whoever sends thousands must not
 * bury the log, and the next line says how many were not shown.
 */
export function refusalLogger(
  log: (line: string) => void,
  now: () => number = Date.now,
): (refusal: PushRefusal) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let unshown = 0;
  return (refusal) => {
    if (now() - lastAt < 1_000) {
      unshown++;
      return;
    }
    lastAt = now();
    const from = refusal.remoteAddress ? ` from ${refusal.remoteAddress}` : '';
    const detail = refusal.detail ? ` (${refusal.detail})` : '';
    const more = unshown > 0 ? `; ${unshown} more refused before it, not shown` : '';
    unshown = 0;
    log(`registry: refused ${refusal.method} ${refusal.path}${from}: ${refusal.reason}${detail}${more}`);
  };
}

/** One line saying what an event is about, for the foreground log. */
export function describeEvent(event: DrydockEvent): string {
  switch (event.detailType) {
    case 'Definition Pushed': {
      const d = event.detail;
      return `push ${d.repository} ${d.ref} ${d.after.slice(0, 12)}: ${d.definitions.map((c) => c.path).join(', ')}`;
    }
    case 'Definition Gate Requested': {
      const d = event.detail;
      return `definition ${d.repository}/${d.definition} ${d.commit.slice(0, 12)} (${d.change})`;
    }
    case 'Definition Verdict': {
      const d = event.detail;
      const errors = d.findings.length;
      return `verdict ${d.repository}/${d.definition} ${d.commit.slice(0, 12)}: ${d.passed ? 'passed' : 'FAILED'}${errors ? ` (${errors} finding${errors === 1 ? '' : 's'})` : ''}${d.substituted ? ', base substituted' : ''}`;
    }
    case 'Build Requested':
      return `build requested ${event.detail.repository}/${event.detail.definition} (${event.detail.buildId})`;
    case 'Build Completed':
      return `built ${event.detail.repository}/${event.detail.definition} (${event.detail.buildId})`;
    case 'Build Failed':
      return `build FAILED ${event.detail.repository}/${event.detail.definition} (${event.detail.buildId}) at ${event.detail.stage}: ${event.detail.reason}`;
    case 'Image Tested': {
      const d = event.detail;
      const subject = `tested ${d.repository}/${d.definition} (${d.buildId})`;
      const invalid = d.failures.find((f) => f.suite === INVALID_TESTS_SUITE);
      if (invalid) return `${subject}: FAILED, ${invalid.name} is invalid (no test ran)`;
      return `${subject}: ${d.passed ? 'passed' : 'FAILED'} ${d.summary.tests - d.summary.failures}/${d.summary.tests}`;
    }
    case 'Image Published':
      return `published ${event.detail.ref} ${event.detail.digest.slice(0, 19)}${event.detail.rebuild ? ` (rebuild for ${event.detail.rebuild.banId})` : ''}`;
    case 'Base Image Banned':
      return `ban ${event.detail.banId} of ${event.detail.ref} by ${event.detail.by}: ${event.detail.reason}`;
    case 'Base Image Unbanned':
      return `ban ${event.detail.banId} of ${event.detail.ref} lifted by ${event.detail.by}`;
    case 'Band-Aid Requested':
      return `band-aid ${event.detail.bandAidId} for ${event.detail.banId}: ${event.detail.targets.length} container${event.detail.targets.length === 1 ? '' : 's'} (batch ${event.detail.batch})`;
    case 'Rebuild Outcome': {
      const d = event.detail;
      return `rebuild ${d.repository}/${d.definition} ${d.commit.slice(0, 12)} for ${d.banId}: ${d.state}${d.reason ? ` (${d.reason})` : ''}`;
    }
    default:
      return (event as { detailType: string }).detailType;
  }
}

/**
 * Starts the local pipeline on a state directory and keeps it running: the registry behind its push guard,
 * the policy file (a default one on first start), the workers on every queue, and the HTTP API; writes
 * runtime.json for the CLI. Work a killed predecessor left in flight is made visible again at once.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const stateDir = resolve(options.stateDir);
  await assertToolsInstalled(
    options.seedBases === false
      ? LOCAL_PIPELINE_TOOLS.filter((t) => t.debianPackage !== 'busybox-static')
      : LOCAL_PIPELINE_TOOLS,
  );
  assertRunsAsRoot();
  await assertUserNamespaceRanges();
  await mkdir(stateDir, { recursive: true, mode: 0o755 });
  // Before anything in it is read: a state dir another user can write is theirs, whatever it holds.
  await assertStateDirTrusted(stateDir);
  const releaseLock = await acquireLock(stateDir);
  // Names in log lines (repositories, definition paths, ban reasons, error text) come from pushes and requests:
  // one written with an escape sequence or a line break must not forge lines on ops' terminal.
  const log = (line: string): void => options.log(escapeControls(line));
  let pipeline: LocalPipeline | undefined;
  let api: RunningHttpApi | undefined;
  let workers: Workers | undefined;
  try {
    // state.db is made 0600 before SQLite first opens it, so no other user can open it in between.
    await restrictStateFiles(stateDir);
    // A corrupt database is refused before anything reads or writes it.
    checkStateDatabase(join(stateDir, STATE_FILE));
    const settings = await loadSettings(stateDir, options.apiPort);
    let policy: () => Promise<import('../../core/policy/schema.js').Policy> = async () => {
      throw new DrydockError('the policy is not loaded yet', { code: 'POLICY_NOT_READY', retryable: true });
    };
    pipeline = await openLocalPipeline({
      stateDir,
      policy: () => policy(),
      registryPort: settings.registryPort,
      onRegistryRefused: refusalLogger(log),
      ...(options.onToolTime ? { onToolTime: options.onToolTime } : {}),
      ...(options.buildTimeoutMs ? { buildTimeoutMs: options.buildTimeoutMs } : {}),
      buildConcurrency: options.buildConcurrency ?? 2,
      onNotified: (note) =>
        log(`notify ${note.repository}/${note.definition}: ${note.summary.split('\n')[0]}`),
    });
    const opened = pipeline;
    const outbox = new SqliteOutbox(opened.db);
    const policyPath = await ensurePolicyFile(stateDir, opened.registryHost);
    // A policy that does not validate at start is refused: the gate would have nothing to apply.
    const initial = await readPolicyFile(policyPath);
    const versions = new SqlitePolicyVersions(opened.db);
    const applied = (text: string) => {
      const { version, changed } = versions.record(text, policyPath);
      if (changed) log(`policy version ${version.version} in force (sha256 ${version.sha256.slice(0, 12)})`);
    };
    applied(await readFile(policyPath, 'utf8'));
    policy = watchedPolicy(
      policyPath,
      initial,
      (error) => log(`policy ${policyPath} not applied, the previous one stays in force: ${error.message}`),
      applied,
    );

    // Before the workers: a build resumed below must not run beside the buildah a killed predecessor left running.
    const left = await removeLeftovers(opened.containerEnv);
    const found = Object.entries(left).filter(([, n]) => n > 0);
    if (found.length > 0)
      log(`removed what a previous run left: ${found.map(([what, n]) => `${n} ${what}`).join(', ')}`);

    // A band-aid a killed predecessor was running is recorded as interrupted and never run again.
    const interrupted = await opened.bans.interruptRunning(new Date().toISOString());
    if (interrupted > 0) {
      log(
        `${interrupted} band-aid run${interrupted === 1 ? '' : 's'} a previous run left running marked interrupted`,
      );
      // Its processes in the containers outlived it (no time limit ends them now): end them, so that an
      // interrupted run is over in the container too, not only in the record.
      try {
        const ended = await opened.fleet.endLeftoverBandAids();
        if (ended > 0)
          log(
            `ended ${ended} band-aid process${ended === 1 ? '' : 'es'} a previous run left in fleet containers`,
          );
      } catch (error) {
        log(`could not end the band-aid processes a previous run left: ${(error as Error).message}`);
      }
    }
    // Pending band-aid runs are asked for again: the batch a crash left behind may run out of receives.
    const resumed = await resumeBandAids(
      { store: opened.bans, bus: opened.bus, clock: systemClock },
      new Date().toISOString(),
    );
    if (resumed.length > 0) {
      const runs = resumed.reduce((n, e) => n + e.detail.targets.length, 0);
      log(`requested ${runs} pending band-aid run${runs === 1 ? '' : 's'} again`);
    }
    // The prestart hook reads the admission list without the daemon: it is rewritten from the ban store at once.
    await opened.admission.replace(await opened.bans.unsupportedImages());

    let recovered = 0;
    for (const queue of Object.values(opened.queues)) recovered += queue.recoverInFlight();
    if (recovered > 0)
      log(`resuming ${recovered} message${recovered === 1 ? '' : 's'} a previous run left in flight`);

    // A message a crash left on its last receive is dead-lettered now, and every build whose gate, build, test or
    // publish message was dead-lettered ends as failed: else a ban's rebuild would hold its slot for good.
    const eventLog = new SqliteEventLog(opened.db);
    const deadLetterDeps = {
      records: opened.records,
      bus: opened.bus,
      clock: systemClock,
      logged: async (id: string) => (await eventLog.get(id)) !== undefined,
    };
    let sweeping: Promise<unknown> = Promise.resolve();
    const sweepDeadLetters = (): Promise<unknown> => {
      sweeping = sweeping
        .then(async () => {
          const ended = await endDeadLetteredBuilds(opened.queues, deadLetterDeps);
          for (const e of ended) {
            log(
              `build ${e.detail.buildId} (${e.detail.repository}/${e.detail.definition}) failed: ${e.detail.reason}`,
            );
          }
        })
        .catch((error) => log(`dead letters: could not end their builds: ${(error as Error).message}`));
      return sweeping;
    };
    await sweepDeadLetters();
    const rebuildQueue = opened.queues.rebuilds;
    const redriven = rebuildQueue ? await redriveAwaitedRebuildEvents(rebuildQueue, opened.bans) : 0;
    if (redriven > 0)
      log(
        `rebuilds: ${redriven} dead-lettered event${redriven === 1 ? '' : 's'} a rebuild waits for sent again`,
      );

    const handlers = Object.fromEntries(
      Object.entries(opened.handlers).map(([name, handle]) => [
        name,
        async (event: DrydockEvent) => {
          try {
            await handle(event);
          } catch (error) {
            log(`${name}: ${describeEvent(event)}: ${(error as Error).message} (will retry or dead-letter)`);
            throw error;
          }
          // The lineage step's event is the one that says an image was published; the outbox is shown apart.
          if (name !== 'notify') log(`${name}: ${describeEvent(event)}`);
        },
      ]),
    );
    const running = startWorkers({
      bus: opened.bus,
      queues: opened.queues,
      handlers,
      // The ban response's queues need one worker each: the band-aid step runs up to maxConcurrency execs itself.
      concurrency: { build: options.buildConcurrency ?? 2, test: 2, ban: 1, rebuilds: 1, 'band-aids': 1 },
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      onActivity: (a) => {
        if (a.kind === 'dead-lettered') {
          log(`${a.queue}: a message went to the dead-letter queue (drydock status shows it)`);
          void sweepDeadLetters().then(() => running.wake());
        }
        if (a.kind === 'fault')
          log(`${a.queue}: worker fault: ${(a.error as Error)?.message ?? String(a.error)}`);
      },
    });
    workers = running;

    const bases = options.bases(opened);
    const { tokens, generated } = await ensureApiTokens(stateDir);
    await restrictStateFiles(stateDir);
    if (generated.length > 0)
      log(
        `API tokens made (only this user can read them): ${generated.map((r) => `api/${r}-token`).join(', ')}`,
      );
    let info: RuntimeInfo | undefined;
    api = await startHttpApi(
      {
        info: () => info as RuntimeInfo,
        pipeline: opened,
        views: new SqlitePipelineViews(opened.db),
        outbox,
        policyVersions: versions,
        bases,
        wake: () => running.wake(),
        tokens,
        bans: {
          store: opened.bans,
          policy: opened.policyStore,
          bus: opened.bus,
          plan: localPlanPorts(opened, opened.fleet),
        },
      },
      { port: settings.apiPort },
    );
    info = {
      version: options.version,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stateDir,
      api: api.url,
      registry: opened.registryHost,
      repos: opened.reposRoot,
      policy: policyPath,
    };
    await writeRuntimeInfo(info);

    // A state dir deleted or moved under a running pipeline: stop, rather than write into files nobody can reach.
    let reportLost: (reason: string) => void = () => undefined;
    const lost = new Promise<string>((resolveLost) => {
      reportLost = resolveLost;
    });
    const watch = await watchStateDir(stateDir, {
      files: [STATE_FILE],
      intervalMs: options.stateDirCheckMs ?? 1000,
      onLost: (reason) => {
        log(`${reason}: stopping`);
        reportLost(reason);
        void runtime.stop();
      },
    });

    const openedApi = api;
    const started = info;
    let stopping: Promise<void> | undefined;
    const runtime: LocalRuntime = {
      lost,
      info: started,
      pipeline: opened,
      workers: running,
      bases,
      seedIfEmpty: async () => {
        if ((await bases.list()).length > 0) return;
        log('seeding the base catalogue (the registry has none; drydock bases seed does it again)');
        try {
          // The foreground log gets the milestones; buildah's own output is for `drydock bases seed`.
          const seeded = await bases.seed({}, (message) => {
            if (/^(building|seeded|bootstrapping|importing)\b|already seeded/.test(message))
              log(`bases: ${message}`);
          });
          log(`bases: ${seeded.map((b) => b.ref).join(', ')} ready`);
        } catch (error) {
          log(`bases: seeding failed: ${(error as Error).message}`);
        }
      },
      stop: () => {
        stopping ??= (async () => {
          watch.stop();
          let left = await running.stop();
          if (left > 0) {
            // A build or a test suite can run for minutes: end buildah and the test container now (their requests
            // stay queued) rather than leave them running after this process, against a closed state database,
            // while the next start builds or tests the same image.
            opened.interrupt();
            left = await running.stop(5_000);
          }
          if (left > 0)
            log(
              `${left} handler${left === 1 ? '' : 's'} still running; their work resumes at the next start`,
            );
          await openedApi.close();
          await removeRuntimeInfo(stateDir, process.pid);
          await opened.close();
          await releaseLock();
        })();
        return stopping;
      },
    };
    return runtime;
  } catch (error) {
    await workers?.stop(1_000);
    await api?.close();
    await pipeline?.close();
    await releaseLock();
    throw error;
  }
}
