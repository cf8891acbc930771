// The local pipeline as a user runs it: `drydock start` in a child process, `drydock repo create`, a real
// `git push` through the post-receive hook, and the results read back through the HTTP API, the CLI and
// skopeo against the registry.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BaseSummary,
  BuildSummary,
  ImageSummary,
  NotificationSummary,
  PushSummary,
  StatusResponse,
} from '../../runtime/local/api-types.js';
import {
  DRYDOCK_BIN,
  type DrydockProcess,
  drydock,
  pushFiles,
  removeState,
  startDrydock,
  waitFor,
} from '../helpers/drydock-process.js';

const run = promisify(execFile);

let root: string;
let state: string;
let daemon: DrydockProcess;
let bases: BaseSummary[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-start-'));
  state = join(root, 'state');
  daemon = await startDrydock(state);
  // A first start seeds the base catalogue after the API is up.
  bases = await waitFor('the seeded bases', async () => {
    const { bases: listed } = await daemon.api.get<{ bases: BaseSummary[] }>('/api/bases');
    return listed.length === 2 ? listed : undefined;
  });
}, 120_000);

afterAll(async () => {
  await daemon?.stop();
  if (root) await removeState(root);
});

describe('drydock start', () => {
  it('seeds two busybox versions and whitelists exactly them in the default policy', async () => {
    const host = daemon.info.registry;
    expect(bases.map((b) => b.ref)).toEqual([`${host}/base/busybox:1.36.0`, `${host}/base/busybox:1.36.1`]);
    const ls = await drydock(['bases', 'ls', '--state', state, '--format', 'json']);
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout).map((b: BaseSummary) => b.digest)).toEqual(bases.map((b) => b.digest));
    const policy = await drydock(['policy', 'validate', join(state, 'policy.yaml')]);
    expect(policy.code).toBe(0);
  });

  it('gates a real push: the clean definition is published with its labels; failing lint, build and tests are told, not published', async () => {
    const host = daemon.info.registry;
    const created = await drydock(['repo', 'create', 'shop', '--state', state]);
    expect(created.code).toBe(0);
    const remote = created.stdout.trim().split('\n').at(-1) ?? '';
    const commit = pushFiles(join(root, 'work'), remote, {
      'hello/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nCOPY greeting.txt /greeting.txt\nUSER 65534\nCMD ["cat", "/greeting.txt"]\n`,
      'hello/greeting.txt': 'hello from drydock\n',
      'hello/image-tests.yaml':
        'schemaVersion: 2.0.0\ncommandTests:\n  - name: greets\n    command: cat\n    args: ["/greeting.txt"]\n    expectedOutput: ["hello from drydock"]\n',
      'bad/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nRUN wget -qO- http://get.example.com/i.sh | sh\n`,
      'broken/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nRUN echo compiling && exit 3\nUSER 65534\n`,
      'untested/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nRUN echo v1 > /version\nUSER 65534\n`,
      'untested/image-tests.yaml':
        'schemaVersion: 2.0.0\nfileContentTests:\n  - name: version\n    path: /version\n    expectedContents: ["v2"]\n',
    });

    const image = await waitFor('the published image', async () => {
      const { images } = await daemon.api.get<{ images: ImageSummary[] }>('/api/images');
      return images.find((i) => i.definition === 'hello/Dockerfile' && i.commit === commit);
    });
    expect(image).toMatchObject({ repository: 'shop', status: 'supported' });
    // The foreground log says so too.
    await waitFor('the published line', async () =>
      daemon.output().includes(`lineage: published ${image.ref}`) ? true : undefined,
    );
    expect(image.bases).toEqual([{ name: `${host}/base/busybox:1.36.1`, digest: bases[1]?.digest }]);

    // The labels, read from the registry itself.
    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${image.ref}`]);
    const inspected = JSON.parse(stdout) as { Digest: string; Labels: Record<string, string> };
    expect(inspected.Digest).toBe(image.digest);
    expect(inspected.Labels).toMatchObject({
      'org.opencontainers.image.base.name': `${host}/base/busybox:1.36.1`,
      'org.opencontainers.image.base.digest': bases[1]?.digest,
      'org.opencontainers.image.revision': commit,
    });
    expect(inspected.Labels['org.opencontainers.image.source']).toContain('shop');

    // The failing definition: a verdict with its findings, a notification, no build, nothing in the registry.
    const push = await waitFor('the four verdicts', async () => {
      const { pushes } = await daemon.api.get<{ pushes: PushSummary[] }>('/api/pushes');
      const p = pushes.find((x) => x.commit === commit);
      return p && p.verdicts.length === 4 ? p : undefined;
    });
    const bad = push.verdicts.find((v) => v.definition === 'bad/Dockerfile');
    expect(bad?.passed).toBe(false);
    expect(bad?.findings).toContainEqual(expect.objectContaining({ code: 'DD110', line: 2, level: 'error' }));
    expect(bad?.buildId).toBeUndefined();
    const { builds } = await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds');
    expect(builds.filter((b) => b.definition === 'bad/Dockerfile')).toEqual([]);
    const tags = await run('skopeo', [
      'list-tags',
      '--tls-verify=false',
      `docker://${host}/apps/shop/bad`,
    ]).catch((e: { stderr: string }) => ({ stdout: '', stderr: e.stderr }));
    expect(tags.stdout).not.toContain(commit.slice(0, 12));
    // The team is told through the notify queue, a step after the verdict.
    await waitFor('the failed verdict told to the team', async () => {
      const { notifications } = await daemon.api.get<{ notifications: NotificationSummary[] }>(
        '/api/notifications',
      );
      return notifications.find(
        (n) => n.kind === 'verdict-failed' && n.definition === 'bad/Dockerfile' && n.commit === commit,
      );
    });

    // A build that fails and an image whose tests fail: each told to the team, with the cause; neither published.
    const failed = await waitFor('the failed build and the failed tests', async () => {
      const { builds: all } = await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds');
      const done = all.filter((b) => b.commit === commit && b.state === 'failed');
      return done.length === 2 ? done : undefined;
    });
    expect(failed.map((b) => b.definition).sort()).toEqual(['broken/Dockerfile', 'untested/Dockerfile']);
    // The record turns failed before the notify step has run: wait for both notifications.
    const [buildFailed, testsFailed] = await waitFor('the two failure notifications', async () => {
      const told = (await daemon.api.get<{ notifications: NotificationSummary[] }>('/api/notifications'))
        .notifications;
      const build = told.find((n) => n.kind === 'build-failed' && n.definition === 'broken/Dockerfile');
      const tests = told.find((n) => n.kind === 'tests-failed' && n.definition === 'untested/Dockerfile');
      return build && tests ? [build, tests] : undefined;
    });
    expect(buildFailed?.summary).toContain('compiling');
    expect(testsFailed?.summary).toMatch(/1 of 1 image tests failed[\s\S]*version/);
    const log = await drydock([
      'logs',
      failed.find((b) => b.definition === 'broken/Dockerfile')!.buildId,
      '--state',
      state,
    ]);
    expect(log.stdout).toContain('exit 3');
    // Why the tests failed shows without --format json: in the build's error, its log and the notification.
    const untested = failed.find((b) => b.definition === 'untested/Dockerfile')!;
    const why = 'fileContentTests[0] "version": expectedContents[0]: "v2" not found';
    expect(untested.error).toMatch(/^1 of 1 image tests failed: fileContentTests\[0\] "version": /);
    expect((await drydock(['builds', '--state', state])).stdout).toContain(why);
    const testLog = (await drydock(['logs', untested.buildId, '--state', state])).stdout;
    expect(testLog).toMatch(
      /^FAIL fileContentTests\[0\] version \(\d+ ms\)\n {2}expectedContents\[0\]: "v2"/m,
    );
    expect(testLog).toContain(
      `drydock: JUnit report: ${join(state, 'reports', `${untested.buildId}.junit.xml`)}`,
    );
    expect((await drydock(['notifications', '--state', state])).stdout).toContain(
      `untested/Dockerfile at ${commit.slice(0, 12)}: 1 of 1 image tests failed: fileContentTests[0] version: expectedContents[0]`,
    );
    expect(testsFailed?.summary.split('\n')[0]).toContain(
      '1 of 1 image tests failed: fileContentTests[0] version: expectedContents[0]: "v2" not found',
    );
    const published = (await daemon.api.get<{ images: ImageSummary[] }>('/api/images')).images;
    expect(published.filter((i) => i.commit === commit).map((i) => i.definition)).toEqual([
      'hello/Dockerfile',
    ]);

    // Each build's local image is dropped once published or failed: with vfs every layer is a full copy.
    const storage = join(state, 'containers');
    const env = {
      ...process.env,
      CONTAINERS_STORAGE_CONF: join(storage, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(storage, 'registries.conf'),
    };
    await waitFor('the local build images to be dropped', async () => {
      const { stdout: names } = await run('buildah', ['images', '--format', '{{.Name}}'], { env });
      return names.includes('drydock-build') ? undefined : names;
    });

    // The CLI reads the same: status --format json carries the registry and API addresses.
    const status = await drydock(['status', '--state', state, '--format', 'json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as StatusResponse;
    expect(parsed.registry.host).toBe(host);
    expect(parsed.api).toBe(daemon.info.api);
    const images = await drydock(['images', '--state', state, '--format', 'json']);
    expect(JSON.parse(images.stdout)).toContainEqual(
      expect.objectContaining({
        ref: image.ref,
        digest: image.digest,
        definition: 'hello/Dockerfile',
        commit,
      }),
    );
  }, 120_000);

  it('does not build a commit twice when the same commit is pushed to another branch', async () => {
    const before = (await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds')).builds;
    const work = join(root, 'work');
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    await run('git', ['push', '--quiet', join(state, 'repos', 'shop.git'), 'HEAD:refs/heads/release'], {
      cwd: work,
    });
    const push = await waitFor('the verdicts of the second push', async () => {
      const { pushes } = await daemon.api.get<{ pushes: PushSummary[] }>('/api/pushes');
      const p = pushes.find((x) => x.ref === 'refs/heads/release');
      return p && p.verdicts.length >= 2 ? p : undefined;
    });
    expect(push.commit).toBe(commit);
    // Give a second build the time it would need to show up.
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds')).builds;
    expect(after.map((b) => [b.buildId, b.state, b.attempts])).toEqual(
      before.map((b) => [b.buildId, b.state, b.attempts]),
    );
  }, 60_000);

  it('applies an edit of policy.yaml at the next gate and keeps every applied version', async () => {
    const host = daemon.info.registry;
    const policyPath = join(state, 'policy.yaml');
    const text = await readFile(policyPath, 'utf8');
    // Ops narrow the whitelist to 1.36.0; a definition on 1.36.1 is now denied.
    await writeFile(policyPath, text.replace('tags: ["1.36.0", "1.36.1"]', 'tags: ["1.36.0"]'));
    const commit = pushFiles(join(root, 'work'), join(state, 'repos', 'shop.git'), {
      'late/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nUSER 65534\n`,
    });
    const push = await waitFor('the verdict under the new policy', async () => {
      const { pushes } = await daemon.api.get<{ pushes: PushSummary[] }>('/api/pushes');
      const p = pushes.find((x) => x.commit === commit);
      return p?.verdicts.find((v) => v.definition === 'late/Dockerfile');
    });
    expect(push.passed).toBe(false);
    expect(push.bases).toEqual([
      expect.objectContaining({ ref: `${host}/base/busybox:1.36.1`, outcome: 'denied' }),
    ]);
    const policy = await daemon.api.get<{ versions: { version: number }[]; text: string }>('/api/policy');
    expect(policy.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(policy.text).toContain('tags: ["1.36.0"]');
    // An edit that does not validate leaves the last valid policy in force.
    await writeFile(policyPath, 'version: 1\nallowed: nonsense\n');
    const again = pushFiles(join(root, 'work'), join(state, 'repos', 'shop.git'), {
      'late/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nUSER 65534\n`,
    });
    const verdict = await waitFor('the verdict under the kept policy', async () => {
      const { pushes } = await daemon.api.get<{ pushes: PushSummary[] }>('/api/pushes');
      return pushes.find((x) => x.commit === again)?.verdicts[0];
    });
    expect(verdict.passed).toBe(true);
    expect(daemon.output()).toContain('not applied, the previous one stays in force');
    await writeFile(policyPath, text);
  }, 60_000);

  it('refuses a second drydock start on the same state directory', async () => {
    const second = await drydock(['start', '--state', state, '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`already runs for ${state} (pid ${daemon.info.pid})`);
  });
});

describe('the CLI without a running pipeline', () => {
  it('says so and how to start it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drydock-none-'));
    const result = await drydock(['images', '--state', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`start it with:\n  drydock start --state ${empty}`);
    await removeState(empty);
  });

  it('names the Debian package of every missing tool', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drydock-tools-'));
    const result = await drydock(['start', '--state', empty], {
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(result.code).toBe(2);
    for (const pkg of ['buildah', 'podman', 'docker-registry', 'git'])
      expect(result.stderr).toContain(`"${pkg}"`);
    expect(result.stderr).toContain('apt-get install');
    await removeState(empty);
  });

  it('refuses to start as another user than root, saying why, before it creates anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-notroot-'));
    chmodSync(dir, 0o777);
    const started = spawnSync(
      'runuser',
      [
        '-u',
        'nobody',
        '--',
        process.execPath,
        DRYDOCK_BIN,
        'start',
        '--state',
        join(dir, 'state'),
        '--no-seed',
      ],
      { encoding: 'utf8', env: { ...process.env, HOME: dir } },
    );
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('drydock start runs as uid 65534, but the build sandbox needs root');
    expect(started.stderr).not.toContain('    at ');
    expect(existsSync(join(dir, 'state'))).toBe(false);
    await removeState(dir);
  });
});

describe('drydock start when its terminal closes', () => {
  it('stops cleanly on SIGHUP: registry stopped, runtime.json and the lock removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-hup-'));
    const stateDir = join(dir, 'state');
    const hup = await startDrydock(stateDir, ['--no-seed']);
    hup.child.kill('SIGHUP');
    expect(await hup.exited).toBe(0);
    expect(hup.output()).toContain('SIGHUP: stopping');
    expect(existsSync(join(stateDir, 'runtime.json'))).toBe(false);
    expect(existsSync(join(stateDir, 'drydock.lock'))).toBe(false);
    await removeState(dir);
  }, 60_000);
});

describe('drydock start with its output closed', () => {
  it('stops cleanly, as on SIGTERM: registry stopped, runtime.json and the lock removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-epipe-'));
    const stateDir = join(dir, 'state');
    const child = spawn(process.execPath, [DRYDOCK_BIN, 'start', '--state', stateDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('the local pipeline runs')) resolve();
      });
      child.once('exit', () => reject(new Error(`drydock start exited early:\n${out}`)));
    });
    // `drydock start | head`: the reader goes away; the seeding's next progress line meets a closed pipe.
    child.stdout.destroy();
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000)),
    ]);
    if (code === 'timeout') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(existsSync(join(stateDir, 'runtime.json'))).toBe(false);
    expect(existsSync(join(stateDir, 'drydock.lock'))).toBe(false);
    // pgrep exits 1 when nothing matches; anything else (a match, pgrep missing) fails the test.
    const registries = await run('pgrep', ['-f', `docker-registry serve ${stateDir}/`]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code?: number | string; stdout?: string }) => ({ code: e.code, stdout: e.stdout ?? '' }),
    );
    expect(registries).toEqual({ code: 1, stdout: '' });
    await removeState(dir);
  }, 90_000);
});
