import { describe, expect, it } from 'vitest';
import { dockerfileBases } from '../../../core/dockerfile/dockerfile-bases.js';

const D = `sha256:${'d'.repeat(64)}`;
const names = (text: string, args: Record<string, string> = {}) => {
  const found = dockerfileBases(text, 'Dockerfile', args);
  if (!found.ok) return found.problems;
  return { bases: found.bases.map((b) => b.name), final: found.final?.name ?? null };
};

describe('dockerfileBases', () => {
  it('lists FROM, COPY --from and RUN --mount=from images in order, normalised', () => {
    expect(
      names(
        [
          'FROM node:20 AS build',
          'COPY --from=alpine:3.20 /bin/sh /sh',
          'RUN --mount=type=bind,from=busybox,target=/b true',
          'FROM gcr.io/distroless/nodejs20',
          'COPY --from=build /app /app',
          '',
        ].join('\n'),
      ),
    ).toEqual({
      bases: [
        'docker.io/library/node:20',
        'docker.io/library/alpine:3.20',
        'docker.io/library/busybox:latest',
        'gcr.io/distroless/nodejs20:latest',
      ],
      final: 'gcr.io/distroless/nodejs20:latest',
    });
  });

  it('follows the final stage back through earlier stages', () => {
    expect(names('FROM node:20 AS base\nFROM base AS test\nFROM test\n')).toEqual({
      bases: ['docker.io/library/node:20'],
      final: 'docker.io/library/node:20',
    });
  });

  it('has no final base for scratch, even with external images before it', () => {
    expect(names('FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /x /x\n')).toEqual({
      bases: ['docker.io/library/golang:1.22'],
      final: null,
    });
  });

  it('resolves ARGs from their defaults and the build args, and drops a written digest from the name', () => {
    expect(names('ARG V=20\nFROM node:${V}\n', { V: '22' })).toMatchObject({
      final: 'docker.io/library/node:22',
    });
    const pinned = dockerfileBases(`FROM node:20@${D}\n`, 'Dockerfile');
    expect(pinned.ok && pinned.final).toMatchObject({
      name: 'docker.io/library/node:20',
      ref: { digest: D },
    });
  });

  it('names the line of what it cannot resolve', () => {
    expect(names('ARG BASE\nFROM alpine AS a\nFROM ${BASE}\n')).toEqual([
      'line 3: cannot resolve "${BASE}": build arg BASE has no default and was not supplied (pass --build-arg BASE=…)',
    ]);
    expect(names('FROM Alpine:3\n')).toEqual([expect.stringMatching(/^line 1: /)]);
    expect(names('ARG V=1\n')).toEqual(['Dockerfile has no FROM instruction']);
    expect(names('# nothing\n')).toEqual([
      'line 1: the file has no instructions; a Dockerfile needs at least FROM',
    ]);
  });
});
