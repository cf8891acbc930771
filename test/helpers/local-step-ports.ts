import { join } from 'node:path';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { LOCAL_EVENT_RULES } from '../../core/events/rules.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { LocalEventBus } from '../../runtime/local/local-event-bus.js';
import { type LocalPortOptions, localStepPorts } from '../../runtime/local/local-ports.js';
import { pipelineQueues } from '../../runtime/local/open-local-pipeline.js';
import type { TempState } from '../contracts/local-state.js';

/** Where the registry of `openLocalStepPorts` points: nothing listens there, so nothing assembled this way may push. */
export const UNREACHABLE_REGISTRY = '127.0.0.1:1';

/**
 * The local pipeline's queues, bus and `localStepPorts` on a fresh state, with no registry or container storage:
 * for tests of the steps that neither build nor push. The policy is an empty one unless `options` gives another.
 */
export function openLocalStepPorts(state: TempState, options: Partial<LocalPortOptions> = {}) {
  const db = state.open();
  const log = new SqliteEventLog(db);
  const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000 });
  const bus = new LocalEventBus(log, queues, LOCAL_EVENT_RULES);
  const containerEnv = {
    env: {},
    root: join(state.dir, 'containers'),
    buildTmp: join(state.dir, 'build-tmp'),
  };
  const credential = { username: 'drydock-pipeline', secret: 'unused' };
  const stopping = new AbortController();
  const ports = localStepPorts(
    {
      stateDir: state.dir,
      db,
      bus,
      registry: new BuildahImageRegistry({ host: UNREACHABLE_REGISTRY, credential, containerEnv }),
      credential,
      containerEnv,
      stopping: stopping.signal,
    },
    { policy: async () => parsePolicy('version: 1\n'), ...options },
  );
  return { db, log, queues, bus, ports, stopping };
}
