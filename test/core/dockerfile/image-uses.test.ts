import { describe, expect, it } from 'vitest';
import { externalImages } from '../../../core/dockerfile/image-uses.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';

const uses = (text: string, buildArgs: Record<string, string> = {}) =>
  externalImages(parseDockerfile(text).model, buildArgs);

describe('externalImages', () => {
  it('lists FROM bases with positions and offsets of the written reference', () => {
    const text = 'FROM node:20 AS build\nRUN make\nFROM gcr.io/distroless/nodejs20\n';
    const { images } = uses(text);
    expect(images.map((i) => [i.text, i.kind, i.line, i.column])).toEqual([
      ['node:20', 'from', 1, 6],
      ['gcr.io/distroless/nodejs20', 'from', 3, 6],
    ]);
    expect(images.map((i) => text.slice(i.start, i.end))).toEqual(['node:20', 'gcr.io/distroless/nodejs20']);
  });

  it('skips stage references, stage indexes and scratch', () => {
    const text =
      'FROM golang:1.22 AS Build\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n';
    expect(uses(text).images.map((i) => i.text)).toEqual(['golang:1.22']);
  });

  it('includes COPY --from and RUN --mount=from external images', () => {
    const text =
      'FROM debian:12\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\nRUN --mount=type=bind,from=busybox:1.36,target=/bb ls /bb\n';
    const { images } = uses(text);
    expect(images.map((i) => [i.text, i.kind])).toEqual([
      ['debian:12', 'from'],
      ['nginx:1.25', 'copy-from'],
      ['busybox:1.36', 'mount-from'],
    ]);
    expect(images.map((i) => text.slice(i.start, i.end))).toEqual([
      'debian:12',
      'nginx:1.25',
      'busybox:1.36',
    ]);
  });

  it('resolves ARG defaults, supplied build args and ${VAR:-default}', () => {
    const text =
      'ARG BASE=node\nARG TAG=20\nARG REG\nFROM ${BASE}:${TAG}\nFROM ${REG:-docker.io}/library/python:3.12\n';
    expect(uses(text).images.map((i) => i.text)).toEqual(['node:20', 'docker.io/library/python:3.12']);
    expect(uses(text, { TAG: '22', REG: 'mirror.local' }).images.map((i) => i.text)).toEqual([
      'node:22',
      'mirror.local/library/python:3.12',
    ]);
  });

  it('reports an unresolvable base with the reason', () => {
    const { images, unresolved } = uses('ARG BASE\nFROM ${BASE}\nFROM $OTHER:1\n');
    expect(images).toEqual([]);
    expect(unresolved.map((u) => u.reason)).toEqual([
      expect.stringContaining('build arg BASE has no default and was not supplied'),
      expect.stringContaining('OTHER is not declared with ARG before the first FROM'),
    ]);
    expect(unresolved[0]?.loc).toEqual({ line: 2, column: 6 });
  });
});
