import { beforeEach, describe, expect, it } from 'vitest';
import type { BuildRequestedEvent } from '../../../core/events/index.js';
import { buildIdFor } from '../../../core/gate/handle-push.js';
import { BuildInterruptedError } from '../../../core/pipeline/build-step.js';
import { buildStep, runStep } from '../../../core/steps/index.js';
import { buildRequested, commit as commitOf } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';

const COMMIT = commitOf('build');
const DOCKERFILE = 'FROM 127.0.0.1:5000/base/busybox:1.36.0\nRUN true\n';
let f: PushFlowFakes;

beforeEach(() => {
  f = pushFlowFakes({ limits: { buildTimeoutMs: 5_000, logTailLines: 2 } });
  f.registry.seed('base/busybox', '1.36.0');
  f.source.commit('shop', COMMIT, { 'web/Dockerfile': DOCKERFILE });
});

function requested(): BuildRequestedEvent {
  const sample = buildRequested('build');
  return {
    ...sample,
    detail: {
      ...sample.detail,
      repository: 'shop',
      commit: COMMIT,
      definition: 'web/Dockerfile',
      buildId: buildIdFor('shop', COMMIT, 'web/Dockerfile'),
      dockerfile: DOCKERFILE,
    },
  };
}

describe('the build step', () => {
  it('publishes Build Completed for a definition that builds, within the time limit of the limits port', async () => {
    expect(await runStep(buildStep, requested(), f.ports)).toEqual({ ran: true });
    expect(f.bus.detailTypes()).toEqual(['Build Completed']);
    const [completed] = f.bus.ofType('Build Completed');
    expect(completed?.detail).toMatchObject({ buildId: requested().detail.buildId, repository: 'shop' });
    expect(completed?.detail.logTail.split('\n')).toHaveLength(2);
    expect(f.builder.builds[0]?.timeoutMs).toBe(5_000);
    expect((await f.records.get(requested().detail.buildId))?.state).toBe('testing');
  });

  it('publishes Build Failed for a definition that does not build', async () => {
    f.builder.scriptNext({ kind: 'fail', reason: 'exit status 1', lines: ['a', 'b', 'c'] });
    await runStep(buildStep, requested(), f.ports);
    expect(f.bus.ofType('Build Failed').map((e) => e.detail)).toMatchObject([
      { stage: 'build', reason: 'exit status 1', logTail: 'b\nc' },
    ]);
  });

  it('throws a build the runtime stops, publishing nothing, so that its message is handled again', async () => {
    const stopping = new AbortController();
    const ports = { ...f.ports, limits: { ...f.ports.limits, signal: stopping.signal } };
    f.builder.scriptNext({ kind: 'hang' });
    const running = runStep(buildStep, requested(), ports).catch((e: unknown) => e);
    while (f.builder.builds.length === 0) await new Promise((r) => setTimeout(r, 1));
    stopping.abort();
    expect(await running).toBeInstanceOf(BuildInterruptedError);
    expect(f.bus.events).toEqual([]);
  });

  it('throws when the bus cannot take the outcome, so that the request is delivered again and answered the same', async () => {
    f.bus.failNext(new Error('bus unavailable'));
    await expect(runStep(buildStep, requested(), f.ports)).rejects.toThrow('bus unavailable');
    await runStep(buildStep, requested(), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Build Completed']);
    expect(f.builder.builds).toHaveLength(1);
  });

  it('ignores an event it does not consume', async () => {
    const other = { ...requested(), detailType: 'Build Completed' } as unknown as BuildRequestedEvent;
    expect(await runStep(buildStep, other, f.ports)).toMatchObject({ ran: false });
    expect(f.builder.builds).toEqual([]);
  });
});
