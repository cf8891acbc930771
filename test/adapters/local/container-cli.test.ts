import { describe, expect, it } from 'vitest';
import { ContainerCli, repoDigestOf } from '../../../adapters/local/container-cli.js';
import { ToolMissingError } from '../../../core/errors.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('repoDigestOf', () => {
  it("matches Docker's short names and podman's full ones to the repository", () => {
    expect(repoDigestOf({ Id: 'x', RepoDigests: [`node@${A}`] }, 'docker.io/library/node')).toBe(A);
    expect(
      repoDigestOf({ Id: 'x', RepoDigests: [`docker.io/library/node@${A}`] }, 'docker.io/library/node'),
    ).toBe(A);
    expect(
      repoDigestOf({ Id: 'x', RepoDigests: [`other/node@${A}`] }, 'docker.io/library/node'),
    ).toBeUndefined();
    expect(repoDigestOf({ Id: 'x', RepoDigests: null }, 'docker.io/library/node')).toBeUndefined();
  });

  it("prefers the index digest over podman's platform manifest digest", () => {
    const image = { Id: 'x', Digest: A, RepoDigests: [`r.example/app@${A}`, `r.example/app@${B}`] };
    expect(repoDigestOf(image, 'r.example/app')).toBe(B);
  });
});

describe('ContainerCli', () => {
  it('names the Debian package of the engine it cannot start', async () => {
    for (const [engine, pkg] of [
      ['docker', 'docker.io'],
      ['podman', 'podman'],
    ] as const) {
      const cli = new ContainerCli({ engine, binary: `/nonexistent/${engine}` });
      const error = await cli.run(['version'], 5_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolMissingError);
      expect((error as Error).message).toContain(`install the Debian package "${pkg}"`);
      const streamed = await cli.stream(['cp', 'c:/x', '-'], 5_000, () => true).catch((e: unknown) => e);
      expect(streamed).toBeInstanceOf(ToolMissingError);
    }
  });

  it('stops a stream once the consumer has what it needs', async () => {
    const cli = new ContainerCli({ engine: 'podman', binary: 'sh' });
    const started = Date.now();
    let seen = '';
    const result = await cli.stream(['-c', 'echo first; sleep 20; echo never'], 10_000, (chunk) => {
      seen += chunk.toString();
      return seen.includes('first');
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ stopped: true, timedOut: false });
    expect(seen).toBe('first\n');
  });

  it('stops a stream at its time limit', async () => {
    const cli = new ContainerCli({ engine: 'podman', binary: 'sh' });
    const result = await cli.stream(['-c', 'echo oops >&2; sleep 20'], 300, () => false);
    expect(result).toMatchObject({ timedOut: true, stopped: false, stderr: 'oops\n' });
  });
});
