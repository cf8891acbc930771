// The CodeBuild build's three `drydock step` runs on real parts, with podman standing in for Docker (both are
// driven through the same commands): a docker-registry on a loopback port (insecure for podman through the
// registries.conf of CONTAINERS_REGISTRIES_CONF), a busybox base seeded into it, and the events file the buildspec
// uploads. What the steps decide is tested on fakes under test/core/steps; here only what the CLI and engine show.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT_EVENTS_MAX_BYTES } from '../../adapters/aws/eventbridge-event-bus.js';
import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { ContainerCli } from '../../adapters/local/container-cli.js';
import { ContainerCliBuildService } from '../../adapters/local/container-cli-build-service.js';
import { ContainerCliImageRegistry } from '../../adapters/local/container-cli-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import { parseEventLines } from '../../adapters/local/jsonl-event-bus.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { toEventBridge } from '../../core/events/index.js';
import { BUILD_LABELS, buildImageTag } from '../../core/pipeline/build-step.js';
import { runCli } from '../helpers/cli.js';

const run = promisify(execFile);
let root: string;
let registryProcess: RunningDockerRegistry;
let containerEnv: ContainerEnv;
let host: string;
let baseDigest: string;
let env: NodeJS.ProcessEnv;
let n = 0;

const podman = async (...args: string[]) =>
  (await run('podman', args, { env, timeout: 60_000, killSignal: 'SIGKILL' })).stdout;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-codebuild-'));
  registryProcess = await startDockerRegistry({ stateDir: root, listen: 'tcp' });
  const address = registryProcess.address;
  if (address.kind !== 'tcp') throw new Error('expected a TCP registry');
  host = `${address.host}:${address.port}`;
  containerEnv = await prepareContainerEnv(root, { insecureRegistries: [host] });
  env = { ...process.env, ...containerEnv.env };
  const cli = new ContainerCli({ engine: 'podman', env: containerEnv.env });
  const registry = new ContainerCliImageRegistry({ cli, host });
  const [base] = await seedBusyboxBases({
    builder: new ContainerCliBuildService({ engine: 'podman', env: containerEnv.env }),
    registryHost: host,
    versions: ['1.36.0'],
    push: (ref) => registry.push(ref, { repository: 'base/busybox', tag: '1.36.0' }),
  });
  baseDigest = base!.digest;
}, 180_000);

afterAll(async () => {
  await podman('rm', '--all', '--force', '--time', '0').catch(() => undefined);
  await podman('rmi', '--all', '--force').catch(() => undefined);
  await registryProcess?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A CodeBuild working directory: `.drydock/request.json` and `.drydock/context` (the unzipped definition dir). */
function codebuildDir(files: Record<string, string>, detail: Partial<Record<string, string>> = {}) {
  n += 1;
  const dir = join(root, `build-${n}`);
  const context = join(dir, '.drydock', 'context');
  mkdirSync(context, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(context, name), text);
  const commit = createHash('sha1').update(`commit-${n}`).digest('hex');
  const event: DrydockEvent = {
    id: `request-${n}`,
    source: 'drydock',
    detailType: 'Build Requested',
    time: '2026-12-08T00:00:00.000Z',
    detail: {
      buildId: `build-e2e-${n}`,
      repository: 'shop',
      commit,
      definition: 'hello/Dockerfile',
      correlationId: `push-${n}`,
      dockerfile: files.Dockerfile ?? '',
      substitutions: [],
      ...detail,
    },
  } as DrydockEvent;
  writeFileSync(join(dir, '.drydock', 'request.json'), JSON.stringify(toEventBridge(event)));
  return {
    dir,
    context,
    event,
    detail: event.detail as { buildId: string; commit: string },
    eventsFile: join(dir, '.drydock', 'events.jsonl'),
  };
}

const step = (dir: string, name: string, ...extra: string[]) => stepWith({}, dir, name, ...extra);

/** A step run with more environment, as the CodeBuild project sets REPOSITORY_PREFIX. */
const stepWith = (more: NodeJS.ProcessEnv, dir: string, name: string, ...extra: string[]) =>
  runCli(
    [
      'step',
      name,
      ...(name === 'build' ? ['--event', '.drydock/request.json'] : []),
      '--events',
      '.drydock/events.jsonl',
      '--context',
      '.drydock/context',
      '--work',
      '.drydock',
      '--engine',
      'podman',
      '--registry',
      host,
      ...extra,
    ],
    { cwd: dir, env: { ...env, ...more } },
  );

const eventsOf = (file: string) => parseEventLines(readFileSync(file, 'utf8'), file).map((e) => e.event);

const registryDigest = async (repository: string, tag: string) => {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return response.headers.get('docker-content-digest');
};

const HELLO = (from: string) =>
  `FROM ${from}\nCOPY greeting.txt /greeting.txt\nUSER 65534\nCMD ["cat", "/greeting.txt"]\n`;
const TESTS = [
  'schemaVersion: "2.0.0"',
  'fileContentTests:',
  '  - name: greeting',
  '    path: /greeting.txt',
  '    expectedContents: ["hello"]',
  '',
].join('\n');

describe('drydock step build|test|publish (CodeBuild, podman as the engine)', () => {
  it('builds, tests and publishes under REPOSITORY_PREFIX from a Build Requested event, and a second publish changes nothing', async () => {
    // The base lives outside the prefix, as ops may publish it: it is read where the gate judged it.
    const from = `${host}/base/busybox:1.36.0`;
    const b = codebuildDir({ Dockerfile: HELLO(from), 'greeting.txt': 'hello\n', 'image-tests.yaml': TESTS });
    const step = (dir: string, name: string, ...extra: string[]) =>
      stepWith({ REPOSITORY_PREFIX: 'drydock' }, dir, name, ...extra);

    const built = await step(b.dir, 'build');
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const tested = await step(b.dir, 'test');
    expect(tested.code).toBe(0);
    const published = await step(b.dir, 'publish');
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);

    const events = eventsOf(b.eventsFile);
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
    const [completed, imageTested, imagePublished] = events as [DrydockEvent, DrydockEvent, DrydockEvent];
    expect(completed.detail).toMatchObject({
      buildId: 'build-e2e-1',
      imageRef: buildImageTag('build-e2e-1'),
      bases: [{ name: from, digest: baseDigest }],
    });
    expect(imageTested.detail).toMatchObject({
      passed: true,
      summary: { tests: 1, failures: 0 },
      junitPath: join(b.dir, '.drydock', 'reports', 'image-tests.xml'),
    });
    const repository = 'drydock/apps/shop/hello';
    const tag = b.detail.commit.slice(0, 12);
    const digest = await registryDigest(repository, tag);
    expect(digest).toMatch(/^sha256:/);
    expect(await registryDigest('apps/shop/hello', tag)).toBeNull();
    expect(imagePublished.detail).toMatchObject({
      ref: `${host}/${repository}:${tag}`,
      digest,
      bases: [{ name: from, digest: baseDigest }],
    });
    // The labels are in the pushed image, set by the build step rather than by the buildspec.
    const [inspected] = JSON.parse(await podman('image', 'inspect', `${host}/${repository}:${tag}`));
    expect(inspected.Config.Labels).toMatchObject({
      [BUILD_LABELS.baseName]: from,
      [BUILD_LABELS.baseDigest]: baseDigest,
      [BUILD_LABELS.source]: 'drydock://shop/hello/Dockerfile',
      [BUILD_LABELS.revision]: b.detail.commit,
      [BUILD_LABELS.buildId]: 'build-e2e-1',
      [BUILD_LABELS.definition]: 'hello/Dockerfile',
    });
    expect(readFileSync(join(b.dir, '.drydock', 'reports', 'image-tests.xml'), 'utf8')).toContain(
      '<testsuite',
    );

    // The last event is Image Published: no step of the build takes it, the chain is done.
    const again = await step(b.dir, 'publish');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is not for the publish step (it goes to lineage');
    // Publishing the same tested image again (a rerun of the phase) finds it there and reports the same event.
    writeFileSync(join(b.dir, 'tested.json'), JSON.stringify(toEventBridge(imageTested)));
    const rerun = await step(b.dir, 'publish', '--event', 'tested.json', '--format', 'json');
    expect(rerun.code).toBe(0);
    const out = JSON.parse(rerun.stdout);
    expect(out.published).toEqual([toEventBridge({ ...imagePublished, time: out.published[0].time })]);
    expect(await registryDigest(repository, tag)).toBe(digest);
  }, 240_000);

  it('turns a failing RUN into Build Failed, after which test and publish have nothing to do', async () => {
    const b = codebuildDir({
      Dockerfile: `FROM ${host}/base/busybox:1.36.0\nRUN echo breaking >&2 && exit 3\n`,
    });
    const built = await step(b.dir, 'build');
    expect(built.code).toBe(0);
    const [failed] = eventsOf(b.eventsFile);
    expect(failed).toMatchObject({
      detailType: 'Build Failed',
      detail: { stage: 'build', buildId: b.detail.buildId },
    });
    expect((failed!.detail as { logTail: string }).logTail).toContain('breaking');
    for (const next of ['test', 'publish']) {
      const skipped = await step(b.dir, next);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain(`Build Failed) is not for the ${next} step`);
    }
    expect(eventsOf(b.eventsFile)).toHaveLength(1);
  }, 120_000);

  it('reports a failing image test as Image Tested with passed false, and publishes nothing', async () => {
    const from = `${host}/base/busybox:1.36.0`;
    const b = codebuildDir({
      Dockerfile: HELLO(from),
      'greeting.txt': 'goodbye\n',
      'image-tests.yaml': TESTS,
    });
    expect((await step(b.dir, 'build')).code).toBe(0);
    expect((await step(b.dir, 'test')).code).toBe(0);
    const publish = await step(b.dir, 'publish');
    expect(publish.code).toBe(0);
    expect(publish.stdout).toContain('is not for the publish step');
    const events = eventsOf(b.eventsFile);
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested']);
    expect(events[1]!.detail).toMatchObject({ passed: false });
    expect(readFileSync(join(b.dir, '.drydock', 'reports', 'image-tests.xml'), 'utf8')).toContain('<failure');
    expect(await registryDigest('apps/shop/hello', b.detail.commit.slice(0, 12))).toBeNull();
  }, 120_000);

  it('fails the build of a context with a symbolic link to /etc/shadow, telling why, before anything is built', async () => {
    const b = codebuildDir({ Dockerfile: `FROM ${host}/base/busybox:1.36.0\nCOPY secret /secret\n` });
    symlinkSync('/etc/shadow', join(b.context, 'secret'));
    const built = await step(b.dir, 'build');
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const reason =
      'build context "secret" is a symbolic link to the absolute path "/etc/shadow", outside the context';
    const [failed, ...more] = eventsOf(b.eventsFile);
    expect(more).toEqual([]);
    expect(failed).toMatchObject({
      detailType: 'Build Failed',
      detail: { stage: 'build', buildId: b.detail.buildId, reason },
    });
    expect((failed!.detail as { logTail: string }).logTail).toContain(reason);
    expect(
      await podman('images', '--quiet', '--filter', `reference=${buildImageTag(b.detail.buildId)}`),
    ).toBe('');
    // The chain stops there: test and publish have nothing to do.
    expect((await step(b.dir, 'test')).stdout).toContain('Build Failed) is not for the test step');
  }, 120_000);

  it('passes a definition and repository crafted as flags or shell to the engine as one argument each', async () => {
    const from = `${host}/base/busybox:1.36.0`;
    const definition = 'hello/Dockerfile --label=injected=1 --tag=evil:1 $(touch pwned) ;touch pwned';
    const b = codebuildDir(
      { Dockerfile: HELLO(from), 'greeting.txt': 'hello\n' },
      {
        definition,
        repository: 'shop --tag=evil:2',
      },
    );
    const built = await step(b.dir, 'build');
    expect(built.code).toBe(0);
    const [completed] = eventsOf(b.eventsFile);
    expect(completed!.detailType).toBe('Build Completed');
    const [image] = JSON.parse(await podman('image', 'inspect', buildImageTag(b.detail.buildId)));
    expect(image.Config.Labels[BUILD_LABELS.definition]).toBe(definition);
    expect(image.Config.Labels.injected).toBeUndefined();
    expect(image.RepoTags).toEqual([buildImageTag(b.detail.buildId)]);
    expect(await podman('images', '--quiet', '--filter', 'reference=evil')).toBe('');
    expect(existsSync(join(b.dir, 'pwned'))).toBe(false);
    expect(existsSync(join(b.dir, '.drydock', 'pwned'))).toBe(false);
  }, 120_000);
});

// Attack on the CodeBuild events file (this file's world: the same registry, seeded base and engine): a team's RUN
// prints long lines (each up to the 64 KiB a log line may be) as its last output, so the build step's log tail
// (20 lines) would make an event far past what EventBridge carries (256 KiB). Written to the events file, it would be
// relayed by the build-state function to PutEvents, refused there every time, and the build's outcome would end in a
// dead-letter queue, the team never told; on Docker a Build Completed that size would still let test and publish push
// the image while its Image Published could never be relayed (an image with no lineage, which a ban of its base would
// never find). The tail is capped (core/pipeline/event-caps.ts), so the team gets its Build Failed; the events file
// would refuse anything over an EventBridge entry (adapters/local/jsonl-event-bus.ts) rather than write it.
describe('drydock step build: a team cannot make an outcome the relay cannot carry', () => {
  it('a failing RUN whose tail is megabytes long still ends in a Build Failed the relay carries, with the end of the log', async () => {
    // 12 lines of 60 000 characters, then the failure: the tail kept for Build Failed is ~700 KB.
    const b = codebuildDir({
      Dockerfile:
        `FROM ${host}/base/busybox:1.36.0\n` +
        `RUN for i in $(seq 1 12); do head -c 60000 /dev/zero | tr '\\0' x; echo; done; exit 3\n`,
    });
    const built = await step(b.dir, 'build');
    expect(built.code, built.stderr).toBe(0);
    const lines = readFileSync(b.eventsFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThan(PUT_EVENTS_MAX_BYTES / 4);
    const failed = JSON.parse(lines[0]!) as {
      'detail-type': string;
      detail: { stage: string; logTail: string };
    };
    expect(failed['detail-type']).toBe('Build Failed');
    expect(failed.detail.stage).toBe('build');
    expect(failed.detail.logTail).toMatch(/x{100}/);
  }, 300_000);
});
