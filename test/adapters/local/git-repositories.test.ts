import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createBareRepository,
  definitionsChanged,
  exportDirectory,
  parseRefUpdates,
  readFileAt,
} from '../../../adapters/local/git-repositories.js';
import { tempDir } from '../../helpers/temp-dir.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

describe('local git repositories', () => {
  it('creates a bare repository whose post-receive hook receives the ref updates of a real push', async () => {
    const root = tempDir('drydock-git-');
    const seen = join(root, 'hook-stdin.txt');
    const repo = await createBareRepository(join(root, 'repos'), 'payments', [
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(seen)}, require('fs').readFileSync(0))`,
    ]);
    const work = join(root, 'work');
    mkdirSync(join(work, 'api'), { recursive: true });
    git(root, 'init', '--quiet', '--initial-branch=main', work);
    writeFileSync(join(work, 'api/Dockerfile'), 'FROM busybox:1.36\n');
    writeFileSync(join(work, 'README.md'), 'docs\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'first');
    git(work, 'remote', 'add', 'origin', repo.remote);
    git(work, 'push', '--quiet', 'origin', 'main');

    const updates = parseRefUpdates(readFileSync(seen, 'utf8'));
    expect(updates).toEqual([
      { before: '0'.repeat(40), after: expect.stringMatching(/^[0-9a-f]{40}$/), ref: 'refs/heads/main' },
    ]);
    expect(await definitionsChanged(repo.path, updates[0]!)).toEqual([
      { path: 'api/Dockerfile', change: 'added' },
    ]);
    expect(await readFileAt(repo.path, updates[0]!.after, 'api/Dockerfile')).toBe('FROM busybox:1.36\n');

    writeFileSync(join(work, 'api/server.js'), 'console.log(1)\n');
    writeFileSync(join(work, 'README.md'), 'more docs\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'second');
    git(work, 'push', '--quiet', 'origin', 'main');
    const [second] = parseRefUpdates(readFileSync(seen, 'utf8'));
    expect(await definitionsChanged(repo.path, second!)).toEqual([
      { path: 'api/Dockerfile', change: 'modified' },
    ]);

    const context = join(root, 'ctx');
    await exportDirectory(repo.path, second!.after, 'api', context);
    expect(readFileSync(join(context, 'server.js'), 'utf8')).toBe('console.log(1)\n');
    expect(readFileSync(join(context, 'Dockerfile'), 'utf8')).toBe('FROM busybox:1.36\n');
  });

  it('refuses unsafe names and existing repositories', async () => {
    const root = tempDir('drydock-git-');
    await expect(createBareRepository(root, '../escape', ['true'])).rejects.toThrow(/must be lower-case/);
    await createBareRepository(root, 'web', ['true']);
    await expect(createBareRepository(root, 'web', ['true'])).rejects.toThrow(/already exists/);
  });

  it('rejects malformed hook input, naming the line', () => {
    expect(() => parseRefUpdates(`${'a'.repeat(40)} ${'b'.repeat(40)} refs/heads/main\nnonsense\n`)).toThrow(
      /line 2 is not/,
    );
  });
});
