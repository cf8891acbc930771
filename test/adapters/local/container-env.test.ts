import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareContainerEnv } from '../../../adapters/local/container-env.js';

const run = promisify(execFile);

describe('prepareContainerEnv', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-container-env-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('writes the three configs under <stateDir>/containers and points the env at them', async () => {
    const { env, root, buildTmp } = await prepareContainerEnv(stateDir, {
      insecureRegistries: ['127.0.0.1:5123'],
    });
    expect(root).toBe(join(stateDir, 'containers'));
    expect(env).toEqual({
      CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
      CONTAINERS_CONF: join(root, 'containers.conf'),
      REGISTRY_AUTH_FILE: join(root, 'auth.json'),
      BUILDAH_ISOLATION: 'oci',
      BUILDAH_RUNTIME: join(root, 'build-runtime'),
      TMPDIR: join(root, 'tmp'),
      DRYDOCK_BUILD_TMPDIR: buildTmp,
    });
    // One build temp dir per state dir, which a build's root may walk through but nobody may list.
    expect(buildTmp).toMatch(/^\/run\/drydock-builds\/[0-9a-f]{16}$/);
    expect((await stat(buildTmp)).mode & 0o777).toBe(0o711);
    expect((await stat(env.BUILDAH_RUNTIME ?? '')).mode & 0o777).toBe(0o700);
    expect(await readFile(env.CONTAINERS_STORAGE_CONF ?? '', 'utf8')).toContain(
      `graphroot = "${join(root, 'storage')}"`,
    );
    const registries = await readFile(env.CONTAINERS_REGISTRIES_CONF ?? '', 'utf8');
    expect(registries).toContain('unqualified-search-registries = []');
    expect(registries).toContain('location = "127.0.0.1:5123"\ninsecure = true');
    expect((await stat(env.REGISTRY_AUTH_FILE ?? '')).mode & 0o777).toBe(0o600);
  });

  it('writes a build runtime that gives the rootfs root dir to the mapped root, then runs runc', async () => {
    const { env } = await prepareContainerEnv(stateDir);
    const bundle = await mkdtemp(join(stateDir, 'bundle-'));
    const rootfs = join(bundle, 'rootfs');
    await mkdir(rootfs);
    const config = {
      root: { path: rootfs },
      linux: {
        uidMappings: [{ containerID: 0, hostID: 2147483647, size: 65536 }],
        gidMappings: [{ containerID: 0, hostID: 2147483650, size: 65536 }],
      },
    };
    await writeFile(join(bundle, 'config.json'), JSON.stringify(config));
    // `runc create` of a bundle that is no container fails after the chown, which is what is looked at here.
    await run(env.BUILDAH_RUNTIME ?? '', ['create', '--bundle', bundle, `drydock-test-${process.pid}`]).catch(
      () => undefined,
    );
    const owner = await stat(rootfs);
    expect([owner.uid, owner.gid]).toEqual([2147483647, 2147483650]);
  });

  it('keeps an existing auth file', async () => {
    const { env } = await prepareContainerEnv(stateDir);
    await writeFile(env.REGISTRY_AUTH_FILE ?? '', '{"auths":{"x":{"auth":"eA=="}}}');
    await prepareContainerEnv(stateDir);
    expect(await readFile(env.REGISTRY_AUTH_FILE ?? '', 'utf8')).toContain('"x"');
  });

  it('makes buildah keep its images inside the state dir', async () => {
    const { env, root } = await prepareContainerEnv(stateDir);
    const info = await run(
      'buildah',
      ['info', '--format', '{{.store.GraphRoot}} {{.store.GraphDriverName}}'],
      {
        env: { ...process.env, ...env },
      },
    );
    expect(info.stdout.trim()).toBe(`${join(root, 'storage')} vfs`);
  });
});
