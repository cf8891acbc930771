import { describe, expect, it } from 'vitest';
import { tagSatisfies, tagVersion } from '../../../core/policy/tag-version.js';

describe('tagVersion', () => {
  it.each([
    ['1.36', '1.36.0'],
    ['1.36-musl', '1.36.0'],
    ['1.36.1-glibc', '1.36.1'],
    ['20', '20.0.0'],
    ['20-bookworm-slim', '20.0.0'],
    ['20.11.1-alpine3.19', '20.11.1'],
    ['3.12_slim', '3.12.0'],
    ['v1.2', '1.2.0'],
    ['20.04', '20.4.0'],
    ['22-alpha-numeric-free-variant', undefined],
    ['bookworm', undefined],
    ['latest', undefined],
    ['3.13.0rc1', undefined],
    ['2.0-rc1', undefined],
    ['2.0-beta.2', undefined],
    ['1.2.3.4', undefined],
    ['1.36musl', undefined],
  ])('reads %s as %s', (tag, expected) => {
    expect(tagVersion(tag)).toBe(expected);
  });
});

describe('tagSatisfies', () => {
  it.each([
    ['1.36-musl', '>=1.36 <2', true],
    ['1.35.9', '>=1.36 <2', false],
    ['2.0', '>=1.36 <2', false],
    ['3.12-slim-bookworm', '3.12.x', true],
    ['3.13-slim', '3.12.x', false],
    ['bookworm', '*', false],
    ['1.37.0-rc1', '>=1.36 <2', false],
  ])('checks %s against %s: %s', (tag, range, expected) => {
    expect(tagSatisfies(tag, range)).toBe(expected);
  });
});
