import { describe, expect, it } from 'vitest';
import { familiarName, formatImageRef } from '../../../core/image-ref/format-image-ref.js';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';

const D = `sha256:${'c'.repeat(64)}`;

function ref(text: string) {
  const result = parseImageRef(text);
  if (!result.ok) throw new Error(result.error);
  return result.ref;
}

describe('formatImageRef', () => {
  it.each([
    ['node:20', 'docker.io/library/node:20'],
    ['node', 'docker.io/library/node:latest'],
    ['index.docker.io/bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['127.0.0.1:5000/base/busybox:1.0', '127.0.0.1:5000/base/busybox:1.0'],
    [`node@${D}`, `docker.io/library/node@${D}`],
    [`node:20@${D}`, `docker.io/library/node:20@${D}`],
    ['localhost:5000/x', 'localhost:5000/x:latest'],
  ])('formats %s as %s', (text, expected) => {
    expect(formatImageRef(ref(text))).toBe(expected);
  });

  it.each(['node:20', 'docker.io/library/debian:bookworm-slim', `127.0.0.1:5000/base/busybox:1.36@${D}`])(
    'round-trips %s through parse and format',
    (text) => {
      const formatted = formatImageRef(ref(text));
      expect(formatImageRef(ref(formatted))).toBe(formatted);
    },
  );
});

describe('familiarName', () => {
  it.each([
    ['docker.io/library/node:20', 'node:20'],
    ['node', 'node'],
    ['node:latest', 'node:latest'],
    ['docker.io/bitnami/redis:7', 'bitnami/redis:7'],
    ['docker.io/library/a/b:1', 'library/a/b:1'],
    ['127.0.0.1:5000/base/busybox:1.0', '127.0.0.1:5000/base/busybox:1.0'],
    ['localhost/library/x', 'localhost/library/x'],
    [`index.docker.io/library/node@${D}`, `node@${D}`],
  ])('shortens %s to %s', (text, expected) => {
    expect(familiarName(ref(text))).toBe(expected);
  });
});
