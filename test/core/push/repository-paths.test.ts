import { describe, expect, it } from 'vitest';
import { isProjectPath, isSafePath } from '../../../core/push/repository-paths.js';

describe('isSafePath', () => {
  it.each(['Dockerfile', 'api/Dockerfile', 'a/b/c.txt', '.drydock.yaml'])('accepts %s', (path) =>
    expect(isSafePath(path)).toBe(true),
  );
  it.each([
    '',
    '/etc/passwd',
    'a//b',
    './Dockerfile',
    '../x',
    'a/../../x',
    'a\\b',
    'a/\nb',
    'a\u0000b',
    'a\u007fb',
    'x'.repeat(1025),
  ])('refuses %j', (path) => expect(isSafePath(path)).toBe(false));
});

describe('isProjectPath', () => {
  it.each(['acme/payments', 'group/sub/project', 'a_b/c.d-e'])('accepts %s', (p) =>
    expect(isProjectPath(p)).toBe(true),
  );
  it.each(['acme', 'acme/', '/acme/x', 'acme/../x', 'acme/.hidden', 'acme/repo.git', 'acme/x y'])(
    'refuses %j',
    (p) => expect(isProjectPath(p)).toBe(false),
  );
});
