import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBusyboxBaseContext } from '../../../adapters/local/busybox-base-seeder.js';
import { ContainerCliBuildService } from '../../../adapters/local/container-cli-build-service.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildRequest,
  BuildTimedOutError,
} from '../../../core/ports/build-service.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

// podman's `build` stands in for Docker's: the service passes only flags both have.
const BASE = 'localhost/base/busybox:cli-build';
let storage: ContainerStorage;
let builder: ContainerCliBuildService;
let context: string;

beforeAll(async () => {
  storage = await createContainerStorage();
  builder = new ContainerCliBuildService({ engine: 'podman', env: storage.env });
  const baseDir = join(storage.dir, 'base');
  mkdirSync(baseDir);
  await builder.build(
    request({
      contextDir: baseDir,
      dockerfileText: await writeBusyboxBaseContext(baseDir, '1.36.0'),
      tag: BASE,
    }),
  );
  context = join(storage.dir, 'ctx');
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nLABEL from=context\n');
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

function request(over: Partial<BuildRequest>): BuildRequest {
  return {
    buildId: 'b1',
    contextDir: context,
    dockerfileText: `FROM ${BASE}\n`,
    tag: 'localhost/drydock-build/b1:latest',
    timeoutMs: 60_000,
    log: () => undefined,
    ...over,
  };
}

describe('ContainerCliBuildService (with podman)', () => {
  it("builds the request's Dockerfile, not the context's, with labels and build args, and logs each line", async () => {
    const lines: string[] = [];
    const built = await builder.build(
      request({
        dockerfileText: `FROM ${BASE}\nARG GREETING\nRUN echo "said $GREETING"\n`,
        labels: { 'io.drydock.definition': 'a b --tag=evil:1', 'org.opencontainers.image.revision': 'c1' },
        buildArgs: { GREETING: 'hi; touch /pwned' },
        log: (l) => lines.push(l),
      }),
    );
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toContain('said hi; touch /pwned');
    const [image] = JSON.parse(await storage.tool('podman', ['image', 'inspect', built.tag]));
    expect(`sha256:${image.Id}`).toBe(built.imageId);
    expect(image.Config.Labels).toMatchObject({ 'io.drydock.definition': 'a b --tag=evil:1' });
    expect(image.Config.Labels.from).toBeUndefined();
    expect(image.RepoTags).toEqual(['localhost/drydock-build/b1:latest']);
  }, 60_000);

  it('fails a RUN that exits non-zero with the log tail', async () => {
    const error = await builder
      .build(request({ dockerfileText: `FROM ${BASE}\nRUN echo why >&2; exit 7\n` }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as BuildFailedError).logTail).toContain('why');
  }, 60_000);

  it('stops a build at its time limit, and when its signal aborts', async () => {
    const slow = `FROM ${BASE}\nRUN sleep 60\n`;
    await expect(builder.build(request({ dockerfileText: slow, timeoutMs: 1_500 }))).rejects.toThrow(
      BuildTimedOutError,
    );
    // Aborted once the RUN is under way (the engine logs its step), not after a guessed delay.
    const controller = new AbortController();
    const log = (line: string) => {
      if (line.includes('RUN sleep 60')) controller.abort();
    };
    await expect(
      builder.build(request({ dockerfileText: slow, signal: controller.signal, log })),
    ).rejects.toThrow(BuildCancelledError);
  }, 60_000);

  it('refuses a label key or build arg name that could move text between flags', async () => {
    await expect(builder.build(request({ labels: { 'a=b': 'c' } }))).rejects.toThrow(
      'label key "a=b" is not valid',
    );
    await expect(builder.build(request({ buildArgs: { '-x': 'c' } }))).rejects.toThrow('build arg name "-x"');
  });
});
