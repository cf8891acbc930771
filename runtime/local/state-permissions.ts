import { chmod, lstat, mkdir, open, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { STATE_FILE } from '../../adapters/local/sqlite-database.js';
import { DrydockError } from '../../core/errors.js';

/**
 * Closes what the API guards to every user but the one who runs `drydock start`: the state database (pushes,
 * verdicts, builds, notifications, policy versions) with its WAL files, and the build logs and test reports.
 * Without this the API's tokens would be moot: a file open to all is read without asking the API.
 *
 * A missing state database is created here, 0600, before SQLite opens it: SQLite would create it with the
 * umask's mode (0644), and another user who opened it in the moment before a chmod keeps reading it through
 * that descriptor for good (a chmod does not close what is open). SQLite gives the WAL files the database's
 * mode, so they are never open to others either. Call it before the database is first opened, and again after.
 */
export async function restrictStateFiles(stateDir: string): Promise<void> {
  await open(join(stateDir, STATE_FILE), 'wx', 0o600).then(
    (file) => file.close(),
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
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

/** The state directory, or a directory above it, is another user's to change; nothing in it can be trusted. */
export class StateDirExposedError extends DrydockError {
  override readonly name = 'StateDirExposedError';

  constructor(message: string) {
    super(message, { code: 'STATE_DIR_EXPOSED' });
  }
}

/**
 * Refuses a state directory another user could change, before anything in it is read or written: one owned by
 * another user or writable by group or others, or under a directory that is (except a sticky one such as
 * /tmp, where others cannot move what is not theirs). Whoever can write there can replace policy.yaml, plant a
 * repository whose hooks root runs, or swap the directory for one of their own before `drydock start` runs.
 */
export async function assertStateDirTrusted(stateDir: string): Promise<void> {
  const me = process.getuid?.();
  if (me === undefined) return;
  const info = await lstat(await realpath(stateDir));
  if (!info.isDirectory()) throw new StateDirExposedError(`${stateDir} is not a directory`);
  if (info.uid !== me || (info.mode & 0o022) !== 0) {
    throw new StateDirExposedError(
      `${stateDir} is ${info.uid === me ? `writable by ${(info.mode & 0o002) !== 0 ? 'every user' : 'its group'}` : `owned by uid ${info.uid}`}: whoever can write there can change the policy, the repositories' hooks and the pipeline's files. Use a directory only uid ${me} can write (chown ${me} ${stateDir} && chmod go-w ${stateDir}, after checking what is in it)`,
    );
  }
  // The path as given and the path it resolves to: a symlink above the state directory is only as safe as the
  // directories holding it and the directories it leads to.
  for (const path of new Set([stateDir, await realpath(stateDir)])) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const above = await lstat(dir);
      const othersOwn = above.uid !== me && above.uid !== 0;
      // A symlink's own mode means nothing; who may replace it is its directory's matter, checked next.
      const othersWrite =
        !above.isSymbolicLink() && (above.mode & 0o022) !== 0 && (above.mode & 0o1000) === 0;
      if (othersOwn || othersWrite) {
        throw new StateDirExposedError(
          `${stateDir} is inside ${dir}, which ${othersOwn ? `uid ${above.uid} owns` : 'other users may write'}: they can move the state directory aside and put one of their own in its place. Keep the state directory under directories only root or uid ${me} can write`,
        );
      }
      if (dir === dirname(dir)) break;
    }
  }
}
