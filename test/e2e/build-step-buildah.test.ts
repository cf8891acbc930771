// The build step on real parts: a bare git repository exported as the context, buildah, and the guarded
// docker-registry the bases come from. What the step decides (records, redelivery, pinning, which labels, failure
// mapping) is tested on fakes in test/core/pipeline/build-step.test.ts; here only what buildah alone can show.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import { FileBuildLogs } from '../../adapters/local/file-build-logs.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../adapters/local/git-build-context.js';
import { createBareRepository } from '../../adapters/local/git-repositories.js';
import {
  ensurePipelineCredential,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';
import { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import { openStateDatabase, type StateDatabase } from '../../adapters/local/sqlite-database.js';
import { parseEvent } from '../../core/events/index.js';
import { BUILD_LABELS, type BuildStepDeps, runBuild } from '../../core/pipeline/build-step.js';
import { buildRequestedAt } from '../fixtures/pipeline/pipeline-state.js';

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
let db: StateDatabase;
let deps: BuildStepDeps;
let baseRef: string;
let baseDigest: string;
let repoPath: string;
let commit: string;

const FORGED = {
  [BUILD_LABELS.baseName]: 'docker.io/library/debian:buster',
  [BUILD_LABELS.baseDigest]: `sha256:${'0'.repeat(64)}`,
  [BUILD_LABELS.revision]: 'f'.repeat(40),
  [BUILD_LABELS.source]: 'drydock://someone-else/Dockerfile',
};

const DEFINITIONS: Record<string, (host: string) => string> = {
  // A team's Dockerfile that writes drydock's lineage labels itself, naming a base it was not built on.
  'apps/hello/Dockerfile': (host) =>
    [
      `FROM ${host}/base/busybox:1.36.0`,
      `LABEL ${Object.entries(FORGED)
        .map(([k, v]) => `${k}="${v}"`)
        .join(' ')}`,
      'COPY greeting.txt /greeting.txt',
      'RUN echo built > /built.txt',
      '',
    ].join('\n'),
  // The same on a final stage FROM scratch, which drydock labels with no base.
  'apps/static/Dockerfile': (host) =>
    [
      `FROM ${host}/base/busybox:1.36.0 AS tools`,
      'FROM scratch',
      'COPY --from=tools /bin/busybox /busybox',
      `LABEL ${BUILD_LABELS.baseName}="${FORGED[BUILD_LABELS.baseName]}" ${BUILD_LABELS.baseDigest}="${FORGED[BUILD_LABELS.baseDigest]}"`,
      '',
    ].join('\n'),
  'apps/broken/Dockerfile': (host) => `FROM ${host}/base/busybox:1.36.0\nRUN echo about to fail && exit 3\n`,
};

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'drydock-build-step-e2e-'));
  registryProcess = await startDockerRegistry({ stateDir, listen: 'unix' });
  const credential = await ensurePipelineCredential(stateDir);
  guard = await startRegistryPushGuard({ upstream: registryProcess.address, credential });
  containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
  const registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
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

const requested = (definition: string) => buildRequestedAt(repoPath, 'team-a', commit, definition);

async function inspectImage(ref: string) {
  const { stdout } = await run('buildah', ['inspect', '--type', 'image', ref], {
    env: { ...process.env, ...containerEnv.env },
  });
  return JSON.parse(stdout) as {
    FromImageID: string;
    OCIv1: { config: { Labels: Record<string, string> } };
  };
}

describe('runBuild with buildah', () => {
  it("builds from the exported context on the pinned base, and the image carries drydock's labels over the Dockerfile's own", async () => {
    const event = await requested('apps/hello/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Completed');
    if (outcome.detailType !== 'Build Completed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail.bases).toEqual([{ name: baseRef, digest: baseDigest }]);

    const image = await inspectImage(outcome.detail.imageRef);
    expect(`sha256:${image.FromImageID}`).toBe(outcome.detail.configDigest);
    // The lineage labels name what drydock built on, whatever the team's LABEL said.
    expect(image.OCIv1.config.Labels).toMatchObject({
      [BUILD_LABELS.baseName]: baseRef,
      [BUILD_LABELS.baseDigest]: baseDigest,
      [BUILD_LABELS.source]: 'drydock://team-a/apps/hello/Dockerfile',
      [BUILD_LABELS.revision]: commit,
      [BUILD_LABELS.buildId]: event.detail.buildId,
      [BUILD_LABELS.definition]: 'apps/hello/Dockerfile',
    });
    const log = readFileSync(outcome.detail.logPath!, 'utf8');
    expect(log).toContain(`drydock: base ${baseRef} is ${baseDigest}`);
    // buildah read the pinned text, and the context file the git export wrote.
    expect(log).toContain(`FROM ${guard.host}/base/busybox@${baseDigest}`);
    expect(log).toContain('COPY greeting.txt /greeting.txt');
  });

  it('leaves no forged base label on an image whose final stage is FROM scratch', async () => {
    const outcome = await runBuild(await requested('apps/static/Dockerfile'), deps);
    expect(outcome.detailType).toBe('Build Completed');
    if (outcome.detailType !== 'Build Completed') return;
    expect(outcome.detail.bases).toEqual([{ name: baseRef, digest: baseDigest }]);
    const labels = (await inspectImage(outcome.detail.imageRef)).OCIv1.config.Labels;
    expect(labels[BUILD_LABELS.baseName] ?? '').toBe('');
    expect(labels[BUILD_LABELS.baseDigest] ?? '').toBe('');
    expect(labels[BUILD_LABELS.revision]).toBe(commit);
  });

  it("reports a failing RUN as Build Failed with buildah's exit status and the end of its log", async () => {
    const event = await requested('apps/broken/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(parseEvent(outcome).ok).toBe(true);
    expect(outcome.detail).toMatchObject({ stage: 'build', reason: expect.stringMatching(/status 3/) });
    expect(outcome.detail.logTail).toContain('about to fail');
    expect(await deps.records.get(event.detail.buildId)).toMatchObject({ state: 'failed' });
  });
});
