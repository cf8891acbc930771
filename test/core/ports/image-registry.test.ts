import { describe, expect, it } from 'vitest';
import { InvalidImageTargetError, splitRegistryReference } from '../../../core/ports/image-registry.js';

const HOST = '127.0.0.1:5000';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('splitRegistryReference', () => {
  it.each([
    [`${HOST}/apps/hello:1`, 'apps/hello', '1'],
    ['apps/hello:1', 'apps/hello', '1'],
    [`${HOST}/apps/hello`, 'apps/hello', 'latest'],
    [`${HOST}/apps/hello@${DIGEST}`, 'apps/hello', DIGEST],
    [`${HOST}/apps/hello:1@${DIGEST}`, 'apps/hello', DIGEST],
  ])('splits %s', (ref, repository, reference) => {
    expect(splitRegistryReference(ref, HOST)).toEqual({ repository, reference });
  });

  it.each([
    `${HOST}/apps/hello:-bad`,
    `${HOST}/apps/hello@sha256:short`,
    `${HOST}/Apps/Hello:1`,
    `${HOST}/apps//hello:1`,
    `127.0.0.1.evil.example:5000/apps/hello:1`,
    `${HOST}/${'a'.repeat(256)}:1`,
  ])('refuses %s', (ref) => {
    expect(() => splitRegistryReference(ref, HOST)).toThrow(InvalidImageTargetError);
  });
});
