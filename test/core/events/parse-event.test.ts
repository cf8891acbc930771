import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrydockError } from '../../../core/errors.js';
import {
  DETAIL_TYPES,
  type DrydockEvent,
  InvalidEventError,
  parseEvent,
  toEventBridge,
  verdictDetail,
} from '../../../core/events/index.js';
import { gateDefinition } from '../../../core/gate/gate-definition.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { eventFixture, validFixtureNames } from './fixtures.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');

function parsed(input: unknown): DrydockEvent {
  const result = parseEvent(input);
  if (!result.ok) throw result.error;
  return result.event;
}

describe('parseEvent', () => {
  it.each(validFixtureNames())('accepts the EventBridge fixture %s', (name) => {
    const raw = eventFixture(name);
    const event = parsed(raw);
    expect(event.detailType).toBe(raw['detail-type']);
    expect(event.detail).toEqual(raw.detail);
  });

  it('has a fixture for every detail-type', () => {
    const types = new Set(validFixtureNames().map((n) => eventFixture(n)['detail-type']));
    expect([...types].sort()).toEqual([...DETAIL_TYPES].sort());
  });

  it('round-trips through the EventBridge wire form', () => {
    const event = parsed(eventFixture('image-published.json'));
    expect(parsed(toEventBridge(event))).toEqual(event);
    expect(parsed(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('names every bad field path and keeps the input', () => {
    const raw = eventFixture('invalid-definition-pushed.json');
    const result = parseEvent(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidEventError);
    expect(result.error).toBeInstanceOf(DrydockError);
    expect(result.error.code).toBe('EVENT_INVALID');
    expect(result.error.retryable).toBe(false);
    expect(result.error.input).toBe(raw);
    expect(result.error.issues.map((i) => i.path)).toEqual(['detail.after', 'detail.definitions[0].change']);
    expect(result.error.message).toContain('detail.definitions[0].change');
  });

  it('rejects an unknown detail-type by name', () => {
    const result = parseEvent({ ...eventFixture('build-failed.json'), 'detail-type': 'Build Exploded' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues[0]).toMatchObject({ path: 'detailType' });
    if (!result.ok) expect(result.error.message).toContain('"Build Exploded"');
  });

  it('rejects a foreign source, unknown envelope fields and non-objects', () => {
    const raw = eventFixture('build-requested.json');
    const foreign = parseEvent({ ...raw, source: 'aws.ecr' });
    expect(!foreign.ok && foreign.error.issues.map((i) => i.path)).toEqual(['source']);
    const extra = parseEvent({ ...parsed(raw), sneaky: true });
    expect(extra.ok).toBe(false);
    for (const input of [null, 'x', [], 42]) expect(parseEvent(input).ok).toBe(false);
  });

  it('rejects a malformed digest and a timestamp without a zone', () => {
    const raw = eventFixture('image-published.json');
    const detail = { ...(raw.detail as object), digest: 'sha256:abc' };
    const result = parseEvent({ ...raw, time: '2025-03-14 09:28', detail });
    expect(!result.ok && result.error.issues.map((i) => i.path).sort()).toEqual(['detail.digest', 'time']);
  });

  it.each(['legacy-worker', 'payments-api'])(
    'accepts the gate verdict on examples/%s as a detail',
    (name) => {
      const policy = parsePolicy(readFileSync(join(EXAMPLES, 'policy.yaml'), 'utf8'));
      const verdict = gateDefinition({
        text: readFileSync(join(EXAMPLES, name, 'Dockerfile'), 'utf8'),
        file: 'Dockerfile',
        project: 'payments',
        policy,
        now: new Date('2025-03-14T00:00:00Z'),
      });
      expect(verdict.findings.length + verdict.bases.length).toBeGreaterThan(0);
      const detail = verdictDetail(verdict, {
        repository: 'payments/api',
        commit: 'a'.repeat(40),
        definition: 'Dockerfile',
      });
      const event = parsed({
        id: 'v-1',
        source: 'drydock',
        detailType: 'Definition Verdict',
        time: '2025-03-14T09:00:00Z',
        detail,
      });
      expect(event.detail).toEqual(detail);
    },
  );
});
