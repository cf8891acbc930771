import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import {
  type ContainerEnv,
  prepareContainerEnv,
  ToolMissingError,
} from '../../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import {
  ensurePipelineCredential,
  type PipelineCredential,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../../adapters/local/registry-push-guard.js';
import { RegistryUnauthorizedError, RegistryUnavailableError } from '../../../core/ports/image-registry.js';
import { imageRegistryContract } from '../../contracts/image-registry.contract.js';

const run = promisify(execFile);
const LABELS = { 'org.opencontainers.image.source': 'https://git.example/tiny', 'drydock.test': 'yes' };

interface LocalRegistry {
  stateDir: string;
  registry: RunningDockerRegistry;
  guard: RunningPushGuard;
  credential: PipelineCredential;
  containerEnv: ContainerEnv;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function startLocalRegistry(): Promise<LocalRegistry> {
  const stateDir = await mkdtemp(join(tmpdir(), 'drydock-buildah-'));
  const registry = await startDockerRegistry({ stateDir, listen: 'unix' });
  const credential = await ensurePipelineCredential(stateDir);
  const guard = await startRegistryPushGuard({ upstream: registry.address, credential });
  const containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
  const local: LocalRegistry = {
    stateDir,
    registry,
    guard,
    credential,
    containerEnv,
    env: { ...process.env, ...containerEnv.env },
    // Reads local.registry at stop time: a test may have replaced it with a restarted one.
    stop: async () => {
      await guard.close();
      await local.registry.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return local;
}

/** Builds `FROM scratch` + busybox-static with labels, in the state dir's own vfs storage. */
async function buildTinyImage(local: LocalRegistry, name: string): Promise<void> {
  const rootfs = join(local.stateDir, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  const env = local.env;
  const container = (await run('buildah', ['from', 'scratch'], { env })).stdout.trim();
  await run('buildah', ['copy', container, `${rootfs}/`, '/'], { env });
  const labels = Object.entries(LABELS).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await run('buildah', ['config', ...labels, '--cmd', '["/bin/busybox","true"]', container], { env });
  await run('buildah', ['commit', '--rm', '--quiet', container, name], { env });
}

describe('BuildahImageRegistry', () => {
  let local: LocalRegistry;
  beforeAll(async () => {
    local = await startLocalRegistry();
    await buildTinyImage(local, 'localhost/tiny:1');
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('refuses a buildah push without the pipeline credential', async () => {
    const push = run(
      'buildah',
      ['push', '--tls-verify=false', 'localhost/tiny:1', `docker://${local.guard.host}/apps/tiny:1`],
      { env: local.env },
    );
    await expect(push).rejects.toMatchObject({ stderr: expect.stringMatching(/unauthorized|401/i) });
    expect(local.guard.refusedCount).toBeGreaterThan(0);
    const catalog = await fetch(`${local.guard.url}/v2/_catalog`);
    expect(await catalog.json()).toEqual({ repositories: [] });
  });

  it('refuses a push with a wrong credential as RegistryUnauthorizedError', async () => {
    const impostor = new BuildahImageRegistry({
      host: local.guard.host,
      credential: { username: local.credential.username, secret: 'not-the-pipeline-secret' },
      containerEnv: local.containerEnv,
    });
    await expect(
      impostor.push('localhost/tiny:1', { repository: 'apps/tiny', tag: '1' }),
    ).rejects.toBeInstanceOf(RegistryUnauthorizedError);
  });

  it('pushes with the pipeline credential; inspect and an anonymous pull see the digest and labels', async () => {
    const registry = new BuildahImageRegistry({
      host: local.guard.host,
      credential: local.credential,
      containerEnv: local.containerEnv,
    });
    const pushed = await registry.push('localhost/tiny:1', { repository: 'apps/tiny', tag: '1' });
    expect(pushed.ref).toBe(`${local.guard.host}/apps/tiny:1`);

    const details = await registry.inspect(pushed.ref);
    expect(details?.digest).toBe(pushed.digest);
    expect(details?.labels).toMatchObject(LABELS);
    const imageId = (
      await run('buildah', ['images', '--no-trunc', '--format', '{{.ID}}', 'localhost/tiny:1'], {
        env: local.env,
      })
    ).stdout.trim();
    expect(details?.configDigest).toBe(`sha256:${imageId.replace(/^sha256:/, '')}`);

    const manifest = await fetch(`${local.guard.url}/v2/apps/tiny/manifests/1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(pushed.digest);

    const skopeo = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${pushed.ref}`], {
      env: local.env,
    });
    expect(JSON.parse(skopeo.stdout)).toMatchObject({ Digest: pushed.digest, Labels: LABELS });
  });

  it('keeps the image when the registry restarts on the same data', async () => {
    const registry = new BuildahImageRegistry({
      host: local.guard.host,
      credential: local.credential,
      containerEnv: local.containerEnv,
    });
    const before = await registry.inspect('apps/tiny:1');
    expect(before).toBeDefined();
    await local.registry.stop();
    await expect(registry.inspect('apps/tiny:1')).rejects.toBeInstanceOf(RegistryUnavailableError);
    local.registry = await startDockerRegistry({ stateDir: local.stateDir, listen: 'unix' });
    expect(await registry.inspect('apps/tiny:1')).toEqual(before);
  });

  it('names the Debian package when buildah is missing', async () => {
    const registry = new BuildahImageRegistry({
      host: local.guard.host,
      credential: local.credential,
      containerEnv: local.containerEnv,
      buildah: '/nonexistent/buildah',
    });
    const push = registry.push('localhost/tiny:1', { repository: 'apps/tiny', tag: '1' });
    await expect(push).rejects.toBeInstanceOf(ToolMissingError);
    await expect(push).rejects.toThrow(/Debian package "buildah"/);
  });
});

imageRegistryContract('BuildahImageRegistry', async () => {
  const local = await startLocalRegistry();
  await buildTinyImage(local, 'localhost/contract:1');
  return {
    registry: new BuildahImageRegistry({
      host: local.guard.host,
      credential: local.credential,
      containerEnv: local.containerEnv,
    }),
    localImage: 'localhost/contract:1',
    labels: LABELS,
    dispose: () => local.stop(),
  };
});
