import {
  closeSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { BuildLog } from '../../core/pipeline/build-step.js';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The most a build's log file may hold unless told otherwise: 32 MiB. */
export const DEFAULT_MAX_LOG_BYTES = 32 * 1024 * 1024;

export interface FileBuildLogsOptions {
  /**
   * Bytes a log file may grow to (counting what a restarted build's earlier attempt wrote). Past it one line
   * says so and later lines are dropped: a build that prints without end cannot fill the disk. The build's
   * failure event keeps its own copy of the last lines.
   */
  readonly maxBytes?: number;
}

/** Build logs as files `<stateDir>/builds/<buildId>.log`, appended to, one line per write. */
export class FileBuildLogs {
  readonly #dir: string;
  readonly #maxBytes: number;

  constructor(stateDir: string, options: FileBuildLogsOptions = {}) {
    this.#dir = join(resolve(stateDir), 'builds');
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
  }

  /** The log file of a build; a build id that is not a plain file name is refused. */
  pathOf(buildId: string): string {
    if (!SAFE_ID.test(buildId) || buildId.includes('..')) {
      throw new DrydockError(`build id ${JSON.stringify(buildId)} cannot name a log file`, {
        code: 'BUILD_ID_INVALID',
      });
    }
    return join(this.#dir, `${buildId}.log`);
  }

  /** Opens the log of a build for appending; a restarted build continues the same file. */
  open(buildId: string): BuildLog {
    const path = this.pathOf(buildId);
    mkdirSync(this.#dir, { recursive: true });
    const maxBytes = this.#maxBytes;
    const marker = `[drydock] build log limit of ${maxBytes} bytes reached: later output is not kept here\n`;
    // Room is kept for the marker, so the file never grows past maxBytes.
    const budget = Math.max(0, maxBytes - Buffer.byteLength(marker));
    let size = sizeOf(path);
    let full = size >= budget;
    // A reopened log that is already full says so once more only if it does not end with the marker yet.
    let marked = full && endsWith(path, size, marker);
    let stream: WriteStream | undefined;
    let failure: Error | undefined;
    const closed = { value: false };
    const append = (text: string) => {
      stream ??= createWriteStream(path, { flags: 'a' }).on('error', (error) => {
        failure = error;
      });
      stream.write(text);
      size += Buffer.byteLength(text);
    };
    return {
      path,
      write(line: string) {
        if (closed.value) return;
        // A line with its own newlines would read back as several; keep the one-write-one-line promise.
        const text = `${line.replace(/\r?\n/g, '\\n')}\n`;
        if (!full && size + Buffer.byteLength(text) > budget) full = true;
        if (full) {
          if (!marked) append(marker);
          marked = true;
          return;
        }
        append(text);
      },
      async close() {
        if (closed.value) return;
        closed.value = true;
        if (stream) await new Promise<void>((done) => stream!.end(done));
        if (failure) {
          throw new DrydockError(`cannot write build log ${path}: ${failure.message}`, {
            code: 'BUILD_LOG_FAILED',
            retryable: true,
            cause: failure,
          });
        }
      },
    };
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function endsWith(path: string, size: number, text: string): boolean {
  const want = Buffer.from(text);
  if (size < want.length) return false;
  const fd = openSync(path, 'r');
  try {
    const got = Buffer.alloc(want.length);
    readSync(fd, got, 0, want.length, size - want.length);
    return got.equals(want);
  } finally {
    closeSync(fd);
  }
}
