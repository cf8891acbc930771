import { spawn } from 'node:child_process';
import { DrydockError, ToolMissingError } from '../../core/errors.js';
import { formatImageRef, type ImageRef, parseImageRef } from '../../core/image-ref/index.js';
import type { ImageConfig } from '../../core/image-tests/observations.js';
import { USERNS_AUTO } from './buildah-build-service.js';
import { underParentDeathSignal } from './parent-death-signal.js';
import { runTool, type ToolResult } from './run-tool.js';

/** The container engines whose command line drydock drives with the same commands. */
export const CONTAINER_ENGINES = ['docker', 'podman'] as const;
export type ContainerEngine = (typeof CONTAINER_ENGINES)[number];

/** Options of `ContainerCli`. */
export interface ContainerCliOptions {
  readonly engine: ContainerEngine;
  /** Path or name of the engine's binary. @default the engine's name */
  readonly binary?: string;
  /** Environment added for the engine's processes (DOCKER_HOST, the CONTAINERS_* variables of podman). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The parts of `image inspect` drydock reads; the same fields in Docker's and podman's output. */
export interface InspectedImage {
  readonly Id: string;
  readonly RepoDigests?: readonly string[] | null;
  /** podman only: the digest of the image's own manifest (for a multi-platform pull, the platform's). */
  readonly Digest?: string;
  readonly Config?: {
    readonly Env?: readonly string[] | null;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
    readonly Volumes?: Readonly<Record<string, unknown>> | null;
    readonly Entrypoint?: readonly string[] | null;
    readonly Cmd?: readonly string[] | null;
    readonly WorkingDir?: string;
    readonly User?: string;
  } | null;
}

/** How a streamed engine command ended. */
export interface StreamResult {
  /** Null when the process was ended by a signal. */
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** True when the consumer had what it needed and the process was stopped early. */
  readonly stopped: boolean;
}

/** The engine ran but refused or failed a command (no daemon, no such image, a registry error). */
export class ContainerEngineError extends DrydockError {
  override readonly name = 'ContainerEngineError';

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { code: 'CONTAINER_ENGINE_FAILED', ...options });
  }
}

// The Debian package that installs each engine's command line.
const DEBIAN_PACKAGES: Readonly<Record<ContainerEngine, string>> = { docker: 'docker.io', podman: 'podman' };
const KILL_GRACE_MS = 2_000;
const STDERR_LIMIT = 64 * 1024;

/**
 * The command line of Docker or podman, limited to the commands and flags both share (`image inspect`, `pull`,
 * `run`, `create`, `cp`, `commit`, `kill`, `rm`, `ps`, `image rm`); every call has a time limit.
 */
export class ContainerCli {
  readonly engine: ContainerEngine;
  readonly binary: string;
  readonly #env: Readonly<Record<string, string>>;

  constructor(options: ContainerCliOptions) {
    this.engine = options.engine;
    this.binary = options.binary ?? options.engine;
    this.#env = Object.fromEntries(
      Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    );
  }

  /**
   * Whether `cp` from a container keeps each file's owner: Docker's archive does; podman's chowns every entry to
   * the container's user (podman issue 10801), so owners must be read another way there.
   */
  get copyKeepsOwners(): boolean {
    return this.engine === 'docker';
  }

  /**
   * The flags that give a test container its own user namespace: `--userns=auto` for podman (root inside is an
   * unprivileged uid from the containers range, see USERNS_AUTO); none for Docker, whose daemon maps users only when configured
   * to (`userns-remap`), never per container.
   */
  userNamespaceArgs(): string[] {
    return this.engine === 'podman' ? [USERNS_AUTO] : [];
  }

  /** Runs one engine command; throws `ToolMissingError` when the binary cannot be started. */
  run(args: readonly string[], timeoutMs: number, maxOutputBytes?: number): Promise<ToolResult> {
    return runTool({
      command: this.binary,
      args,
      env: this.#env,
      timeoutMs,
      debianPackage: DEBIAN_PACKAGES[this.engine],
      ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }),
    });
  }

  /** Runs a command and throws `ContainerEngineError` unless it exits 0; returns its stdout. */
  async check(args: readonly string[], timeoutMs: number): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.exitCode !== 0) throw this.failure(args, result);
    return result.stdout;
  }

  /** The error for a failed command: the engine's own last line of stderr, or the time-out. */
  failure(args: readonly string[], result: Pick<ToolResult, 'stderr' | 'timedOut'>): ContainerEngineError {
    const what = `${this.binary} ${args.slice(0, 2).join(' ')}`;
    return result.timedOut
      ? new ContainerEngineError(`${what} timed out`, { retryable: true })
      : new ContainerEngineError(`${what} failed: ${lastLine(result.stderr) || 'no message'}`);
  }

  /**
   * Runs a command whose stdout is a stream, handing each chunk to `onStdout`; once it returns true the stream
   * is closed and the process stopped. Throws `ToolMissingError` when the binary cannot be started.
   */
  stream(
    args: readonly string[],
    timeoutMs: number,
    onStdout: (chunk: Buffer) => boolean,
  ): Promise<StreamResult> {
    return new Promise((resolvePromise, reject) => {
      const env = { ...process.env, ...this.#env };
      // Under a parent-death signal, as runTool starts tools: the engine's client dies with drydock.
      const spawned = underParentDeathSignal(this.binary, args, env.PATH, DEBIAN_PACKAGES[this.engine]);
      if (!spawned.ok) {
        reject(spawned.error);
        return;
      }
      const child = spawn(spawned.command, spawned.args, {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stderr = '';
      let timedOut = false;
      let stopped = false;
      let killTimer: NodeJS.Timeout | undefined;
      const killGroup = (signal: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, signal);
        } catch {
          // Gone already.
        }
      };
      const stop = () => {
        child.stdout.destroy();
        killGroup('SIGTERM');
        killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        if (stopped) return;
        let done: boolean;
        try {
          done = onStdout(chunk);
        } catch (error) {
          // The consumer cannot use the stream: stop it, and let the consumer's error be the answer.
          stopped = true;
          stop();
          clearTimeout(timer);
          reject(error);
          return;
        }
        if (done) {
          stopped = true;
          stop();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < STDERR_LIMIT)
          stderr += chunk.toString('utf8').slice(0, STDERR_LIMIT - stderr.length);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        reject(
          error.code === 'ENOENT' || error.code === 'EACCES'
            ? new ToolMissingError(this.binary, DEBIAN_PACKAGES[this.engine], { cause: error })
            : new ContainerEngineError(`cannot run ${this.binary}: ${error.message}`, { cause: error }),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        resolvePromise({ exitCode: code, stderr, timedOut, stopped });
      });
    });
  }

  /** `image inspect` of one image; undefined when the engine has no such image. */
  async inspectImage(image: string, timeoutMs: number): Promise<InspectedImage | undefined> {
    const args = ['image', 'inspect', '--', image];
    const result = await this.run(args, timeoutMs);
    if (result.exitCode !== 0) {
      if (!result.timedOut && /no such image|image not known/i.test(result.stderr)) return undefined;
      throw this.failure(args, result);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout);
    } catch (error) {
      throw new ContainerEngineError(`${this.binary} image inspect printed no JSON`, { cause: error });
    }
    const [first] = Array.isArray(parsed) ? (parsed as InspectedImage[]) : [];
    if (!first || typeof first.Id !== 'string') return undefined;
    return first;
  }

  /** Pulls an image (the engine's default platform); throws `ContainerEngineError` when it cannot. */
  async pull(image: string, timeoutMs: number): Promise<void> {
    await this.check(['pull', '--quiet', '--', image], timeoutMs);
  }

  /**
   * The registry digest a reference stands for in the engine's image store, pulled first when `pull` is set: the
   * digest it names, or the one recorded for its repository when it was pulled. Throws `ContainerEngineError` when
   * the image is not there or has no digest of that repository (built here and never pushed or pulled).
   */
  async resolveDigest(ref: ImageRef, options: { pull: boolean; timeoutMs: number }): Promise<string> {
    const deadline = Date.now() + options.timeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    const text = formatImageRef(ref);
    if (options.pull) await this.pull(text, remaining());
    const image = await this.inspectImage(text, remaining());
    if (!image) {
      throw new ContainerEngineError(
        `${text} is not in ${this.engine}'s image store${options.pull ? '' : ' (pass --pull to pull it)'}`,
      );
    }
    if (ref.digest !== undefined) return ref.digest;
    const digest = repoDigestOf(image, ref.name);
    if (digest === undefined) {
      throw new ContainerEngineError(
        `${text} has no digest from ${ref.registry}: it was not pulled from there${options.pull ? '' : ' (pass --pull)'}`,
      );
    }
    return digest;
  }
}

/**
 * The digest a reference resolved to, from the image's `RepoDigests`: the entry of the reference's repository
 * (names compared normalised, since Docker writes `node@…` where podman writes `docker.io/library/node@…`). Where
 * podman keeps both a multi-platform image's index digest and its platform manifest's, the index digest is the one
 * the tag names in the registry, so it wins. Undefined when the image has no digest of that repository.
 */
export function repoDigestOf(image: InspectedImage, repository: string): string | undefined {
  const digests = (image.RepoDigests ?? []).flatMap((entry) => {
    const parsed = parseImageRef(entry);
    return parsed.ok && parsed.ref.name === repository && parsed.ref.digest ? [parsed.ref.digest] : [];
  });
  const unique = [...new Set(digests)];
  if (unique.length > 1 && image.Digest !== undefined) {
    const others = unique.filter((d) => d !== image.Digest);
    if (others.length > 0) return others[0];
  }
  return unique[0];
}

/** The image configuration the image tests check, from `image inspect` (the same shape from Docker and podman). */
export function imageConfigOf(image: Pick<InspectedImage, 'Config'>): ImageConfig {
  const c = image.Config ?? {};
  return {
    env: [...(c.Env ?? [])],
    labels: { ...(c.Labels ?? {}) },
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    volumes: Object.keys(c.Volumes ?? {}),
    entrypoint: [...(c.Entrypoint ?? [])],
    cmd: [...(c.Cmd ?? [])],
    workdir: c.WorkingDir ?? '',
    user: c.User ?? '',
  };
}

/** The last non-empty line of a tool's output. */
export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
