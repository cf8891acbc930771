import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../core/events/index.js';
import { EVENT_RULES, type EventPattern, matches, matchingRules } from '../../../core/events/rules.js';
import { eventFixture } from './fixtures.js';

const targetsOf = (name: string) => {
  const result = parseEvent(eventFixture(name));
  if (!result.ok) throw result.error;
  return matchingRules(EVENT_RULES, result.event).map((r) => r.target);
};

describe('EVENT_RULES', () => {
  it('keeps every side-effecting rule away from replayed events', () => {
    for (const rule of EVENT_RULES.filter((r) => r.target !== 'lineage')) {
      expect(rule.pattern['replay-name' as keyof typeof rule.pattern], rule.name).toEqual([
        { exists: false },
      ]);
    }
  });

  it('has unique names', () => {
    const names = EVENT_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['definition-pushed.json', ['gate']],
    ['definition-pushed-branch-deleted.json', []],
    ['definition-verdict-failed.json', ['notify']],
    ['build-requested.json', ['build']],
    ['build-completed.json', ['test']],
    ['build-failed.json', ['notify']],
    ['image-tested.json', ['notify']],
    ['image-published.json', ['lineage']],
  ])('routes %s to %j', (fixture, targets) => {
    expect(targetsOf(fixture)).toEqual(targets);
  });

  it('tells teams about a passed verdict only when its base was substituted', () => {
    const raw = eventFixture('definition-verdict-failed.json');
    const passed = { ...raw, detail: { ...(raw.detail as object), passed: true, findings: [] } };
    expect(matchingRules(EVENT_RULES, passed).map((r) => r.target)).toEqual([]);
    const substituted = { ...passed, detail: { ...passed.detail, substituted: 'FROM b\n' } };
    expect(matchingRules(EVENT_RULES, substituted).map((r) => r.name)).toEqual(['notify-substitutions']);
    expect(matchingRules(EVENT_RULES, { ...substituted, 'replay-name': 'r1' })).toEqual([]);
  });

  it('routes passed tests to publish and keeps replays away from teams', () => {
    const raw = eventFixture('image-tested.json');
    const passed = { ...raw, detail: { ...(raw.detail as object), passed: true } };
    expect(matchingRules(EVENT_RULES, passed).map((r) => r.target)).toEqual(['publish']);
    expect(matchingRules(EVENT_RULES, { ...raw, 'replay-name': 'archive-replay-1' })).toEqual([]);
  });
});

describe('matches', () => {
  const event = {
    source: 'drydock',
    'detail-type': 'Definition Pushed',
    detail: { ref: 'refs/heads/main', pusher: 'drydock-bot', tags: ['a', 'b'], count: 3, gone: null },
  };
  const cases: [string, EventPattern, boolean][] = [
    ['exact value in a list', { source: ['aws.ecr', 'drydock'] }, true],
    ['exact value missing', { source: ['aws.ecr'] }, false],
    ['a number', { detail: { count: [3] } }, true],
    ['a number is not its string', { detail: { count: ['3'] } }, false],
    ['null matches a null field', { detail: { gone: [null] } }, true],
    ['null does not match a missing field', { detail: { nothing: [null] } }, false],
    ['prefix', { detail: { ref: [{ prefix: 'refs/heads/' }] } }, true],
    ['prefix miss', { detail: { ref: [{ prefix: 'refs/tags/' }] } }, false],
    ['anything-but a value', { detail: { pusher: [{ 'anything-but': 'alice' }] } }, true],
    ['anything-but the value', { detail: { pusher: [{ 'anything-but': 'drydock-bot' }] } }, false],
    ['anything-but a list', { detail: { pusher: [{ 'anything-but': ['x', 'drydock-bot'] }] } }, false],
    ['anything-but a prefix', { detail: { pusher: [{ 'anything-but': { prefix: 'drydock-' } }] } }, false],
    ['anything-but another prefix', { detail: { pusher: [{ 'anything-but': { prefix: 'ci-' } }] } }, true],
    ['anything-but needs the field', { detail: { nothing: [{ 'anything-but': 'x' }] } }, false],
    ['exists true', { detail: { ref: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { ref: [{ exists: false }] } }, false],
    ['exists false on a missing field', { detail: { nothing: [{ exists: false }] } }, true],
    ['exists false under a missing object', { missing: { deeper: [{ exists: false }] } }, true],
    ['exists true under a missing object', { missing: { deeper: [{ exists: true }] } }, false],
    ['an array field matches when any element does', { detail: { tags: ['b'] } }, true],
    ['an array field with no matching element', { detail: { tags: ['c'] } }, false],
    ['a leaf pattern does not match an object', { detail: [{ exists: true }] }, false],
    ['every field must match', { source: ['drydock'], 'detail-type': ['Build Failed'] }, false],
    ['an empty pattern matches everything', {}, true],
  ];
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});
