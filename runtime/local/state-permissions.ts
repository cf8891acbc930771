import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_FILE } from '../../adapters/local/sqlite-database.js';

/**
 * Closes what the API guards to every user but the one who runs `drydock start`: the state database (pushes,
 * verdicts, builds, notifications, policy versions) with its WAL files, and the build logs and test reports.
 * Without this the API's tokens would be moot: a file open to all is read without asking the API.
 */
export async function restrictStateFiles(stateDir: string): Promise<void> {
  for (const name of [STATE_FILE, `${STATE_FILE}-wal`, `${STATE_FILE}-shm`]) {
    await chmod(join(stateDir, name), 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  for (const name of ['builds', 'reports']) {
    await mkdir(join(stateDir, name), { recursive: true, mode: 0o700 });
    await chmod(join(stateDir, name), 0o700);
  }
}
