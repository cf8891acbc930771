/** A container running on a host of the fleet (an ECS task's container on AWS; a labelled podman container locally). */
export interface RunningContainer {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  /** The reference it was started from, as written. */
  readonly image: string;
  /** Manifest digest of its image (`sha256:…`), when the runtime knows it. */
  readonly imageDigest?: string;
  /** Config digest of its image (the image ID), which every runtime knows. */
  readonly configDigest: string;
  readonly startedAt: string;
}

/** How one band-aid run in one container ended. */
export interface BandAidResult {
  /** The command's exit code; null when it was ended (time limit) or could not start. */
  readonly exitCode: number | null;
  /** The last lines of its stdout and stderr together, at most a few KiB. */
  readonly outputTail: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  /** Why the fleet ended it early for a reason other than its time limit (its output flooded), if it did. */
  readonly reason?: string;
}

/** The running containers and a way to run an approved command in one of them. */
export interface Fleet {
  /** Every running container of every host, in a stable order (host, then id). */
  running(): Promise<readonly RunningContainer[]>;
  /**
   * Runs `argv` (never a shell string) in the container, ended after `timeoutMs`. Resolves with the outcome
   * whatever the exit code; throws only when the fleet itself cannot be reached (retryable).
   */
  exec(
    container: RunningContainer,
    argv: readonly string[],
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<BandAidResult>;
}
