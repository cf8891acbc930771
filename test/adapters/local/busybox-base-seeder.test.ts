import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { seedBusyboxBases } from '../../../adapters/local/busybox-base-seeder.js';
import { ToolMissingError } from '../../../core/ports/build-service.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

let storage: ContainerStorage;

beforeAll(async () => {
  storage = await createContainerStorage();
});

afterAll(async () => {
  await storage?.cleanup();
});

describe('seedBusyboxBases', () => {
  it('builds two busybox-static versions and pushes each under its registry reference', async () => {
    const pushed: string[] = [];
    // A real push, to an OCI layout on disk: the registry adapter is not what is under test.
    const push = async (localTag: string) => {
      pushed.push(localTag);
      const digestFile = join(storage.dir, 'digest');
      await storage.tool('buildah', [
        'push',
        '--digestfile',
        digestFile,
        localTag,
        `oci:${join(storage.dir, 'oci')}:${localTag.split(':').at(-1)}`,
      ]);
      return { digest: (await readFile(digestFile, 'utf8')).trim() };
    };
    const lines: string[] = [];
    const seeded = await seedBusyboxBases({
      builder: new BuildahBuildService({ env: storage.env, pull: 'never' }),
      push,
      registryHost: '127.0.0.1:5999',
      log: (l) => lines.push(l),
    });
    expect(seeded.map((s) => s.ref)).toEqual([
      '127.0.0.1:5999/base/busybox:1.36.0',
      '127.0.0.1:5999/base/busybox:1.36.1',
    ]);
    expect(pushed).toEqual(seeded.map((s) => s.ref));
    for (const s of seeded) {
      expect(s.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(lines).toContain(`seeded ${s.ref}@${s.digest}`);
    }
    expect(seeded[0]?.imageId).not.toBe(seeded[1]?.imageId);
    expect(seeded[0]?.digest).not.toBe(seeded[1]?.digest);

    const [newer] = seeded.slice(1);
    const inspected = JSON.parse(
      await storage.tool('buildah', ['inspect', '--type', 'image', newer!.ref]),
    ) as {
      FromImageID: string;
      OCIv1: { config: { Labels: Record<string, string>; Cmd: string[] } };
    };
    expect(`sha256:${inspected.FromImageID}`).toBe(newer!.imageId);
    expect(inspected.OCIv1.config.Labels).toMatchObject({
      'org.opencontainers.image.version': '1.36.1',
      'org.opencontainers.image.title': 'drydock-busybox',
    });
    expect(inspected.OCIv1.config.Cmd).toEqual(['/bin/sh']);
    const out = await storage.tool('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      newer!.ref,
      'sh',
      '-c',
      '. /etc/os-release && echo "$NAME $VERSION" && readlink /bin/ls && stat -c %a /tmp && id -u nobody',
    ]);
    expect(out).toBe('drydock-busybox 1.36.1\n/bin/busybox\n1777\n65534\n');
  });

  it('names the Debian package when busybox-static is missing', async () => {
    const error = await seedBusyboxBases({
      builder: new BuildahBuildService({ env: storage.env }),
      push: async () => ({ digest: 'unused' }),
      registryHost: '127.0.0.1:5999',
      busybox: '/nonexistent/busybox',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as Error).message).toContain('install the Debian package "busybox-static"');
  });
});
