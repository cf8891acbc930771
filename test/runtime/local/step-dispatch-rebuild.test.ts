// A ban's rebuild through the local pipeline's push steps (the queues' handlers over the local ports) with real
// parts (git, buildah, podman, the guarded registry, SQLite, the local bus and its queues): gate → build → test →
// publish, next to the push of the same commit, which it must neither replace nor disturb.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { seedBusyboxBases } from '../../../adapters/local/busybox-base-seeder.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import type { Rebuild } from '../../../core/events/rebuild.js';
import { LOCAL_EVENT_RULES } from '../../../core/events/rules.js';
import { BUILD_LABELS } from '../../../core/pipeline/build-step.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { Policy } from '../../../core/policy/schema.js';
import { LocalEventBus } from '../../../runtime/local/local-event-bus.js';
import { localStepPorts } from '../../../runtime/local/local-ports.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { drainOnce } from '../../../runtime/local/queue-worker.js';
import { queueHandlers } from '../../../runtime/local/step-dispatch.js';
import {
  createPipelineState,
  type PipelineState,
  pipelineFixture,
  REPOSITORY,
} from '../../fixtures/pipeline/pipeline-state.js';

let state: PipelineState;
let registry: BuildahImageRegistry;
let host: string;
const bases: Record<string, string> = {};

beforeAll(async () => {
  state = await createPipelineState({ registry: true });
  const { guard, credential } = state.registry!;
  host = guard.host;
  registry = new BuildahImageRegistry({ host, credential, containerEnv: state.containerEnv });
  const seeded = await seedBusyboxBases({
    builder: new BuildahBuildService({ env: state.containerEnv.env }),
    registryHost: host,
    versions: ['1.36.0', '1.36.1'],
    push: (ref) => registry.push(ref, { repository: 'base/busybox', tag: ref.split(':').at(-1)! }),
  });
  for (const base of seeded) bases[base.ref] = base.digest;
}, 180_000);

afterAll(async () => {
  await state?.cleanup();
});

/** The queues' handlers over the local ports, on the bus with the local rules (the ban's targets included). */
function pipeline(policy: () => Policy) {
  const { db, containerEnv, dir } = state;
  const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 120_000 });
  const log = new SqliteEventLog(db);
  const bus = new LocalEventBus(log, queues, LOCAL_EVENT_RULES);
  const ports = localStepPorts(
    {
      stateDir: dir,
      db,
      bus,
      registry,
      credential: state.registry!.credential,
      containerEnv,
      stopping: new AbortController().signal,
    },
    { policy: async () => policy(), buildTimeoutMs: 120_000, testTimeLimitMs: 60_000 },
  );
  const handlers = queueHandlers(Object.keys(queues), ports);
  /** Handles what waits in each queue of the push flow, in order, as the workers do; nothing may fail. */
  const flow = async () => {
    for (const step of ['gate', 'gate', 'build', 'test', 'publish', 'lineage']) {
      const result = await drainOnce(queues[step]!, handlers[step]!, { batch: 10 });
      expect([result.retried, result.deadLettered], `${step} retried or dead-lettered a message`).toEqual([
        0, 0,
      ]);
    }
  };
  const events = async () => (await log.readAfter(0, 10_000)).map((l) => l.event);
  return { bus, queues, records: ports.records, flow, events };
}

const detailsOf = <T extends DrydockEvent['detailType']>(events: DrydockEvent[], type: T) =>
  events.flatMap((e) => (e.detailType === type ? [e as Extract<DrydockEvent, { detailType: T }>] : []));

describe("a ban's rebuild in the local pipeline", () => {
  it('goes gate → build → test → publish as a push does, under its own tag, build record and labels', async () => {
    const old = `${host}/base/busybox:1.36.0`;
    const commit = await state.commit({
      'app/Dockerfile': `FROM ${old}\nCOPY hello.txt /app/hello.txt\nUSER 1000\n`,
      'app/hello.txt': 'hello from the app\n',
      'app/image-tests.yaml': await pipelineFixture('passing.yaml'),
    });
    const allowed = `version: 1\ntrustedRegistries: ["${host}"]\nallowed:\n  - image: ${host}/base/busybox\n    tags: ["1.36*"]\n`;
    let policy = parsePolicy(allowed);
    const p = pipeline(() => policy);

    // The push, as today.
    await p.bus.publish([
      {
        id: 'push-app',
        source: 'drydock',
        detailType: 'Definition Pushed',
        time: new Date().toISOString(),
        detail: {
          repository: REPOSITORY,
          ref: 'refs/heads/main',
          before: '0'.repeat(40),
          after: commit,
          pusher: 'dev',
          definitions: [{ path: 'app/Dockerfile', change: 'added' }],
        },
      },
    ]);
    await p.flow();
    const [pushed] = detailsOf(await p.events(), 'Image Published');
    expect(pushed?.detail.ref).toBe(`${host}/apps/${REPOSITORY}/app:${commit.slice(0, 12)}`);
    expect(pushed?.detail).not.toHaveProperty('rebuild');

    // Ops ban busybox 1.36.0 (now in the policy, no replacement there); the ban's rebuild names 1.36.1.
    policy = parsePolicy(`${allowed}banned:\n  - image: ${old}\n    reason: CVE-2026-0001\n`);
    const to = `${host}/base/busybox:1.36.1@${bases[`${host}/base/busybox:1.36.1`]}`;
    const rebuild: Rebuild = {
      banId: 'ban-1',
      number: 1,
      of: pushed!.detail.digest,
      substitutions: [{ from: old, to, rule: 'ban ban-1: replacement' }],
    };
    await p.bus.publish([
      {
        id: 'rebuild-request-app',
        source: 'drydock',
        detailType: 'Definition Gate Requested',
        time: new Date().toISOString(),
        detail: {
          repository: REPOSITORY,
          commit,
          definition: 'app/Dockerfile',
          change: 'modified',
          correlationId: 'ban-1',
          rebuild,
        },
      },
    ]);
    await p.flow();

    const events = await p.events();
    const published = detailsOf(events, 'Image Published');
    expect(published).toHaveLength(2);
    const rebuilt = published[1]!;
    expect(rebuilt.detail).toMatchObject({
      ref: `${host}/apps/${REPOSITORY}/app:${commit.slice(0, 12)}-r1`,
      commit,
      rebuild,
      bases: [{ name: to, digest: bases[`${host}/base/busybox:1.36.1`] }],
    });
    // Every step of the rebuild carried it on, and passed.
    for (const type of [
      'Definition Verdict',
      'Build Requested',
      'Build Completed',
      'Image Tested',
    ] as const) {
      const mine = detailsOf(events, type).filter((e) => e.detail.rebuild !== undefined);
      expect(
        mine.map((e) => e.detail.rebuild),
        type,
      ).toEqual([rebuild]);
    }
    expect(detailsOf(events, 'Build Requested')[1]?.detail.dockerfile).toBe(
      `FROM ${to}\nCOPY hello.txt /app/hello.txt\nUSER 1000\n`,
    );
    expect(detailsOf(events, 'Image Tested').map((e) => e.detail.passed)).toEqual([true, true]);

    // The rebuilt image: its labels name the ban, the image it replaces and the new base.
    const image = await registry.inspect(rebuilt.detail.ref);
    expect(image?.digest).toBe(rebuilt.detail.digest);
    expect(image?.labels).toMatchObject({
      [BUILD_LABELS.rebuildOf]: pushed!.detail.digest,
      [BUILD_LABELS.ban]: 'ban-1',
      [BUILD_LABELS.baseDigest]: bases[`${host}/base/busybox:1.36.1`],
      [BUILD_LABELS.revision]: commit,
    });
    // The push's tag still holds the image it held.
    expect((await registry.inspect(pushed!.detail.ref))?.digest).toBe(pushed!.detail.digest);

    // Two build records of the same (definition, commit): the push's and the rebuild's, both published.
    const key = { repository: REPOSITORY, definition: 'app/Dockerfile', commit };
    expect(await p.records.find(key)).toMatchObject({
      state: 'published',
      imageDigest: pushed!.detail.digest,
    });
    expect(await p.records.find({ ...key, rebuild: 'ban-1#1' })).toMatchObject({
      buildId: rebuilt.detail.buildId,
      state: 'published',
      imageDigest: rebuilt.detail.digest,
    });
    expect(await p.records.newestFor(REPOSITORY, 'app/Dockerfile')).toMatchObject({ rebuild: 'ban-1#1' });

    // The ban's rebuild tracker hears of the rebuild's publication, and of nothing the push did.
    const tracked = await p.queues.rebuilds!.receive({ max: 10 });
    expect(tracked.map((m) => [m.body?.event.detailType, m.body?.event.id])).toEqual([
      ['Image Published', events.find((e) => e.detailType === 'Image Published' && e.detail.rebuild)?.id],
    ]);
  }, 600_000);
});
