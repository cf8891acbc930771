import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitDefinitionSource } from '../../../adapters/local/git-definition-source.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { CONTEXT_LIMITS } from '../../../core/lint/copied-files.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let root: string;
let commit: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-defsrc-test-'));
  const repo = await createBareRepository(join(root, 'repos'), 'team-a', ['true']);
  const work = join(root, 'work');
  mkdirSync(join(work, 'apps/web/etc/ssh'), { recursive: true });
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  writeFileSync(join(work, 'apps/web/Dockerfile'), 'FROM debian:12\nCOPY etc /etc\n');
  writeFileSync(join(work, 'apps/web/etc/ssh/sshd_config'), 'PermitRootLogin yes\n');
  writeFileSync(join(work, 'apps/web/etc/big.conf'), 'x'.repeat(CONTEXT_LIMITS.maxBytes + 1));
  writeFileSync(join(work, 'apps/web/etc/blob.conf'), Buffer.from([1, 0, 2]));
  // A link in the tree is copied as a link: its target is not the file's content.
  symlinkSync('/etc/shadow', join(work, 'apps/web/etc/shadow'));
  writeFileSync(join(work, 'sshd_config'), 'outside the context\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'push', '--quiet', repo.remote, 'main');
  commit = git(work, 'rev-parse', 'HEAD');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('GitDefinitionSource.contextFiles', () => {
  it("lists the definition's directory only, and reads the picked text files within the limit", async () => {
    const source = new GitDefinitionSource(join(root, 'repos'));
    let listed: readonly string[] = [];
    const files = await source.contextFiles('team-a', commit, 'apps/web/Dockerfile', (listing) => {
      listed = listing;
      return listing;
    });
    expect([...listed].sort()).toEqual([
      'Dockerfile',
      'etc/big.conf',
      'etc/blob.conf',
      'etc/ssh/sshd_config',
    ]);
    expect([...files.keys()].sort()).toEqual(['Dockerfile', 'etc/ssh/sshd_config']);
    expect(files.get('etc/ssh/sshd_config')).toBe('PermitRootLogin yes\n');
  });

  it('reads only what pick chose', async () => {
    const source = new GitDefinitionSource(join(root, 'repos'));
    const files = await source.contextFiles('team-a', commit, 'apps/web/Dockerfile', () => [
      'etc/ssh/sshd_config',
    ]);
    expect([...files.keys()]).toEqual(['etc/ssh/sshd_config']);
  });
});
