import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { ephemeralMountTargets } from '../../../core/lint/run-mounts.js';

const targetsOf = (run: string) => {
  const inst = parseDockerfile(`FROM debian:12\n${run}`).model.instructions[1]!;
  return ephemeralMountTargets(inst);
};

describe('ephemeralMountTargets', () => {
  it('lists cache and tmpfs targets without trailing slashes', () => {
    expect(
      targetsOf('RUN --mount=type=cache,target=/var/cache/apt/ --mount=type=tmpfs,dst=/tmp/x apt-get update'),
    ).toEqual(['/var/cache/apt', '/tmp/x']);
  });

  it('reads quoted fields and the destination alias', () => {
    expect(
      targetsOf('RUN --mount=type=cache,id=pip,"destination=/root/.cache/pip" pip install a==1'),
    ).toEqual(['/root/.cache/pip']);
  });

  it('ignores bind and secret mounts, which keep nothing out of the layer', () => {
    expect(
      targetsOf('RUN --mount=target=/src --mount=type=secret,id=npm,target=/root/.npmrc --network=none make'),
    ).toEqual([]);
  });
});
