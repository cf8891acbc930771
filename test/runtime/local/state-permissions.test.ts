import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStateDirectory } from '../../../adapters/local/sqlite-database.js';
import { restrictStateFiles } from '../../../runtime/local/state-permissions.js';
import { tempDir } from '../../helpers/temp-dir.js';

const nobodyReads = (path: string) => spawnSync('runuser', ['-u', 'nobody', '--', 'cat', path]).status === 0;

describe('restrictStateFiles', () => {
  it('closes the state database and the build logs to other users, who could read them before', async () => {
    const dir = tempDir('drydock-perms-');
    chmodSync(dir, 0o755);
    const db = openStateDirectory(dir);
    db.close();
    mkdirSync(join(dir, 'builds'), { mode: 0o755 });
    chmodSync(join(dir, 'builds'), 0o755);
    writeFileSync(join(dir, 'builds', 'build-1.log'), 'STEP 1/2: FROM busybox\n', { mode: 0o644 });
    chmodSync(join(dir, 'state.db'), 0o644);
    // As a state dir is left with the usual umask: anyone reads the pushes and every build log.
    expect(nobodyReads(join(dir, 'state.db'))).toBe(true);
    expect(nobodyReads(join(dir, 'builds', 'build-1.log'))).toBe(true);

    await restrictStateFiles(dir);
    expect(nobodyReads(join(dir, 'state.db'))).toBe(false);
    expect(nobodyReads(join(dir, 'builds', 'build-1.log'))).toBe(false);
    expect(execFileSync('stat', ['-c', '%a', join(dir, 'reports')], { encoding: 'utf8' })).toBe('700\n');
  });
});
