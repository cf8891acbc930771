import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerCli } from '../../../adapters/local/container-cli.js';
import {
  ContainerCliImageRegistry,
  parseDockerPushDigest,
} from '../../../adapters/local/container-cli-image-registry.js';
import {
  InvalidImageTargetError,
  RegistryUnauthorizedError,
  RegistryUnavailableError,
} from '../../../core/ports/image-registry.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('parseDockerPushDigest', () => {
  it("reads the digest of docker push's line for the tag", () => {
    const out = [
      'The push refers to repository [123.dkr.ecr.eu-west-1.amazonaws.com/drydock/apps/shop/hello]',
      '5f70bf18a086: Pushed',
      `0123456789ab: digest: ${D1} size: 528`,
      '',
    ].join('\n');
    expect(parseDockerPushDigest(out, '0123456789ab')).toBe(D1);
  });

  it('takes only the line of the pushed tag, and none when there is no such line', () => {
    const out = `other: digest: ${D2} size: 1\r\nmine: digest: ${D1} size: 2\r\n`;
    expect(parseDockerPushDigest(out, 'mine')).toBe(D1);
    expect(parseDockerPushDigest(out, 'absent')).toBeUndefined();
    expect(parseDockerPushDigest('', 'mine')).toBeUndefined();
  });

  it('refuses a look-alike: a short digest, extra text, another algorithm', () => {
    expect(parseDockerPushDigest(`mine: digest: sha256:abc size: 1`, 'mine')).toBeUndefined();
    expect(parseDockerPushDigest(`mine: digest: ${D1} size: 1 extra`, 'mine')).toBeUndefined();
    expect(parseDockerPushDigest(`mine: digest: sha512:${'1'.repeat(128)} size: 1`, 'mine')).toBeUndefined();
  });
});

describe('ContainerCliImageRegistry', () => {
  const registry = (prefix?: string) =>
    new ContainerCliImageRegistry({
      cli: new ContainerCli({ engine: 'docker', binary: '/nonexistent/docker' }),
      host: '127.0.0.1:1',
      ...(prefix ? { repositoryPrefix: prefix } : {}),
    });

  it("refuses another registry's references and invalid targets before running the engine", async () => {
    await expect(registry().inspect('docker.io/library/busybox:1')).rejects.toThrow(InvalidImageTargetError);
    await expect(registry().push('local', { repository: 'apps/Shop', tag: '1' })).rejects.toThrow(
      'invalid repository "apps/Shop"',
    );
    await expect(registry().push('local', { repository: 'apps/shop', tag: '-x' })).rejects.toThrow(
      'invalid tag "-x"',
    );
    expect(() => registry('../up')).toThrow('invalid repository prefix');
  });

  it('names the missing engine', async () => {
    await expect(registry('drydock').inspect('apps/shop:1')).rejects.toThrow('/nonexistent/docker');
    expect(RegistryUnavailableError).toBeDefined();
  });
});

// A stand-in for the docker command line: records its argv, answers as Docker does (the exit status and output
// chosen by the test through files), so the arguments and Docker's output formats are checked without a daemon.
describe('ContainerCliImageRegistry over a recorded docker command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-fake-docker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const binary = join(dir, 'docker');
  writeFileSync(
    binary,
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> ${JSON.stringify(join(dir, 'argv'))}`,
      `case "$1" in`,
      `  push) printf 'abc: digest: ${D1} size: 528\\n'; exit 0 ;;`,
      `  pull) cat ${JSON.stringify(join(dir, 'pull.err'))} >&2; exit $(cat ${JSON.stringify(join(dir, 'pull.rc'))}) ;;`,
      `  image) printf '[{"Id":"sha256:${'c'.repeat(64)}","Created":"2026-12-08T00:00:00Z","RepoDigests":["h.example/drydock/apps/shop@${D2}","h.example/other/x@sha256:${'3'.repeat(64)}"],"Config":{"Labels":{"a":"b"}}}]' ;;`,
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(binary, 0o755);
  const registry = new ContainerCliImageRegistry({
    cli: new ContainerCli({ engine: 'docker', binary }),
    host: 'h.example',
    repositoryPrefix: 'drydock',
  });
  const argv = () =>
    readFileSync(join(dir, 'argv'), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  const pullAnswers = (rc: number, stderr: string) => {
    writeFileSync(join(dir, 'pull.rc'), String(rc));
    writeFileSync(join(dir, 'pull.err'), stderr);
    writeFileSync(join(dir, 'argv'), '');
  };

  it('names its namespace, and has none without a prefix', () => {
    expect(registry.namespace).toBe('drydock');
    expect(
      new ContainerCliImageRegistry({
        cli: new ContainerCli({ engine: 'docker', binary }),
        host: 'h.example',
      }).namespace,
    ).toBeUndefined();
  });

  it('tags and pushes the repository it is given, under the namespace, and takes the digest from the push', async () => {
    writeFileSync(join(dir, 'argv'), '');
    const pushed = await registry.push('localhost/drydock-build/b1:latest', {
      repository: 'drydock/apps/shop',
      tag: 'abc',
    });
    expect(pushed).toEqual({ ref: 'h.example/drydock/apps/shop:abc', digest: D1 });
    expect(argv()).toEqual([
      'tag localhost/drydock-build/b1:latest h.example/drydock/apps/shop:abc',
      'push h.example/drydock/apps/shop:abc',
    ]);
  });

  it('refuses to push outside its namespace rather than move the image into it', async () => {
    writeFileSync(join(dir, 'argv'), '');
    for (const repository of ['apps/shop', 'drydockx/apps/shop', 'drydock']) {
      await expect(
        registry.push('localhost/drydock-build/b1:latest', { repository, tag: 'abc' }),
      ).rejects.toThrow(`not under the namespace "drydock"`);
    }
    expect(argv()).toEqual([]);
  });

  it('inspects the reference as written, inside the namespace or not, with the digest the pull recorded', async () => {
    pullAnswers(0, '');
    // The base the gate judged is this very image: it is not read from under the namespace instead.
    expect(await registry.inspect('h.example/other/x:1')).toEqual({
      digest: `sha256:${'3'.repeat(64)}`,
      configDigest: `sha256:${'c'.repeat(64)}`,
      labels: { a: 'b' },
      created: '2026-12-08T00:00:00Z',
    });
    expect(argv()).toEqual(['pull --quiet h.example/other/x:1', 'image inspect -- h.example/other/x:1']);
    pullAnswers(0, '');
    expect(await registry.inspect('drydock/apps/shop:abc')).toMatchObject({ digest: D2 });
    expect(argv()[0]).toBe('pull --quiet h.example/drydock/apps/shop:abc');
    pullAnswers(0, '');
    // A pull that left no digest of the repository cannot be pinned: refused, not guessed.
    await expect(registry.inspect('h.example/apps/shop:abc')).rejects.toThrow('recorded no digest');
    expect(argv()[0]).toBe('pull --quiet h.example/apps/shop:abc');
  });

  it("still refuses another registry's references, look-alike hosts included", async () => {
    writeFileSync(join(dir, 'argv'), '');
    for (const ref of [
      'docker.io/library/busybox:1',
      'h.example.evil.test/drydock/apps/shop:abc',
      'h.example:443/drydock/apps/shop:abc',
      'localhost/drydock/apps/shop:abc',
    ]) {
      await expect(registry.inspect(ref)).rejects.toThrow(InvalidImageTargetError);
    }
    expect(argv()).toEqual([]);
  });

  it('tells a missing image from a refused login and an unreachable registry', async () => {
    pullAnswers(
      1,
      'Error response from daemon: manifest for h.example/drydock/apps/shop:x not found: manifest unknown',
    );
    expect(await registry.inspect('drydock/apps/shop:x')).toBeUndefined();
    pullAnswers(1, 'Error response from daemon: Head "https://h.example/v2/": no basic auth credentials');
    await expect(registry.inspect('apps/shop:x')).rejects.toThrow(RegistryUnauthorizedError);
    pullAnswers(
      1,
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    await expect(registry.inspect('apps/shop:x')).rejects.toThrow(RegistryUnavailableError);
  });
});
