import { describe, expect, it } from 'vitest';
import { isExpired } from '../../../core/policy/expiry.js';

describe('isExpired', () => {
  it.each([
    ['2027-03-31', '2027-03-31T00:00:00Z', false],
    ['2027-03-31', '2027-03-31T23:59:59.999Z', false],
    ['2027-03-31', '2027-04-01T00:00:00Z', true],
    ['2027-03-31', '2027-04-01T01:00:00+02:00', false],
    ['2024-02-29', '2024-03-01T00:00:00Z', true],
    ['2026-12-31', '2026-06-01T00:00:00Z', false],
  ])('treats %s at %s as expired: %s', (expires, now, expected) => {
    expect(isExpired(expires, new Date(now))).toBe(expected);
  });
});
