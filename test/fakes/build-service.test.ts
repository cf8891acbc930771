import { describe, expect, it } from 'vitest';
import { BuildFailedError, type BuildRequest } from '../../core/ports/build-service.js';
import { FakeBuildContext } from './build-context.js';
import { FakeBuildService } from './build-service.js';
import { FakeDefinitionSource } from './definition-source.js';
import { FakeImageStore } from './image-store.js';

function fixture() {
  const source = new FakeDefinitionSource().commit('shop', 'c1', {
    'web/Dockerfile': 'FROM x\n',
    'web/a.txt': 'a',
  });
  const context = new FakeBuildContext(source);
  const store = new FakeImageStore();
  return { context, store, builder: new FakeBuildService({ store, context }) };
}

const request = (over: Partial<BuildRequest> = {}): BuildRequest => ({
  buildId: 'b1',
  contextDir: '/ws/1/context',
  dockerfileText: 'FROM x\nRUN true\n',
  tag: 'localhost/drydock-build/b1:latest',
  labels: { a: '1' },
  timeoutMs: 1_000,
  log: () => undefined,
  ...over,
});

describe('FakeBuildService', () => {
  it('gives the same request the same image id, and another label, text or context another', async () => {
    const { context, builder, store } = fixture();
    await context.export('shop', 'c1', 'web', '/ws/1/context');
    await context.export('shop', 'c1', '', '/ws/2/context');
    const first = await builder.build(request());
    expect((await builder.build(request())).imageId).toBe(first.imageId);
    expect(store.get(first.tag)?.imageId).toBe(first.imageId);
    const others = [
      await builder.build(request({ labels: { a: '2' } })),
      await builder.build(request({ dockerfileText: 'FROM x\n' })),
      await builder.build(request({ contextDir: '/ws/2/context' })),
    ];
    expect(new Set([first.imageId, ...others.map((o) => o.imageId)]).size).toBe(4);
  });

  it('fails like buildah when nothing was exported to the context directory', async () => {
    const { builder } = fixture();
    await expect(builder.build(request())).rejects.toBeInstanceOf(BuildFailedError);
  });

  it('prints the lines it is told to, then builds', async () => {
    const { context, builder } = fixture();
    await context.export('shop', 'c1', 'web', '/ws/1/context');
    const lines: string[] = [];
    builder.scriptNext({ kind: 'print', lines: ['hello'] });
    await builder.build(request({ log: (l) => lines.push(l) }));
    expect(lines.slice(0, 3)).toEqual(['hello', 'STEP 1/2: FROM x', 'STEP 2/2: RUN true']);
  });
});
