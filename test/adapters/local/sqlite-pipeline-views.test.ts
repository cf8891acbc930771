import { afterEach, describe, expect, it } from 'vitest';
import { openStateDatabase, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqlitePipelineViews } from '../../../adapters/local/sqlite-pipeline-views.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import { commit } from '../../contracts/sample-events.js';
import { eventFixture } from '../../core/events/fixtures.js';

const opened: StateDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function state() {
  const db = openStateDatabase(':memory:');
  opened.push(db);
  return { log: new SqliteEventLog(db), views: new SqlitePipelineViews(db) };
}

/** A fixture event with another id and parts of its detail replaced. */
function event(name: string, id: string, detail: Record<string, unknown>): DrydockEvent {
  const raw = eventFixture(name);
  const parsed = parseEvent({ ...raw, id, detail: { ...(raw.detail as object), ...detail } });
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
}

const push = (id: string, repository: string, after: string) =>
  event('definition-pushed.json', id, { repository, after });
const verdict = (id: string, repository: string, at: string, definition = 'services/worker/Dockerfile') =>
  event('definition-verdict-failed.json', id, { repository, commit: at, definition });

describe('SqlitePipelineViews.recentPushes', () => {
  it('returns nothing for an empty log', () => {
    expect(state().views.recentPushes()).toEqual([]);
  });

  it('returns pushes newest first, up to the limit', async () => {
    const { log, views } = state();
    for (const id of ['p1', 'p2', 'p3']) await log.append(push(id, 'shop', commit(id)));
    expect(views.recentPushes().map((p) => p.push.id)).toEqual(['p3', 'p2', 'p1']);
    expect(views.recentPushes(2).map((p) => p.push.id)).toEqual(['p3', 'p2']);
  });

  it('gives each push the verdicts of its own repository and commit, in log order', async () => {
    const { log, views } = state();
    const a = commit('a');
    const b = commit('b');
    await log.append(push('push-shop-a', 'shop', a));
    await log.append(verdict('v-shop-a-1', 'shop', a, 'api/Dockerfile'));
    await log.append(push('push-shop-b', 'shop', b));
    await log.append(verdict('v-shop-b', 'shop', b));
    // The same commit in another repository (a fork) is another push.
    await log.append(push('push-fork-a', 'fork', a));
    await log.append(verdict('v-fork-a', 'fork', a));
    await log.append(verdict('v-shop-a-2', 'shop', a, 'worker/Dockerfile'));
    const verdicts = Object.fromEntries(
      views.recentPushes().map((p) => [p.push.id, p.verdicts.map((v) => v.id)]),
    );
    expect(verdicts).toEqual({
      'push-fork-a': ['v-fork-a'],
      'push-shop-b': ['v-shop-b'],
      'push-shop-a': ['v-shop-a-1', 'v-shop-a-2'],
    });
    expect(views.recentPushes()[2]?.verdicts[0]?.detail.definition).toBe('api/Dockerfile');
  });

  it('returns a push the gate has not judged yet with no verdicts', async () => {
    const { log, views } = state();
    await log.append(push('waiting', 'shop', commit('w')));
    await log.append(event('build-failed.json', 'other', {}));
    expect(views.recentPushes()).toEqual([
      { push: expect.objectContaining({ id: 'waiting' }), verdicts: [] },
    ]);
  });
});
