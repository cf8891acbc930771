import type { BuildLog } from '../../core/pipeline/build-step.js';

/**
 * Build logs in memory, one list of lines per build; a reopened log appends as a log file does, a line's own line
 * breaks are escaped (one write, one line), writes after `close` are dropped. `failCloseNext` makes the next close
 * throw, as a log that cannot be flushed does.
 */
export class FakeBuildLogs {
  readonly #lines = new Map<string, string[]>();
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  #closeFailure: Error | undefined;

  /** The `buildLogs` port. */
  readonly open = (buildId: string): BuildLog => {
    this.opened.push(buildId);
    let lines = this.#lines.get(buildId);
    if (!lines) {
      lines = [];
      this.#lines.set(buildId, lines);
    }
    const kept = lines;
    let done = false;
    return {
      path: this.pathOf(buildId),
      write: (line) => {
        if (!done) kept.push(line.replace(/\r?\n/g, '\\n'));
      },
      close: async () => {
        if (done) return;
        done = true;
        this.closed.push(buildId);
        const failure = this.#closeFailure;
        this.#closeFailure = undefined;
        if (failure) throw failure;
      },
    };
  };

  pathOf(buildId: string): string {
    return `memory://builds/${buildId}.log`;
  }

  /** Every line written to a build's log, in order. */
  lines(buildId: string): string[] {
    return [...(this.#lines.get(buildId) ?? [])];
  }

  failCloseNext(error: Error): void {
    this.#closeFailure = error;
  }
}
