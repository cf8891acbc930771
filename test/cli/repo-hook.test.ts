import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBareRepository } from '../../adapters/local/git-repositories.js';
import { openStateDirectory } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

// The hook runs the bundled CLI (built by `npm test` before vitest), as a real git push runs it.
describe('drydock repo create and the post-receive hook', () => {
  it('queues a Definition Pushed event for the definitions a real git push changed', async () => {
    const dir = tempDir('drydock-repo-');
    const state = join(dir, 'state');
    const created = await runCli(['repo', 'create', 'shop', '--state', state]);
    expect(created.code).toBe(0);
    const remote = created.stdout.trim().split('\n').at(-1)!;
    expect(remote).toBe(join(state, 'repos', 'shop.git'));
    expect(readFileSync(join(remote, 'hooks', 'post-receive'), 'utf8')).toMatch(
      /bin\/drydock-hook\.js'? --state \S+ --repo shop\n/,
    );

    const work = join(dir, 'work');
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    mkdirSync(join(work, 'api'));
    writeFileSync(join(work, 'api', 'Dockerfile'), 'FROM busybox:1.36\n');
    writeFileSync(join(work, 'README.md'), 'docs\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'first');
    git(work, 'remote', 'add', 'drydock', remote);
    // As from a service account or a container: no USER or LOGNAME; the hook names the account itself.
    const { USER: _user, LOGNAME: _logname, ...env } = process.env;
    const pushed = execFileSync('git', ['push', 'drydock', 'main'], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    void pushed;
    const after = git(work, 'rev-parse', 'HEAD').trim();

    const db = openStateDirectory(state);
    try {
      const events = await new SqliteEventLog(db).readAfter(0);
      expect(events.map((e) => e.event)).toEqual([
        expect.objectContaining({
          detailType: 'Definition Pushed',
          detail: expect.objectContaining({
            repository: 'shop',
            ref: 'refs/heads/main',
            after,
            pusher: userInfo().username,
            definitions: [{ path: 'api/Dockerfile', change: 'added' }],
          }),
        }),
      ]);
    } finally {
      db.close();
    }
  }, 60_000);

  it('records as pusher the account the hook runs as, whatever USER, LOGNAME or GL_USERNAME say', async () => {
    const dir = tempDir('drydock-repo-');
    chmodSync(dir, 0o755);
    const state = join(dir, 'state');
    expect((await runCli(['repo', 'create', 'shop', '--state', state])).code).toBe(0);
    const work = join(dir, 'work');
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    mkdirSync(join(work, 'api'));
    writeFileSync(join(work, 'api', 'Dockerfile'), 'FROM busybox:1.36\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'first');
    // Another local user who may push here (the repository and the state are theirs in this test).
    execFileSync('chown', ['-R', 'nobody', state, work]);
    execFileSync(
      'runuser',
      [
        '-u',
        'nobody',
        '--',
        'env',
        'USER=root',
        'LOGNAME=root',
        'GL_USERNAME=root',
        'git',
        'push',
        '--quiet',
        join(state, 'repos', 'shop.git'),
        'main',
      ],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const db = openStateDirectory(state);
    try {
      const events = await new SqliteEventLog(db).readAfter(0);
      expect(events.map((e) => (e.event.detail as { pusher: string }).pusher)).toEqual(['nobody']);
    } finally {
      db.close();
    }
  }, 60_000);

  it('queues every branch of a push when another ref of it cannot be read, and names that one', async () => {
    const dir = tempDir('drydock-repo-');
    const state = join(dir, 'state');
    const repo = await createBareRepository(join(state, 'repos'), 'shop', ['true']);
    const work = join(dir, 'work');
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    mkdirSync(join(work, 'api'));
    writeFileSync(join(work, 'api', 'Dockerfile'), 'FROM busybox:1.36\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'first');
    // A tag may name any object; one naming a blob has no tree to look for definitions in.
    git(work, 'tag', 'readme-blob', 'HEAD:api/Dockerfile');
    git(work, 'push', '--quiet', repo.remote, 'main', 'refs/tags/readme-blob');
    const after = git(work, 'rev-parse', 'HEAD').trim();
    const blob = git(work, 'rev-parse', 'readme-blob').trim();
    const zero = '0'.repeat(40);

    const r = await runCli(['hook', 'post-receive', '--repo', 'shop', '--state', state], {
      stdin: `${zero} ${blob} refs/tags/readme-blob\n${zero} ${after} refs/heads/main\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('refs/tags/readme-blob');
    const db = openStateDirectory(state);
    try {
      const events = await new SqliteEventLog(db).readAfter(0);
      expect(events.map((e) => e.event.detail)).toEqual([
        expect.objectContaining({ ref: 'refs/heads/main', after }),
      ]);
    } finally {
      db.close();
    }
  }, 60_000);

  it('refuses an unsafe name with exit 2', async () => {
    const r = await runCli(['repo', 'create', '../x', '--state', tempDir('drydock-repo-')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be lower-case');
  });
});
