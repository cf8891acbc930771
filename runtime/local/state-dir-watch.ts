import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Options of `watchStateDir`. */
export interface StateDirWatchOptions {
  /** Files inside the directory that must stay the same files (the state database). @default [] */
  readonly files?: readonly string[];
  /** How often to look. @default 1000 */
  readonly intervalMs?: number;
  /** Called once, with what happened, when the directory or one of the files is gone or replaced. */
  readonly onLost: (reason: string) => void;
}

/** A running watch; `stop` ends it. */
export interface StateDirWatch {
  stop(): void;
}

interface Identity {
  readonly dev: number;
  readonly ino: number;
}

async function identity(path: string): Promise<Identity | undefined> {
  try {
    const s = await stat(path);
    return { dev: s.dev, ino: s.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const same = (a: Identity | undefined, b: Identity): boolean => a?.dev === b.dev && a.ino === b.ino;

/**
 * Watches a state directory by its identity (device and inode, also of the files named): a directory deleted,
 * moved away or replaced by another of the same name, or a state database deleted or replaced, is reported once
 * through `onLost`. A daemon that kept going would write into files nobody can reach any more.
 */
export async function watchStateDir(dir: string, options: StateDirWatchOptions): Promise<StateDirWatch> {
  const files = options.files ?? [];
  const start = await identity(dir);
  if (!start) throw new Error(`${dir} does not exist`);
  const startFiles = await Promise.all(files.map((f) => identity(join(dir, f))));
  let stopped = false;
  let checking = false;
  const check = async (): Promise<void> => {
    if (stopped || checking) return;
    checking = true;
    try {
      const now = await identity(dir);
      let reason: string | undefined;
      if (!now) reason = `the state dir ${dir} was deleted or moved`;
      else if (!same(now, start)) reason = `the state dir ${dir} was replaced by another directory`;
      else {
        for (const [i, file] of files.entries()) {
          const was = startFiles[i];
          if (was && !same(await identity(join(dir, file)), was)) {
            reason = `${join(dir, file)} was deleted or replaced`;
            break;
          }
        }
      }
      if (reason && !stopped) {
        stopped = true;
        clearInterval(timer);
        options.onLost(reason);
      }
    } catch {
      // A stat that fails for another reason (EACCES, EIO) is not proof of loss: look again next time.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs ?? 1000);
  // The watch alone must not keep the process alive.
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
