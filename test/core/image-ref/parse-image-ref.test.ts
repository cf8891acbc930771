import { describe, expect, it } from 'vitest';
import { quoteInput } from '../../../core/errors.js';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';

const H = 'a'.repeat(64);
const D = `sha256:${H}`;

type Fields = [
  registry: string,
  repository: string,
  tag: string | undefined,
  digest: string | undefined,
  implicit: boolean,
];

describe('parseImageRef', () => {
  it.each<[string, ...Fields]>([
    ['node', 'docker.io', 'library/node', 'latest', undefined, true],
    ['node:20', 'docker.io', 'library/node', '20', undefined, false],
    ['library/node:20', 'docker.io', 'library/node', '20', undefined, false],
    ['docker.io/node:20', 'docker.io', 'library/node', '20', undefined, false],
    ['docker.io/library/node:20', 'docker.io', 'library/node', '20', undefined, false],
    ['index.docker.io/library/node:20', 'docker.io', 'library/node', '20', undefined, false],
    ['index.docker.io/node', 'docker.io', 'library/node', 'latest', undefined, true],
    ['bitnami/redis:7.2', 'docker.io', 'bitnami/redis', '7.2', undefined, false],
    ['127.0.0.1:5000/base/busybox:1.0', '127.0.0.1:5000', 'base/busybox', '1.0', undefined, false],
    ['localhost:5000/x', 'localhost:5000', 'x', 'latest', undefined, true],
    ['localhost/x:1', 'localhost', 'x', '1', undefined, false],
    ['localhost:5000', 'docker.io', 'library/localhost', '5000', undefined, false],
    ['[::1]:5000/base/debian:bookworm', '[::1]:5000', 'base/debian', 'bookworm', undefined, false],
    ['registry.example.com/a/b/c:v1.2.3', 'registry.example.com', 'a/b/c', 'v1.2.3', undefined, false],
    ['Registry.Example.com/x', 'Registry.Example.com', 'x', 'latest', undefined, true],
    ['Foo/bar', 'Foo', 'bar', 'latest', undefined, true],
    [`node@${D}`, 'docker.io', 'library/node', undefined, D, false],
    [`node:20@${D}`, 'docker.io', 'library/node', '20', D, false],
    [`127.0.0.1:5000/base/busybox@${D}`, '127.0.0.1:5000', 'base/busybox', undefined, D, false],
    [`x@sha512:${'b'.repeat(128)}`, 'docker.io', 'library/x', undefined, `sha512:${'b'.repeat(128)}`, false],
    ['x/a.b_c__d---e:_x', 'docker.io', 'x/a.b_c__d---e', '_x', undefined, false],
    ['a.b/c', 'a.b', 'c', 'latest', undefined, true],
    [`node:${'t'.repeat(128)}`, 'docker.io', 'library/node', 't'.repeat(128), undefined, false],
    ['node:1.36-musl_x.Y', 'docker.io', 'library/node', '1.36-musl_x.Y', undefined, false],
  ])('parses %s', (text, registry, repository, tag, digest, implicitTag) => {
    const result = parseImageRef(text);
    expect(result).toEqual({
      ok: true,
      ref: { registry, repository, name: `${registry}/${repository}`, tag, digest, implicitTag },
    });
  });

  it.each<[string, number, string]>([
    ['', 1, 'the reference is empty'],
    ['node :20', 5, 'whitespace is not allowed'],
    [H, 1, 'image ID is not a reference'],
    ['Node:20', 1, 'repository name must be lowercase ("Node")'],
    ['docker.io/library/Node', 19, 'must be lowercase'],
    ['127.0.0.1:5000/Base/busybox', 16, 'must be lowercase'],
    ['node:', 6, 'empty tag'],
    ['node:-x', 6, 'must start with a letter, digit or "_"'],
    ['node:.x', 6, 'must start with a letter, digit or "_"'],
    ['node:a+b', 7, '"+" is not allowed in a tag'],
    [`node:${'t'.repeat(129)}`, 134, 'at most 128'],
    ['node@sha256:abc', 13, 'has 64 hex characters, not 3'],
    [`node@md5:${H}`, 6, 'unsupported digest algorithm "md5"'],
    [`node@sha256:${'A'.repeat(64)}`, 13, 'lower-case'],
    [`node@${H}`, 6, 'a digest is "<algorithm>:<hex>"'],
    [`node@${D}@${D}`, 77, 'at most one "@digest"'],
    [':20', 1, 'repository name is missing'],
    [`@${D}`, 1, 'repository name is missing'],
    ['a//b', 3, 'empty path component'],
    ['a/', 3, 'empty path component'],
    ['/a', 1, 'empty path component'],
    ['a/-b', 3, 'invalid path component "-b"'],
    ['a/b.', 3, 'invalid path component "b."'],
    ['a/b___c', 3, 'invalid path component "b___c"'],
    ['exa_mple.com/x', 1, 'invalid registry host "exa_mple.com"'],
    ['-bad.com/x', 1, 'invalid registry host'],
    ['host.com:http/x', 1, 'invalid port "http"'],
    ['[zz]:5000/x', 1, 'invalid IPv6 registry host'],
    [`r.io/${'a'.repeat(251)}`, 1, 'at most 255'],
  ])('rejects %j at position %i', (text, position, problem) => {
    const result = parseImageRef(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.position + 1).toBe(position);
    expect(result.problem).toContain(problem);
    expect(result.error).toBe(
      `invalid image reference ${quoteInput(text)} at position ${position}: ${result.problem}`,
    );
  });

  it('quotes a long reference cut to 80 characters with its length', () => {
    const text = `${'a'.repeat(2_097_152)}!`;
    expect(parseImageRef(text)).toMatchObject({
      ok: false,
      error: `invalid image reference "${'a'.repeat(80)}…" (2097153 characters) at position 1: invalid path component "${'a'.repeat(80)}…" (2097153 characters): lower-case letters and digits separated by ".", "_", "__" or "-"`,
    });
  });

  it('quotes a surrogate pair whole or not at all', () => {
    const text = `${'a'.repeat(79)}\u{1F600}${'b'.repeat(20)}`;
    expect(quoteInput(text)).toBe(`"${'a'.repeat(79)}…" (101 characters)`);
  });

  it('parses an adversarial 200k-character name in linear time', () => {
    const started = performance.now();
    for (const text of [`${'a-'.repeat(100_000)}!`, `${'a'.repeat(200_000)}!`, `${'a_'.repeat(100_000)}_`]) {
      expect(parseImageRef(text).ok).toBe(false);
    }
    // Linear takes ~30 ms here; a backtracking (quadratic or worse) grammar takes minutes on 200k characters, so
    // the bound separates the two by far more than any load on the machine does.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
