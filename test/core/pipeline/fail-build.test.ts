import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { parseEvent } from '../../../core/events/index.js';
import { failBuild } from '../../../core/pipeline/fail-build.js';
import { TempState } from '../../contracts/local-state.js';

const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const clock = { now: () => new Date('2026-11-27T12:00:00Z') };
const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

async function testing(buildId: string, rebuild?: string) {
  const state = new TempState();
  states.push(state);
  const records = new SqliteBuildRecords(state.open());
  const subject = {
    buildId,
    repository: 'payments',
    commit: COMMIT,
    definition: 'web/Dockerfile',
    correlationId: 'push-1',
  };
  await records.enqueue({ ...subject, ...(rebuild ? { rebuild } : {}) });
  await records.transition(buildId, 'building');
  await records.transition(buildId, 'testing');
  return { records, subject };
}

describe('failBuild', () => {
  it('fails the record and tells the team with Build Failed, the same event on a redelivery', async () => {
    const { records, subject } = await testing('build-web');
    const event = await failBuild(subject, 'push', 'registry refused the push', { records, clock });
    expect(parseEvent(event).ok).toBe(true);
    expect(event.detail).toMatchObject({
      buildId: 'build-web',
      stage: 'push',
      reason: 'registry refused the push',
    });
    expect(event.detail).not.toHaveProperty('rebuild');
    expect(await records.get('build-web')).toMatchObject({
      state: 'failed',
      error: 'push: registry refused the push',
    });
    expect(await failBuild(subject, 'push', 'registry refused the push', { records, clock })).toEqual(event);
  });

  it("carries a rebuild on, with an id apart from the push's failure of the same commit", async () => {
    const { records, subject } = await testing('rebuild-web', 'ban-1#1');
    const rebuild = { banId: 'ban-1', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const event = await failBuild({ ...subject, rebuild }, 'test', 'sandbox gone', { records, clock });
    expect(parseEvent(event).ok).toBe(true);
    expect(event.detail).toMatchObject({ buildId: 'rebuild-web', stage: 'test', rebuild });
    const push = await failBuild(subject, 'test', 'sandbox gone', { records, clock });
    expect(event.id).not.toBe(push.id);
    expect(await records.get('rebuild-web')).toMatchObject({ state: 'failed', rebuild: 'ban-1#1' });
  });
});
