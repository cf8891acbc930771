import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildContextError,
  GitBuildContext,
  tempBuildWorkspaces,
} from '../../../adapters/local/git-build-context.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let root: string;
let commit: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-ctx-test-'));
  const repo = await createBareRepository(join(root, 'repos'), 'team-a', ['true']);
  const work = join(root, 'work');
  mkdirSync(join(work, 'apps/hello/files'), { recursive: true });
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  writeFileSync(join(work, 'apps/hello/Dockerfile'), 'FROM scratch\nCOPY files/ /\n');
  writeFileSync(join(work, 'apps/hello/files/greeting.txt'), 'hello\n');
  writeFileSync(join(work, 'README.md'), 'docs\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'push', '--quiet', repo.remote, 'main');
  commit = git(work, 'rev-parse', 'HEAD');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('GitBuildContext', () => {
  it('exports the definition directory at the commit and nothing else', async () => {
    const workspace = await tempBuildWorkspaces(root)('build-1');
    await new GitBuildContext(join(root, 'repos')).export(
      'team-a',
      commit,
      'apps/hello',
      workspace.contextDir,
    );
    expect(readdirSync(workspace.contextDir).sort()).toEqual(['Dockerfile', 'files']);
    expect(readFileSync(join(workspace.contextDir, 'files/greeting.txt'), 'utf8')).toBe('hello\n');
    await workspace.release();
    expect(existsSync(workspace.contextDir)).toBe(false);
  });

  it('exports the whole tree for a definition at the repository root', async () => {
    const workspace = await tempBuildWorkspaces(root)('build-2');
    await new GitBuildContext(join(root, 'repos')).export('team-a', commit, '', workspace.contextDir);
    expect(readdirSync(workspace.contextDir).sort()).toEqual(['README.md', 'apps']);
    await workspace.release();
  });

  it('refuses an unknown repository, a traversing directory and a used destination', async () => {
    const context = new GitBuildContext(join(root, 'repos'));
    const dest = join(root, 'used');
    await expect(context.export('team-b', commit, 'apps/hello', dest)).rejects.toThrow(
      /no repository team-b/,
    );
    await expect(context.export('team-a', commit, '../x', dest)).rejects.toBeInstanceOf(BuildContextError);
    await expect(context.export('team-a', 'HEAD', 'apps/hello', dest)).rejects.toThrow(/invalid commit/);
    mkdirSync(dest);
    writeFileSync(join(dest, 'stale'), 'x');
    await expect(context.export('team-a', commit, 'apps/hello', dest)).rejects.toThrow(/not empty/);
  });
});
