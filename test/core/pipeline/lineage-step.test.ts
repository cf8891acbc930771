import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { type ImagePublishedEvent, parseEvent } from '../../../core/events/index.js';
import { recordLineage } from '../../../core/pipeline/lineage-step.js';
import { TempState } from '../../contracts/local-state.js';

const published = (): ImagePublishedEvent => {
  const parsed = parseEvent(
    JSON.parse(readFileSync(new URL('../../fixtures/events/image-published.json', import.meta.url), 'utf8')),
  );
  if (!parsed.ok || parsed.event.detailType !== 'Image Published') throw new Error('bad fixture');
  return parsed.event;
};

let state: TempState | undefined;
afterEach(() => state?.close());

describe('recordLineage', () => {
  it('records a published image so that a query on its base finds it, once', async () => {
    state = new TempState();
    const lineage = new SqliteLineageStore(state.open());
    const event = published();
    expect(await recordLineage(event, { lineage })).toEqual({ digest: event.detail.digest, recorded: true });
    expect(await recordLineage(event, { lineage })).toEqual({ digest: event.detail.digest, recorded: false });

    // A second connection to the same file sees it: it is in the state database, not in memory.
    const reopened = new SqliteLineageStore(state.open());
    const found = await reopened.imagesBuiltOn(event.detail.bases[0]!.digest);
    expect(found).toEqual([
      {
        depth: 1,
        image: expect.objectContaining({
          digest: event.detail.digest,
          definition: 'services/api/Dockerfile',
        }),
      },
    ]);
  });
});
