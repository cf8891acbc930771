/** What running one command in the container gave. */
export interface CommandObservation {
  /** Null when the command did not finish (timed out, killed). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command ran over its time limit and was stopped. */
  readonly timedOutAfterMs?: number;
}

/** A path's type and permission bits as `stat` reports them (following symbolic links), or why it could not be read. */
export type FileStat =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** The raw `st_mode`: file type and permission bits. */
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
    }
  | { readonly error: string };

/** A file's contents, or why they could not be read. */
export type FileRead =
  | { readonly exists: false }
  | { readonly exists: true; readonly content: string }
  | { readonly error: string };

/** The parts of an image configuration that metadata tests check. */
export interface ImageConfig {
  /** `KEY=value` entries. */
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Like `8080/tcp`. */
  readonly exposedPorts: readonly string[];
  readonly volumes: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workdir: string;
  readonly user: string;
}
