import { describe, expect, it } from 'vitest';
import { lineageStep, runStep } from '../../../core/steps/index.js';
import { buildRequested, digest, published } from '../../contracts/sample-events.js';
import { pushFlowFakes } from '../../fakes/step-ports.js';

describe('the lineage step', () => {
  it('records a published image on its bases once, however often it is delivered, and publishes nothing', async () => {
    const f = pushFlowFakes();
    const event = published('app', ['ops-python']);
    expect(await runStep(lineageStep, event, f.ports)).toEqual({ ran: true });
    expect(await runStep(lineageStep, { ...event, id: 'redelivered' }, f.ports)).toEqual({ ran: true });
    expect(await f.lineage.list()).toMatchObject([{ digest: digest('app'), eventId: event.id }]);
    expect((await f.lineage.imagesBuiltOn(digest('ops-python'))).map((d) => d.image.digest)).toEqual([
      digest('app'),
    ]);
    expect(f.bus.events).toEqual([]);
  });

  it('ignores an event it does not consume', async () => {
    const f = pushFlowFakes();
    expect(await runStep(lineageStep, buildRequested('b1'), f.ports)).toMatchObject({ ran: false });
    expect(await f.lineage.list()).toEqual([]);
  });
});
