import { beforeEach, describe, expect, it } from 'vitest';
import { DrydockError } from '../../../core/errors.js';
import type { BuildRequestedEvent } from '../../../core/events/build-requested.js';
import { stableId } from '../../../core/events/ids.js';
import { parseEvent } from '../../../core/events/index.js';
import { buildIdFor } from '../../../core/gate/handle-push.js';
import {
  BUILD_LABELS,
  BuildInterruptedError,
  type BuildStepDeps,
  buildImageTag,
  runBuild,
} from '../../../core/pipeline/build-step.js';
import { BuildContextInvalidError } from '../../../core/ports/build-context.js';
import { ToolMissingError } from '../../../core/ports/build-service.js';
import { commit as commitOf } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';

const COMMIT = commitOf('definitions');
const HOST = '127.0.0.1:5000';
const BASE = `${HOST}/base/busybox:1.36.0`;

const DEFINITIONS: Record<string, string> = {
  'apps/hello/Dockerfile': `FROM ${BASE}\nCOPY greeting.txt /greeting.txt\nRUN echo built > /built.txt\n`,
  'apps/hello/greeting.txt': 'hello\n',
  'apps/multi/Dockerfile': `FROM ${BASE} AS build\nRUN echo x > /x\nFROM build\nRUN cat /x\n`,
  'apps/static/Dockerfile': `FROM ${BASE} AS tools\nFROM scratch\nCOPY --from=tools /bin/busybox /busybox\n`,
  'apps/foreign/Dockerfile': 'FROM quay.io/someone/tool:2\nRUN true\n',
  // A registry host that only starts like the pipeline's is another registry.
  'apps/lookalike/Dockerfile': 'FROM 127.0.0.1.evil.example:5000/base/busybox:1.36.0\nRUN true\n',
  'apps/missing/Dockerfile': `FROM ${HOST}/base/busybox:9\nRUN true\n`,
  'apps/nofrom/Dockerfile': 'RUN true\n',
};

let f: PushFlowFakes;
let deps: BuildStepDeps;
let baseDigest: string;

beforeEach(() => {
  f = pushFlowFakes();
  baseDigest = f.registry.seed('base/busybox', '1.36.0').digest;
  f.source.commit('team-a', COMMIT, DEFINITIONS);
  deps = {
    context: f.context,
    builder: f.builder,
    registry: f.registry,
    records: f.records,
    workspace: f.workspaces.open,
    logSink: f.logs.open,
    timeoutMs: 120_000,
  };
});

/** A Build Requested event the way the gate makes it for a definition of the fixture commit. */
function requested(definition: string): BuildRequestedEvent {
  const key = ['team-a', COMMIT, definition] as const;
  const parsed = parseEvent({
    id: stableId('build-requested', ...key),
    source: 'drydock',
    detailType: 'Build Requested',
    time: '2025-03-14T09:00:00.000Z',
    detail: {
      buildId: buildIdFor(...key),
      repository: 'team-a',
      commit: COMMIT,
      definition,
      dockerfile: DEFINITIONS[definition],
      substitutions: [],
      correlationId: 'push-1',
    },
  });
  if (!parsed.ok || parsed.event.detailType !== 'Build Requested') throw new Error('bad sample event');
  return parsed.event;
}

const REBUILD = { banId: 'ban-7', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };

/** The push's build request as the gate makes it for a ban's rebuild of the same commit. */
function asRebuild(push: BuildRequestedEvent, rebuild = REBUILD): BuildRequestedEvent {
  const { repository, commit, definition } = push.detail;
  return {
    ...push,
    id: `${push.id}-rebuild`,
    detail: { ...push.detail, buildId: buildIdFor(repository, commit, definition, rebuild), rebuild },
  };
}

describe('runBuild', () => {
  it('builds the definition directory on the base pinned by digest, asking for the lineage labels', async () => {
    const event = requested('apps/hello/Dockerfile');
    const { buildId } = event.detail;
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Completed');
    if (outcome.detailType !== 'Build Completed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail).toMatchObject({
      buildId,
      imageRef: buildImageTag(buildId),
      configDigest: f.images.get(buildImageTag(buildId))?.imageId,
      bases: [{ name: BASE, digest: baseDigest }],
      logPath: f.logs.pathOf(buildId),
    });
    expect(f.context.exports).toMatchObject([
      { repository: 'team-a', commit: COMMIT, definitionDir: 'apps/hello' },
    ]);
    const [built] = f.builder.builds;
    expect(built?.dockerfileText).toBe(
      `FROM ${HOST}/base/busybox@${baseDigest}\nCOPY greeting.txt /greeting.txt\nRUN echo built > /built.txt\n`,
    );
    expect(built?.labels).toEqual({
      [BUILD_LABELS.baseName]: BASE,
      [BUILD_LABELS.baseDigest]: baseDigest,
      [BUILD_LABELS.source]: 'drydock://team-a/apps/hello/Dockerfile',
      [BUILD_LABELS.revision]: COMMIT,
      [BUILD_LABELS.buildId]: buildId,
      [BUILD_LABELS.definition]: 'apps/hello/Dockerfile',
      // Empty on a push build, so that a LABEL of the Dockerfile cannot pass the image off as a ban's rebuild.
      [BUILD_LABELS.rebuildOf]: '',
      [BUILD_LABELS.ban]: '',
    });
    expect([...(built?.contextFiles.keys() ?? [])].sort()).toEqual(['Dockerfile', 'greeting.txt']);
    expect(f.workspaces.live()).toEqual([]);
    const log = f.logs.lines(buildId);
    expect(log[0]).toBe(`drydock: base ${BASE} is ${baseDigest}`);
    expect(log).toContain('STEP 3/3: RUN echo built > /built.txt');
    expect(outcome.detail.logTail).toBe(log.join('\n'));
    expect(f.logs.closed).toEqual([buildId]);
    expect(await f.records.get(buildId)).toMatchObject({
      state: 'testing',
      imageDigest: outcome.detail.configDigest,
      attempts: 1,
      logPath: f.logs.pathOf(buildId),
      history: [{ state: 'queued' }, { state: 'building' }, { state: 'testing' }],
    });
  });

  it('gives a redelivered request its recorded outcome without building again', async () => {
    const event = requested('apps/hello/Dockerfile');
    const outcome = await runBuild(event, deps);
    const lines = f.logs.lines(event.detail.buildId);
    const again = await runBuild(event, deps);
    expect(again).toEqual({ ...outcome, detail: { ...outcome.detail, logTail: '' } });
    expect(f.builder.builds).toHaveLength(1);
    expect(f.logs.lines(event.detail.buildId)).toEqual(lines);
    expect((await f.records.get(event.detail.buildId))?.attempts).toBe(1);
  });

  it('times the build from the records: the outcome carries when it finished and how long it took', async () => {
    const event = requested('apps/hello/Dockerfile');
    const builder = deps.builder;
    const outcome = await runBuild(event, {
      ...deps,
      builder: {
        build: async (request) => {
          f.clock.advance(42_000);
          return builder.build(request);
        },
      },
    });
    expect(outcome).toMatchObject({
      time: f.clock.now().toISOString(),
      detail: { durationMs: 42_000 },
    });
  });

  it('labels a multi-stage image with the external base its final stage comes from, and a FROM scratch image with an empty base', async () => {
    await runBuild(requested('apps/multi/Dockerfile'), deps);
    expect(f.builder.builds[0]?.labels).toMatchObject({
      [BUILD_LABELS.baseName]: BASE,
      [BUILD_LABELS.baseDigest]: baseDigest,
    });
    const scratch = await runBuild(requested('apps/static/Dockerfile'), deps);
    expect(scratch).toMatchObject({ detail: { bases: [{ name: BASE, digest: baseDigest }] } });
    // Empty rather than absent: a LABEL in the team's Dockerfile cannot name a base the image was not built on.
    expect(f.builder.builds[1]?.labels).toMatchObject({
      [BUILD_LABELS.baseName]: '',
      [BUILD_LABELS.baseDigest]: '',
    });
  });

  it('reports a failing build as Build Failed with the reason and the end of the log, once', async () => {
    const event = requested('apps/hello/Dockerfile');
    const reason = 'error building at STEP "RUN echo built > /built.txt": exit status 3';
    f.builder.scriptNext({ kind: 'fail', reason, lines: ['STEP 3/3: RUN echo built', 'about to fail'] });
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail).toMatchObject({
      stage: 'build',
      reason,
      logPath: f.logs.pathOf(event.detail.buildId),
    });
    expect(outcome.detail.logTail).toBe('STEP 3/3: RUN echo built\nabout to fail');
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'failed', error: reason });
    expect(f.workspaces.live()).toEqual([]);

    const again = await runBuild(event, deps);
    expect(again).toMatchObject({ id: outcome.id, detail: { reason } });
    expect(f.builder.builds).toHaveLength(1);
  });

  it("reports a team's context the source refuses as Build Failed with the reason, not as a fault of the pipeline", async () => {
    const event = requested('apps/hello/Dockerfile');
    const reason =
      'build context "secret" is a symbolic link to the absolute path "/etc/shadow", outside the context';
    f.context.failNext(new BuildContextInvalidError(reason));
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail).toMatchObject({
      stage: 'build',
      reason,
      logPath: f.logs.pathOf(event.detail.buildId),
    });
    expect(outcome.detail.logTail).toContain(reason);
    expect(f.logs.lines(event.detail.buildId)).toContain(`drydock: ${reason}`);
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'failed', error: reason });
    expect(f.builder.builds).toEqual([]);
    expect(f.workspaces.live()).toEqual([]);
    // Redelivered: the recorded failure, nothing exported or built again.
    const again = await runBuild(event, deps);
    expect(again).toMatchObject({ id: outcome.id, detailType: 'Build Failed', detail: { reason } });
    expect(f.context.exports).toEqual([]);
    expect(f.builder.builds).toEqual([]);
  });

  it("throws a context fault that is not the team's (no BuildContextInvalidError) for the worker, failing nothing", async () => {
    const event = requested('apps/hello/Dockerfile');
    f.context.failNext(
      new DrydockError('build context directory /x is not empty', { code: 'BUILD_CONTEXT_EXPORT_FAILED' }),
    );
    await expect(runBuild(event, deps)).rejects.toMatchObject({ code: 'BUILD_CONTEXT_EXPORT_FAILED' });
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'building' });
    expect(f.workspaces.live()).toEqual([]);
  });

  // A team's RUN prints what it likes: 20 lines of 64 KiB made a 1.3 MB event that neither EventBridge nor the
  // relay takes, and the team got a generic failure in place of its Build Failed.
  it('keeps a Build Failed of a RUN printing huge lines under 64 KiB, with the error that ends the log', async () => {
    const lines = [
      ...Array.from({ length: 19 }, (_, i) => `noise ${i} ${'\u0001'.repeat(64 * 1024)}`),
      'ERROR: npm ci failed: EINTEGRITY sha512 mismatch',
    ];
    const reason = `error building at STEP "RUN ${'x'.repeat(200_000)}": exit status 1`;
    f.builder.scriptNext({ kind: 'fail', reason, lines });
    const event = requested('apps/hello/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(outcome)).length).toBeLessThan(64 * 1024);
    const tail = outcome.detail.logTail.split('\n');
    expect(tail.at(-1)).toBe('ERROR: npm ci failed: EINTEGRITY sha512 mismatch');
    expect(tail[0]).toMatch(/^drydock: \d+ earlier lines of the log left out of this tail$/);
    expect(tail[1]).toMatch(/ … \[\d+ bytes of this line cut\]$/);
    expect(outcome.detail.reason).toMatch(
      /^error building at STEP "RUN x+ … \[\d+ bytes of this line cut\]$/,
    );
    expect((await f.records.get(event.detail.buildId))?.error).toBe(outcome.detail.reason);
    // The log itself keeps every line whole.
    expect(f.logs.lines(event.detail.buildId)).toEqual(expect.arrayContaining(lines));
  });

  it('keeps a Build Completed of a build printing huge lines under 64 KiB, with its last line', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i} ${'é'.repeat(40_000)}`);
    f.builder.scriptNext({ kind: 'print', lines: [...lines, 'built fine'] });
    const outcome = await runBuild(requested('apps/hello/Dockerfile'), deps);
    expect(outcome.detailType).toBe('Build Completed');
    expect(parseEvent(outcome).ok).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(outcome)).length).toBeLessThan(64 * 1024);
    expect(outcome.detail.logTail.length).toBeGreaterThan(0);
    expect(outcome.detail.logTail.split('\n').some((l) => l.startsWith('line 19 éé'))).toBe(true);
  });

  it('keeps only the last tailLines lines of the log in the outcome', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    f.builder.scriptNext({ kind: 'fail', reason: 'exit status 1', lines });
    const outcome = await runBuild(requested('apps/hello/Dockerfile'), { ...deps, tailLines: 3 });
    expect(outcome.detail.logTail).toBe('line 7\nline 8\nline 9');
  });

  it.each([
    [
      'apps/foreign/Dockerfile',
      `base image quay.io/someone/tool:2 is not in the pipeline's registry ${HOST}`,
    ],
    ['apps/lookalike/Dockerfile', `is not in the pipeline's registry ${HOST}`],
    ['apps/missing/Dockerfile', `base image ${HOST}/base/busybox:9 not found in ${HOST}`],
    ['apps/nofrom/Dockerfile', 'apps/nofrom/Dockerfile has no FROM instruction'],
  ])('fails %s without exporting or building: %s', async (definition, reason) => {
    const event = requested(definition);
    const outcome = await runBuild(event, deps);
    expect(outcome).toMatchObject({ detailType: 'Build Failed', detail: { stage: 'build' } });
    expect(outcome.detail.logTail).toContain(reason);
    if (outcome.detailType === 'Build Failed') expect(outcome.detail.reason).toContain(reason);
    const record = await f.records.get(event.detail.buildId);
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'failed']);
    expect(f.context.exports).toEqual([]);
    expect(f.builder.builds).toEqual([]);
  });

  it('reports a build over its time limit as Build Failed with the timeout', async () => {
    const event = requested('apps/hello/Dockerfile');
    f.builder.scriptNext({ kind: 'time-out', lines: ['waiting'] });
    const outcome = await runBuild(event, { ...deps, timeoutMs: 2_000 });
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: {
        stage: 'build',
        reason: expect.stringMatching(/timed out after 2000 ms/),
        logTail: 'waiting',
      },
    });
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'failed' });
  });

  it('throws ToolMissingError when the builder is not installed, leaving the build to be retried', async () => {
    const event = requested('apps/hello/Dockerfile');
    f.builder.scriptNext({ kind: 'tool-missing' });
    await expect(runBuild(event, deps)).rejects.toBeInstanceOf(ToolMissingError);
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'building' });
    expect(f.workspaces.live()).toEqual([]);
    expect(f.logs.closed).toEqual([event.detail.buildId]);
  });

  it('ends a running build when the pipeline stops with a retryable BuildInterruptedError, and builds it at the next start', async () => {
    const event = requested('apps/hello/Dockerfile');
    const stopping = new AbortController();
    f.builder.scriptNext({ kind: 'hang', lines: ['waiting'] });
    const building = runBuild(event, { ...deps, signal: stopping.signal }).catch((e: unknown) => e);
    while (!f.logs.lines(event.detail.buildId).includes('waiting'))
      await new Promise((r) => setTimeout(r, 1));
    stopping.abort();
    const error = await building;
    expect(error).toBeInstanceOf(BuildInterruptedError);
    expect(error).toMatchObject({ retryable: true, code: 'BUILD_INTERRUPTED' });
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'building' });
    expect(f.logs.lines(event.detail.buildId)).toContain(
      'drydock: build interrupted: the pipeline is stopping',
    );

    const restarted = await runBuild(event, deps);
    expect(restarted.detailType).toBe('Build Completed');
    expect(await f.records.get(event.detail.buildId)).toMatchObject({ state: 'testing', attempts: 2 });
  });

  it('refuses a build id that cannot name an image before anything is exported or built', async () => {
    const event = requested('apps/hello/Dockerfile');
    const forged = { ...event, detail: { ...event.detail, buildId: '../../escape' } };
    await expect(runBuild(forged, deps)).rejects.toMatchObject({ code: 'BUILD_ID_INVALID' });
    await expect(runBuild(forged, deps)).rejects.toBeInstanceOf(DrydockError);
    expect(f.context.exports).toEqual([]);
    expect(f.builder.builds).toEqual([]);
  });

  it("builds a ban's rebuild of a built commit as a build of its own, labelled with the ban and the image it replaces", async () => {
    const push = requested('apps/hello/Dockerfile');
    const pushed = await runBuild(push, deps);
    const outcome = await runBuild(asRebuild(push), deps);
    expect(outcome).toMatchObject({ detailType: 'Build Completed', detail: { rebuild: REBUILD } });
    if (outcome.detailType !== 'Build Completed' || pushed.detailType !== 'Build Completed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.id).not.toBe(pushed.id);
    expect(outcome.detail.buildId).toBe(buildIdFor('team-a', COMMIT, 'apps/hello/Dockerfile', REBUILD));
    expect(outcome.detail.imageRef).not.toBe(pushed.detail.imageRef);
    const [pushLabels, rebuildLabels] = f.builder.builds.map((b) => b.labels);
    expect(rebuildLabels).toMatchObject({
      [BUILD_LABELS.rebuildOf]: REBUILD.of,
      [BUILD_LABELS.ban]: 'ban-7',
      [BUILD_LABELS.buildId]: outcome.detail.buildId,
      [BUILD_LABELS.baseDigest]: baseDigest,
    });
    expect(pushLabels).toMatchObject({ [BUILD_LABELS.rebuildOf]: '', [BUILD_LABELS.ban]: '' });
    // Two records of the same (definition, commit): the push's, untouched, and the rebuild's.
    const key = { repository: 'team-a', definition: 'apps/hello/Dockerfile', commit: COMMIT };
    expect(await f.records.find(key)).toMatchObject({ buildId: push.detail.buildId, state: 'testing' });
    expect(await f.records.find(key)).not.toHaveProperty('rebuild');
    expect(await f.records.find({ ...key, rebuild: 'ban-7#1' })).toMatchObject({
      buildId: outcome.detail.buildId,
      rebuild: 'ban-7#1',
      state: 'testing',
      attempts: 1,
    });
  });

  it("reports a rebuild's failure with the rebuild, apart from the push's failure", async () => {
    const push = requested('apps/hello/Dockerfile');
    f.builder
      .scriptNext({ kind: 'fail', reason: 'exit status 3' })
      .scriptNext({ kind: 'fail', reason: 'exit status 3' });
    const pushFailed = await runBuild(push, deps);
    const outcome = await runBuild(asRebuild(push), deps);
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: { stage: 'build', rebuild: REBUILD },
    });
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.id).not.toBe(pushFailed.id);
    expect(await f.records.get(outcome.detail.buildId)).toMatchObject({
      state: 'failed',
      rebuild: 'ban-7#1',
    });
    expect(await f.records.get(push.detail.buildId)).not.toHaveProperty('rebuild');
  });
});
