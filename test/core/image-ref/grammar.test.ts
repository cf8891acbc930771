import { describe, expect, it } from 'vitest';
import {
  registryProblem,
  splitReference,
  splitRegistry,
  tagProblem,
} from '../../../core/image-ref/grammar.js';

describe('splitReference', () => {
  it.each([
    ['node', { name: 'node', tag: undefined, digest: undefined }],
    ['localhost:5000/x:1', { name: 'localhost:5000/x', tag: '1', digest: undefined }],
    ['x:1@sha256:ab', { name: 'x', tag: '1', digest: 'sha256:ab' }],
    ['host:5000/x@sha256:ab', { name: 'host:5000/x', tag: undefined, digest: 'sha256:ab' }],
  ])('splits %s', (text, expected) => {
    expect(splitReference(text)).toMatchObject(expected);
  });
});

describe('splitRegistry', () => {
  it.each([
    ['node', 'docker.io', 'library/node', undefined],
    ['bitnami/redis', 'docker.io', 'bitnami/redis', undefined],
    ['index.docker.io/node', 'docker.io', 'library/node', 'index.docker.io'],
    ['docker.io/x/y', 'docker.io', 'x/y', 'docker.io'],
    ['localhost/x', 'localhost', 'x', 'localhost'],
    ['host:5000/x', 'host:5000', 'x', 'host:5000'],
    ['Upper/x', 'Upper', 'x', 'Upper'],
    ['quay.io/a/b', 'quay.io', 'a/b', 'quay.io'],
  ])('splits %s into %s and %s', (name, registry, repository, written) => {
    expect(splitRegistry(name)).toMatchObject({ registry, repository, written });
  });
});

describe('registryProblem', () => {
  it.each(['docker.io', '127.0.0.1:5000', 'localhost', '[::1]:5000', 'a-b.example.com'])(
    'accepts %s',
    (host) => {
      expect(registryProblem(host)).toBeUndefined();
    },
  );

  it.each([
    ['a_b.com', 'invalid registry host'],
    ['a.-b.com', 'invalid registry host'],
    ['a..com', 'invalid registry host'],
    ['host:', 'invalid port ""'],
    ['host:5x', 'invalid port "5x"'],
    ['[::g]', 'invalid IPv6'],
  ])('rejects %s', (host, problem) => {
    expect(registryProblem(host)).toContain(problem);
  });
});

describe('tagProblem', () => {
  it.each(['20', 'latest', '_x', '1.36-musl', 'A.b-C_d'])('accepts %s', (tag) => {
    expect(tagProblem(tag)).toBeUndefined();
  });

  it.each([
    ['', 0],
    ['.x', 0],
    ['a/b', 1],
    ['1:2', 1],
  ])('rejects %j at offset %i', (tag, at) => {
    expect(tagProblem(tag)?.at).toBe(at);
  });
});
