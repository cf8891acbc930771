import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { seedBusyboxBases } from '../../../adapters/local/busybox-base-seeder.js';
import { type ContainerEnv, prepareContainerEnv } from '../../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import { FileBuildLogs } from '../../../adapters/local/file-build-logs.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../../adapters/local/git-build-context.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import {
  ensurePipelineCredential,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../../adapters/local/registry-push-guard.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { openStateDatabase, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import type { BuildRequestedEvent } from '../../../core/events/build-requested.js';
import { parseEvent } from '../../../core/events/index.js';
import { buildIdFor } from '../../../core/gate/handle-push.js';
import {
  BUILD_LABELS,
  BuildInterruptedError,
  type BuildStepDeps,
  buildImageTag,
  runBuild,
} from '../../../core/pipeline/build-step.js';
import { ToolMissingError } from '../../../core/ports/build-service.js';
import { buildRequestedAt } from '../../fixtures/pipeline/pipeline-state.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let stateDir: string;
let registryProcess: RunningDockerRegistry;
let guard: RunningPushGuard;
let containerEnv: ContainerEnv;
let registry: BuildahImageRegistry;
let db: StateDatabase;
let deps: BuildStepDeps;
let baseRef: string;
let baseDigest: string;
let repoPath: string;
let commit: string;

const DEFINITIONS: Record<string, (host: string) => string> = {
  'apps/hello/Dockerfile': (host) =>
    `FROM ${host}/base/busybox:1.36.0\nCOPY greeting.txt /greeting.txt\nRUN echo built > /built.txt\n`,
  'apps/broken/Dockerfile': (host) => `FROM ${host}/base/busybox:1.36.0\nRUN echo about to fail && exit 3\n`,
  'apps/foreign/Dockerfile': () => 'FROM quay.io/someone/tool:2\nRUN true\n',
  'apps/slow/Dockerfile': (host) => `FROM ${host}/base/busybox:1.36.0\nRUN echo waiting && sleep 30\n`,
  'apps/tool/Dockerfile': (host) => `FROM ${host}/base/busybox:1.36.0\nRUN true\n`,
  'apps/stopped/Dockerfile': (host) => `FROM ${host}/base/busybox:1.36.0\nRUN echo waiting && sleep 30\n`,
  'apps/multi/Dockerfile': (host) =>
    `FROM ${host}/base/busybox:1.36.0 AS build\nRUN echo x > /x\nFROM build\nRUN cat /x\n`,
};

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'drydock-build-step-'));
  registryProcess = await startDockerRegistry({ stateDir, listen: 'unix' });
  const credential = await ensurePipelineCredential(stateDir);
  guard = await startRegistryPushGuard({ upstream: registryProcess.address, credential });
  containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
  registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
  const builder = new BuildahBuildService({ env: containerEnv.env });
  const [base] = await seedBusyboxBases({
    builder,
    registryHost: guard.host,
    versions: ['1.36.0'],
    push: (ref) => registry.push(ref, { repository: 'base/busybox', tag: ref.split(':').at(-1)! }),
  });
  baseRef = base!.ref;
  baseDigest = base!.digest;

  const repos = join(stateDir, 'repos');
  repoPath = (await createBareRepository(repos, 'team-a', ['true'])).path;
  const work = join(stateDir, 'work');
  git(stateDir, 'init', '--quiet', '--initial-branch=main', work);
  for (const [path, text] of Object.entries(DEFINITIONS)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    writeFileSync(join(work, path), text(guard.host));
  }
  writeFileSync(join(work, 'apps/hello/greeting.txt'), 'hello\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'definitions');
  git(work, 'push', '--quiet', repoPath, 'main');
  commit = git(work, 'rev-parse', 'HEAD');

  db = openStateDatabase(join(stateDir, 'state.db'));
  const logs = new FileBuildLogs(stateDir);
  deps = {
    context: new GitBuildContext(repos),
    builder,
    registry,
    records: new SqliteBuildRecords(db),
    workspace: tempBuildWorkspaces(join(stateDir, 'containers', 'tmp')),
    logSink: (id) => logs.open(id),
    timeoutMs: 120_000,
  };
}, 120_000);

afterAll(async () => {
  db?.close();
  await guard?.close();
  await registryProcess?.stop();
  if (containerEnv) {
    const env = { ...process.env, ...containerEnv.env };
    await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
    await run('buildah', ['rmi', '--all', '--force'], { env }).catch(() => undefined);
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** A Build Requested event the way the gate makes it, with the definition read from the bare repository. */
const requested = (definition: string) => buildRequestedAt(repoPath, 'team-a', commit, definition);

async function inspectImage(ref: string) {
  const { stdout } = await run('buildah', ['inspect', '--type', 'image', ref], {
    env: { ...process.env, ...containerEnv.env },
  });
  return JSON.parse(stdout) as { FromImageID: string; OCIv1: { config: { Labels: Record<string, string> } } };
}

describe('runBuild', () => {
  it('builds on the registry base and labels the image with its base, digest, source and revision', async () => {
    const event = await requested('apps/hello/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Completed');
    if (outcome.detailType !== 'Build Completed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    const { detail } = outcome;
    expect(detail.imageRef).toBe(buildImageTag(event.detail.buildId));
    expect(detail.bases).toEqual([{ name: baseRef, digest: baseDigest }]);
    expect((await registry.inspect(baseRef))?.digest).toBe(baseDigest);

    const image = await inspectImage(detail.imageRef);
    expect(`sha256:${image.FromImageID}`).toBe(detail.configDigest);
    expect(image.OCIv1.config.Labels).toMatchObject({
      'org.opencontainers.image.base.name': baseRef,
      'org.opencontainers.image.base.digest': baseDigest,
      'org.opencontainers.image.source': 'drydock://team-a/apps/hello/Dockerfile',
      'org.opencontainers.image.revision': commit,
      'io.drydock.build-id': event.detail.buildId,
      'io.drydock.definition': 'apps/hello/Dockerfile',
    });
    const log = readFileSync(detail.logPath!, 'utf8');
    expect(log).toContain(`drydock: base ${baseRef} is ${baseDigest}`);
    expect(log).toContain('RUN echo built > /built.txt');
    expect(detail.logTail).not.toBe('');
    const record = await deps.records.get(event.detail.buildId);
    expect(record).toMatchObject({ state: 'testing', imageDigest: detail.configDigest, attempts: 1 });

    // Redelivery: same outcome, no second build (the log gets no new line, the record no new attempt).
    const linesBefore = log.split('\n').length;
    const again = await runBuild(event, deps);
    expect(again).toEqual({ ...outcome, detail: { ...outcome.detail, logTail: '' } });
    expect(readFileSync(detail.logPath!, 'utf8').split('\n').length).toBe(linesBefore);
    expect((await deps.records.get(event.detail.buildId))?.attempts).toBe(1);
  });

  it('labels a multi-stage image with the external base its final stage comes from', async () => {
    const outcome = await runBuild(await requested('apps/multi/Dockerfile'), deps);
    expect(outcome.detailType).toBe('Build Completed');
    if (outcome.detailType !== 'Build Completed') return;
    const labels = (await inspectImage(outcome.detail.imageRef)).OCIv1.config.Labels;
    expect(labels['org.opencontainers.image.base.name']).toBe(baseRef);
    expect(labels['org.opencontainers.image.base.digest']).toBe(baseDigest);
  });

  it('reports a failing RUN as Build Failed with the end of the log, once', async () => {
    const event = await requested('apps/broken/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail.stage).toBe('build');
    expect(outcome.detail.reason).toMatch(/exit status 3|status 3/);
    expect(outcome.detail.logTail).toContain('about to fail');
    expect(await deps.records.get(event.detail.buildId)).toMatchObject({ state: 'failed' });

    const again = await runBuild(event, deps);
    expect(again).toMatchObject({ id: outcome.id, detail: { reason: outcome.detail.reason } });
  });

  it('fails a build on a base outside the pipeline registry, naming it, without building', async () => {
    const event = await requested('apps/foreign/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(outcome.detail.reason).toContain('quay.io/someone/tool:2');
    expect(outcome.detail.reason).toContain(guard.host);
    const record = await deps.records.get(event.detail.buildId);
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'failed']);
  });

  it('reports a build over its time limit as Build Failed with the timeout', async () => {
    const event = await requested('apps/slow/Dockerfile');
    const outcome = await runBuild(event, { ...deps, timeoutMs: 2_000 });
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: { stage: 'build', reason: expect.stringMatching(/timed out after 2000 ms/) },
    });
    expect(await deps.records.get(event.detail.buildId)).toMatchObject({ state: 'failed' });
  });

  it('throws ToolMissingError when buildah is not installed, leaving the build to be retried', async () => {
    const event = await requested('apps/tool/Dockerfile');
    const error = await runBuild(event, {
      ...deps,
      builder: new BuildahBuildService({ buildah: '/nonexistent/buildah', env: containerEnv.env }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect(await deps.records.get(event.detail.buildId)).toMatchObject({ state: 'building' });
  });

  it('ends a running build when the pipeline stops and throws a retryable BuildInterruptedError, not a failure', async () => {
    const event = await requested('apps/stopped/Dockerfile');
    const stopping = new AbortController();
    const log: string[] = [];
    const building = runBuild(event, {
      ...deps,
      signal: stopping.signal,
      logSink: (id) => {
        const sink = deps.logSink(id);
        return {
          ...sink,
          write: (line) => {
            log.push(line);
            sink.write(line);
          },
        };
      },
    }).catch((e: unknown) => e);
    while (!log.some((l) => l.includes('waiting'))) await new Promise((r) => setTimeout(r, 100));
    stopping.abort();
    const error = await building;
    expect(error).toBeInstanceOf(BuildInterruptedError);
    expect(error).toMatchObject({ retryable: true });
    expect(await deps.records.get(event.detail.buildId)).toMatchObject({ state: 'building' });
  });

  it("builds a ban's rebuild of a built commit as a build of its own, labelled with the ban and the image it replaces", async () => {
    const push = await requested('apps/hello/Dockerfile');
    const pushed = await runBuild(push, deps);
    const rebuild = { banId: 'ban-7', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const outcome = await runBuild(asRebuild(push, rebuild), deps);
    expect(outcome).toMatchObject({ detailType: 'Build Completed', detail: { rebuild } });
    if (outcome.detailType !== 'Build Completed' || pushed.detailType !== 'Build Completed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.id).not.toBe(pushed.id);
    expect(outcome.detail.buildId).toBe(buildIdFor('team-a', commit, 'apps/hello/Dockerfile', rebuild));
    expect(outcome.detail.imageRef).not.toBe(pushed.detail.imageRef);
    expect((await inspectImage(outcome.detail.imageRef)).OCIv1.config.Labels).toMatchObject({
      [BUILD_LABELS.rebuildOf]: rebuild.of,
      [BUILD_LABELS.ban]: 'ban-7',
      [BUILD_LABELS.buildId]: outcome.detail.buildId,
      [BUILD_LABELS.baseDigest]: baseDigest,
    });
    const pushLabels = (await inspectImage(pushed.detail.imageRef)).OCIv1.config.Labels;
    expect(pushLabels).not.toHaveProperty(BUILD_LABELS.rebuildOf);
    expect(pushLabels).not.toHaveProperty(BUILD_LABELS.ban);
    // Two records of the same (definition, commit): the push's, untouched, and the rebuild's.
    const key = { repository: 'team-a', definition: 'apps/hello/Dockerfile', commit };
    expect(await deps.records.find(key)).toMatchObject({ buildId: push.detail.buildId, state: 'testing' });
    expect(await deps.records.find(key)).not.toHaveProperty('rebuild');
    expect(await deps.records.find({ ...key, rebuild: 'ban-7#1' })).toMatchObject({
      buildId: outcome.detail.buildId,
      rebuild: 'ban-7#1',
      state: 'testing',
      attempts: 1,
    });
  });

  it("reports a rebuild's failure with the rebuild, apart from the push's failure", async () => {
    const push = await requested('apps/broken/Dockerfile');
    const pushFailed = await runBuild(push, deps);
    const rebuild = { banId: 'ban-7', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const outcome = await runBuild(asRebuild(push, rebuild), deps);
    expect(outcome).toMatchObject({ detailType: 'Build Failed', detail: { stage: 'build', rebuild } });
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.id).not.toBe(pushFailed.id);
    expect(await deps.records.get(outcome.detail.buildId)).toMatchObject({
      state: 'failed',
      rebuild: 'ban-7#1',
    });
  });
});

/** The push's build request as the gate makes it for a ban's rebuild of the same commit. */
function asRebuild(
  push: BuildRequestedEvent,
  rebuild: NonNullable<BuildRequestedEvent['detail']['rebuild']>,
): BuildRequestedEvent {
  const { repository, commit: at, definition } = push.detail;
  return {
    ...push,
    id: `${push.id}-rebuild`,
    detail: { ...push.detail, buildId: buildIdFor(repository, at, definition, rebuild), rebuild },
  };
}
