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
import { BuildContextInvalidError } from '../../../core/ports/build-context.js';

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
    // Faults of the event or the pipeline, not of the team's tree: none is told to the team as a failed build.
    await expect(context.export('team-a', commit, 'apps/hello', dest)).rejects.not.toBeInstanceOf(
      BuildContextInvalidError,
    );
    await expect(context.export('team-b', commit, 'apps/hello', dest)).rejects.toMatchObject({
      code: 'BUILD_CONTEXT_EXPORT_FAILED',
    });
  });
});

describe('GitBuildContext and a git bomb', () => {
  // A push of a few kilobytes: one 1 MiB blob of zeros, a tree naming it 10 times, a tree naming that tree 10 times,
  // and so on. Exported, three levels are 1000 MiB on disk (six would be a terabyte); the context limit was only
  // checked by the builder, after git archive and tar had written it all.
  function bomb(levels: number): string {
    const work = mkdtempSync(join(root, 'bomb-'));
    git(root, 'init', '--quiet', '--initial-branch=main', work);
    writeFileSync(join(work, 'zeros'), Buffer.alloc(1024 * 1024));
    const blob = git(work, 'hash-object', '-w', 'zeros');
    let entry = `100644 blob ${blob}`;
    for (let level = 0; level < levels; level++) {
      const listing = Array.from({ length: 10 }, (_, i) => `${entry}\tf${i}\n`).join('');
      const tree = execFileSync('git', ['mktree'], { cwd: work, input: listing, encoding: 'utf8' }).trim();
      entry = `040000 tree ${tree}`;
    }
    const dockerfile = execFileSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: work,
      input: 'FROM scratch\n',
      encoding: 'utf8',
    }).trim();
    const app = execFileSync('git', ['mktree'], {
      cwd: work,
      input: `100644 blob ${dockerfile}\tDockerfile\n${entry}\tbomb\n`,
      encoding: 'utf8',
    }).trim();
    const top = execFileSync('git', ['mktree'], {
      cwd: work,
      input: `040000 tree ${app}\tapp\n`,
      encoding: 'utf8',
    }).trim();
    const bombCommit = git(work, 'commit-tree', top, '-m', 'bomb');
    git(
      work,
      'push',
      '--quiet',
      join(root, 'repos', 'team-a.git'),
      `${bombCommit}:refs/heads/bomb-${levels}`,
    );
    return bombCommit;
  }

  it('refuses a tree larger than the context limit before writing any of it', async () => {
    const bombCommit = bomb(3);
    const workspace = await tempBuildWorkspaces(root)('bomb');
    const context = new GitBuildContext(join(root, 'repos'), { maxBytes: async () => 64 * 1024 * 1024 });
    const refused = context.export('team-a', bombCommit, 'app', workspace.contextDir);
    await expect(refused).rejects.toThrow(
      /^the tree of app at [0-9a-f]{12} is larger than the build context limit of 64 MiB \(build\.maxContextMiB\); nothing was exported$/,
    );
    // The team's tree: a Build Failed that says why, not a message for the dead-letter queue.
    await expect(refused).rejects.toBeInstanceOf(BuildContextInvalidError);
    expect(existsSync(workspace.contextDir) ? readdirSync(workspace.contextDir) : []).toEqual([]);
    await workspace.release();
  });

  it('exports a tree within the limit', async () => {
    const bombCommit = bomb(1);
    const workspace = await tempBuildWorkspaces(root)('small');
    const context = new GitBuildContext(join(root, 'repos'), { maxBytes: async () => 64 * 1024 * 1024 });
    await context.export('team-a', bombCommit, 'app', workspace.contextDir);
    expect(readdirSync(join(workspace.contextDir, 'bomb'))).toHaveLength(10);
    await workspace.release();
  });
});
