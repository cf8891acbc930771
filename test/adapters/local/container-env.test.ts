import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
    const { env, root } = await prepareContainerEnv(stateDir, { insecureRegistries: ['127.0.0.1:5123'] });
    expect(root).toBe(join(stateDir, 'containers'));
    expect(env).toEqual({
      CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
      CONTAINERS_CONF: join(root, 'containers.conf'),
      REGISTRY_AUTH_FILE: join(root, 'auth.json'),
      BUILDAH_ISOLATION: 'chroot',
      TMPDIR: join(root, 'tmp'),
    });
    expect(await readFile(env.CONTAINERS_STORAGE_CONF ?? '', 'utf8')).toContain(
      `graphroot = "${join(root, 'storage')}"`,
    );
    const registries = await readFile(env.CONTAINERS_REGISTRIES_CONF ?? '', 'utf8');
    expect(registries).toContain('unqualified-search-registries = []');
    expect(registries).toContain('location = "127.0.0.1:5123"\ninsecure = true');
    expect((await stat(env.REGISTRY_AUTH_FILE ?? '')).mode & 0o777).toBe(0o600);
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
