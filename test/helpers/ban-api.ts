import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteBanStore } from '../../adapters/local/sqlite-ban-store.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteOutbox } from '../../adapters/local/sqlite-outbox.js';
import { SqlitePipelineViews } from '../../adapters/local/sqlite-pipeline-views.js';
import { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import type { DrydockEvent, ImagePublishedEvent } from '../../core/events/index.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { type ApiTokens, ensureApiTokens } from '../../runtime/local/api-tokens.js';
import { localPlanPorts } from '../../runtime/local/ban-api.js';
import { localBaseCatalogue, pushTo } from '../../runtime/local/bases.js';
import { FilePolicyStore } from '../../runtime/local/file-policy-store.js';
import { type RunningHttpApi, startHttpApi } from '../../runtime/local/http-api.js';
import { type LocalPipeline, openLocalPipeline } from '../../runtime/local/open-local-pipeline.js';
import { defaultLocalPolicy, POLICY_FILE } from '../../runtime/local/policy-store.js';
import { type RuntimeInfo, writeRuntimeInfo } from '../../runtime/local/runtime-info.js';
import { commit, digest } from '../contracts/sample-events.js';
import { type Answer, apiRequest, type RequestOptions } from './api-request.js';

const run = promisify(execFile);

export type { Answer } from './api-request.js';

/** A real local pipeline's API with the ban response wired: real SQLite ban store, policy file and bus. */
export interface BanApiHarness {
  readonly dir: string;
  readonly pipeline: LocalPipeline;
  readonly api: RunningHttpApi;
  readonly tokens: ApiTokens;
  readonly bans: SqliteBanStore;
  readonly policyFile: string;
  /** The banned base every recorded image is built on (in the pipeline's registry). */
  readonly banned: string;
  readonly replacement: string;
  /** Records a published image built on `base` (default: the banned base). */
  record(name: string, base?: { name: string; digest: string }): Promise<ImagePublishedEvent>;
  /** Every event the bus logged. */
  events(): Promise<DrydockEvent[]>;
  /** One request; the ops token unless `token` says another (null: none). */
  call(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** The digest of the banned base in every harness. */
export const BANNED_DIGEST = digest('busybox-1.36.0');

/** Opens a local pipeline on a new state dir with a policy holding a band-aid, and starts its API. */
export async function startBanApiHarness(): Promise<BanApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-bans-'));
  chmodSync(dir, 0o755);
  const tokens = (await ensureApiTokens(dir)).tokens;
  const policyFile = join(dir, POLICY_FILE);
  const pipeline = await openLocalPipeline({
    stateDir: dir,
    policy: async () => parsePolicy(readFileSync(policyFile, 'utf8')),
  });
  const registry = pipeline.registryHost;
  const policyText = `${defaultLocalPolicy(registry)}
bandAids:
  - id: kill-service
    description: stop a service in an affected container
    command: ["/bin/kill", "-s", "TERM", "{{pid}}"]
    params:
      pid: { pattern: "[0-9]{1,7}" }
    appliesTo: ["${registry}/apps/**"]
`;
  writeFileSync(policyFile, policyText, { mode: 0o644 });
  const policyVersions = new SqlitePolicyVersions(pipeline.db);
  policyVersions.record(policyText, policyFile);
  const bans = new SqliteBanStore(pipeline.db);
  const info: RuntimeInfo = {
    version: '0.0.0-test',
    pid: process.pid,
    startedAt: '2026-12-07T18:00:00.000Z',
    stateDir: dir,
    api: 'set below',
    registry,
    repos: pipeline.reposRoot,
    policy: policyFile,
  };
  const api: RunningHttpApi = await startHttpApi(
    {
      info: () => ({ ...info, api: api.url }),
      pipeline,
      views: new SqlitePipelineViews(pipeline.db),
      outbox: new SqliteOutbox(pipeline.db),
      policyVersions,
      bases: localBaseCatalogue({
        builder: pipeline.builder,
        registry: pipeline.registry,
        push: pushTo(pipeline.registry),
        registryHost: registry,
        workDir: join(dir, 'containers', 'tmp'),
      }),
      wake: () => undefined,
      tokens,
      bans: {
        store: bans,
        policy: new FilePolicyStore(policyFile, policyVersions),
        bus: pipeline.bus,
        // No container runs in these tests: the plan's fleet side is empty.
        plan: localPlanPorts(pipeline, { running: async () => [] }),
      },
    },
    { wakeIntervalMs: 60_000 },
  );
  // The CLI finds the API through runtime.json, as it finds a real drydock start.
  await writeRuntimeInfo({ ...info, api: api.url });
  const log = new SqliteEventLog(pipeline.db);
  const banned = `${registry}/base/busybox:1.36.0`;

  const call: BanApiHarness['call'] = (method, path, options = {}) =>
    apiRequest(api.port, method, path, {
      ...options,
      token: options.token === undefined ? tokens.ops : options.token,
    });

  return {
    dir,
    pipeline,
    api,
    tokens,
    bans,
    policyFile,
    banned,
    replacement: `${registry}/base/busybox:1.36.1`,
    async record(name, base = { name: banned, digest: BANNED_DIGEST }) {
      const event: ImagePublishedEvent = {
        id: `published-${name}`,
        source: 'drydock',
        detailType: 'Image Published',
        time: '2026-12-01T10:00:00.000Z',
        detail: {
          ref: `${registry}/apps/${name}:${commit(name).slice(0, 12)}`,
          digest: digest(name),
          configDigest: digest(`${name}-config`),
          bases: [base],
          definition: `${name}/Dockerfile`,
          repository: name,
          commit: commit(name),
        },
      };
      await pipeline.lineage.record(event);
      return event;
    },
    async events() {
      return (await log.readAfter(0, 10_000)).map((l) => l.event);
    },
    call,
    async close() {
      await api.close();
      await pipeline.close();
      const env = { ...process.env, ...pipeline.containerEnv.env };
      await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
