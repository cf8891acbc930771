import { describe, expect, it } from 'vitest';
import { rebuildAwaitsEvent } from '../../../core/ban/end-dead-rebuilds.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import type { RebuildRecord, RebuildState } from '../../../core/ports/ban-store.js';
import { commit, digest } from '../../contracts/sample-events.js';

const OF = digest('web');

function store(state: RebuildState) {
  const record = {
    banId: 'ban-1',
    repository: 'team/web',
    definition: 'Dockerfile',
    commit: commit('web'),
    of: OF,
    number: 2,
    state,
  } as RebuildRecord;
  return { rebuilds: async (banId: string) => (banId === 'ban-1' ? [record] : []) };
}

function failed(rebuild?: { banId: string; number: number; of: string }): DrydockEvent {
  return {
    id: 'build-failed-web',
    source: 'drydock',
    detailType: 'Build Failed',
    time: '2026-12-07T12:00:00.000Z',
    detail: {
      buildId: 'build-web',
      repository: 'team/web',
      commit: commit('web'),
      definition: 'Dockerfile',
      correlationId: 'ban-1',
      ...(rebuild ? { rebuild: { ...rebuild, substitutions: [] } } : {}),
      stage: 'build',
      reason: 'buildah exited 1',
      logTail: '',
    },
  };
}

describe('rebuildAwaitsEvent', () => {
  it('is true for the event of the dispatched rebuild it names', async () => {
    expect(await rebuildAwaitsEvent(failed({ banId: 'ban-1', number: 2, of: OF }), store('dispatched'))).toBe(
      true,
    );
  });

  it('is false for an ended rebuild, another number, another image, another ban, or a push', async () => {
    const named = { banId: 'ban-1', number: 2, of: OF };
    expect(await rebuildAwaitsEvent(failed(named), store('failed'))).toBe(false);
    expect(await rebuildAwaitsEvent(failed(named), store('published'))).toBe(false);
    expect(await rebuildAwaitsEvent(failed({ ...named, number: 1 }), store('dispatched'))).toBe(false);
    expect(await rebuildAwaitsEvent(failed({ ...named, of: digest('other') }), store('dispatched'))).toBe(
      false,
    );
    expect(await rebuildAwaitsEvent(failed({ ...named, banId: 'ban-2' }), store('dispatched'))).toBe(false);
    expect(await rebuildAwaitsEvent(failed(), store('dispatched'))).toBe(false);
  });
});
