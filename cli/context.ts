import { readFileSync } from 'node:fs';

/** What a subcommand needs from the process, passed in so commands can be tested in-process. */
export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin: () => string;
  readonly cwd: string;
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
  /** The bundled CLI's own URL, so lint workers can start from it; absent when run from sources. */
  readonly workerUrl?: URL;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => readFileSync(0, 'utf8'),
    cwd: process.cwd(),
    isTty: Boolean(process.stdout.isTTY),
    env: process.env,
    now: () => new Date(),
  };
}

/** Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or I/O errors. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Thrown for a bad command line; main prints it with the usage hint and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
