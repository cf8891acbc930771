import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { BuildLog } from '../../core/pipeline/build-step.js';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Build logs as files `<stateDir>/builds/<buildId>.log`, appended to, one line per write. */
export class FileBuildLogs {
  readonly #dir: string;

  constructor(stateDir: string) {
    this.#dir = join(resolve(stateDir), 'builds');
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
    let stream: WriteStream | undefined;
    let failure: Error | undefined;
    const closed = { value: false };
    return {
      path,
      write(line: string) {
        if (closed.value) return;
        stream ??= createWriteStream(path, { flags: 'a' }).on('error', (error) => {
          failure = error;
        });
        // A line with its own newlines would read back as several; keep the one-write-one-line promise.
        stream.write(`${line.replace(/\r?\n/g, '\\n')}\n`);
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
