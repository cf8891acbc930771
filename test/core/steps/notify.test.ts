import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import { notifyStep, runStep } from '../../../core/steps/index.js';
import { pushFlowFakes } from '../../fakes/step-ports.js';

const fixture = (name: string): DrydockEvent => {
  const parsed = parseEvent(
    JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8')),
  );
  if (!parsed.ok) throw new Error(`bad fixture ${name}`);
  return parsed.event;
};

describe('the notify step', () => {
  it.each(['definition-verdict-failed', 'build-failed', 'image-tested', 'rebuild-outcome'])(
    'hands %s to the team notifier as it came',
    async (name) => {
      const f = pushFlowFakes();
      const event = fixture(name);
      expect(await runStep(notifyStep, event, f.ports)).toEqual({ ran: true });
      expect(f.notifier.notified).toEqual([event]);
      expect(f.bus.events).toEqual([]);
    },
  );

  it('throws when the notifier fails, so that the team is told on a redelivery', async () => {
    const f = pushFlowFakes();
    f.notifier.failNext(new Error('topic unavailable'));
    await expect(runStep(notifyStep, fixture('build-failed'), f.ports)).rejects.toThrow('topic unavailable');
    expect(f.notifier.notified).toEqual([]);
  });

  it('ignores an event it does not consume', async () => {
    const f = pushFlowFakes();
    expect(await runStep(notifyStep, fixture('build-requested'), f.ports)).toMatchObject({ ran: false });
    expect(f.notifier.notified).toEqual([]);
  });
});
