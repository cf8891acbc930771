import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { writeBusyboxBaseContext } from '../../../adapters/local/busybox-base-seeder.js';
import {
  BuildFailedError,
  type BuildRequest,
  BuildTimedOutError,
  ToolMissingError,
} from '../../../core/ports/build-service.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

const BASE = 'localhost/base/busybox:1.36.0';
let storage: ContainerStorage;
let builder: BuildahBuildService;
let baseId: string;

function request(dir: string, dockerfileText: string, extra: Partial<BuildRequest> = {}): BuildRequest {
  return {
    buildId: 'b1',
    contextDir: dir,
    dockerfileText,
    tag: 'localhost/apps/hello:b1',
    timeoutMs: 60_000,
    log: () => undefined,
    ...extra,
  };
}

async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

beforeAll(async () => {
  storage = await createContainerStorage();
  builder = new BuildahBuildService({ env: storage.env, pull: 'never' });
  const base = join(storage.dir, 'base');
  const dockerfileText = await writeBusyboxBaseContext(base, '1.36.0');
  baseId = (await builder.build(request(base, dockerfileText, { buildId: 'base', tag: BASE }))).imageId;
}, 60_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('BuildahBuildService', () => {
  it('builds the given Dockerfile text with labels and build args, and returns the config digest', async () => {
    const ctx = join(storage.dir, 'ctx-ok');
    await mkdir(ctx);
    await writeFile(join(ctx, 'hello.txt'), 'hello from the context\n');
    // The team's own Dockerfile names another base; the substituted text must win.
    await writeFile(join(ctx, 'Dockerfile'), 'FROM docker.io/library/banned:1\n');
    const lines: string[] = [];
    const labels = {
      'org.opencontainers.image.base.name': BASE,
      'org.opencontainers.image.base.digest': baseId,
      'org.opencontainers.image.source': 'file:///repos/hello.git',
      'org.opencontainers.image.revision': '0123456789abcdef',
      'org.opencontainers.image.version': 'app-1',
    };
    const built = await builder.build(
      request(
        ctx,
        `FROM ${BASE}\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\n`,
        {
          labels,
          buildArgs: { GREETING: 'hi there' },
          log: (l) => lines.push(l),
        },
      ),
    );
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(built.tag).toBe('localhost/apps/hello:b1');
    expect(built.durationMs).toBeGreaterThan(0);
    const inspected = JSON.parse(
      await storage.tool('buildah', ['inspect', '--type', 'image', built.tag]),
    ) as {
      FromImageID: string;
      OCIv1: { config: { Labels: Record<string, string> } };
    };
    expect(`sha256:${inspected.FromImageID}`).toBe(built.imageId);
    // The version label the base carries is overridden, the lineage labels are set.
    expect(inspected.OCIv1.config.Labels).toMatchObject(labels);
    expect(lines[0]).toMatch(
      /^\$ buildah .* bud --isolation oci --runtime \S+ --userns=auto:size=65536 --network none /,
    );
    expect(lines[0]).toContain('--build-arg GREETING=… ');
    expect(lines.join('\n')).not.toContain('hi there');
    expect(lines.some((l) => l.includes('COPY hello.txt /hello.txt'))).toBe(true);
    const out = await storage.tool('podman', [
      'run',
      '--rm',
      '--network',
      'none',
      built.tag,
      'cat',
      '/greeting',
      '/hello.txt',
    ]);
    expect(out).toBe('hi there\nhello from the context\n');
    expect(await readFile(join(ctx, 'Dockerfile'), 'utf8')).toBe('FROM docker.io/library/banned:1\n');
    // The substituted Dockerfile was written in the environment's TMPDIR (swept at start), and removed.
    const tmp = storage.env.TMPDIR ?? '';
    expect(lines[0]).toContain(` -f ${join(tmp, 'drydock-build-')}`);
    expect((await readdir(tmp)).filter((e) => e.startsWith('drydock-build-'))).toEqual([]);
  });

  it('fails with the tail of the log when a step fails', async () => {
    const error = await builder
      .build(
        request(storage.dir, `FROM ${BASE}\nRUN echo boom-marker-7 && exit 3\n`, {
          tag: 'localhost/apps/fail:1',
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failed = error as BuildFailedError;
    expect(failed.code).toBe('BUILD_FAILED');
    expect(failed.logTail).toContain('boom-marker-7');
    expect(failed.message).toMatch(
      /^build b1 failed: Error: building at STEP "RUN echo boom-marker-7 && exit 3"/,
    );
    expect(failed.message).toContain('| boom-marker-7');
  });

  it('stops a build that runs over its time limit and leaves no process behind', async () => {
    const marker = `drydock-timeout-${process.pid}-${Date.now()}`;
    const started = Date.now();
    const error = await builder
      .build(
        request(storage.dir, `FROM ${BASE}\nRUN sh -c 'sleep 30' ${marker}\n`, {
          tag: 'localhost/apps/slow:1',
          timeoutMs: 2_000,
        }),
      )
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(BuildTimedOutError);
    expect((error as BuildTimedOutError).retryable).toBe(true);
    expect((error as BuildTimedOutError).message).toBe('build b1 timed out after 2000 ms and was stopped');
    expect(elapsed).toBeLessThan(6_000);
    expect(await processesWith(marker)).toEqual([]);
    expect(await storage.tool('buildah', ['containers', '--quiet'])).toBe('');
  });

  it('names the Debian package when buildah is missing', async () => {
    const missing = new BuildahBuildService({ buildah: '/nonexistent/buildah', env: storage.env });
    const error = await missing.build(request(storage.dir, `FROM ${BASE}\n`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as ToolMissingError).code).toBe('TOOL_MISSING');
    expect((error as Error).message).toContain('install the Debian package "buildah"');
  });

  it('refuses a label name that buildah would split', async () => {
    await expect(
      builder.build(request(storage.dir, `FROM ${BASE}\n`, { labels: { 'a=b': 'c' } })),
    ).rejects.toMatchObject({ code: 'BUILD_REQUEST_INVALID' });
  });
});
