import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildRequest,
  type BuildService,
  BuildTimedOutError,
  type BuiltImage,
  ToolMissingError,
} from '../../core/ports/build-service.js';

/** How buildah pulls the bases: `newer` (buildah's `--pull=true`) also works offline with images already in store. */
export type PullPolicy = 'newer' | 'always' | 'missing' | 'never';

/** Options of the buildah build service. */
export interface BuildahBuildServiceOptions {
  /** Path or name of the buildah binary. @default 'buildah' */
  readonly buildah?: string;
  /** Environment added for buildah, like the CONTAINERS_* variables of the state dir's container-env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Storage driver; must match the storage.conf in use. @default 'vfs' */
  readonly storageDriver?: string;
  /** When the base images are pulled. @default 'newer' */
  readonly pull?: PullPolicy;
  /** Verify TLS of registries; the loopback registry is plain HTTP. @default false */
  readonly tlsVerify?: boolean;
  /** Lines of the log kept for a failure's message. @default 30 */
  readonly tailLines?: number;
}

const PULL_FLAG: Record<PullPolicy, string> = {
  newer: 'true',
  always: 'always',
  missing: 'missing',
  never: 'never',
};

/** BuildService over `buildah bud --isolation chroot`, each build with its own Dockerfile file and time limit. */
export class BuildahBuildService implements BuildService {
  readonly #buildah: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #storageDriver: string;
  readonly #pull: PullPolicy;
  readonly #tlsVerify: boolean;
  readonly #tailLines: number;

  constructor(options: BuildahBuildServiceOptions = {}) {
    this.#buildah = options.buildah ?? 'buildah';
    this.#env = options.env ?? {};
    this.#storageDriver = options.storageDriver ?? 'vfs';
    this.#pull = options.pull ?? 'newer';
    this.#tlsVerify = options.tlsVerify ?? false;
    this.#tailLines = options.tailLines ?? 30;
  }

  /**
   * Removes a built image from local storage once the registry holds it (or it will never be published):
   * with the vfs driver every layer is a full copy, so keeping each build's image fills the disk. An image
   * already gone is not an error.
   */
  async removeImage(tag: string): Promise<void> {
    const run = await runTool({
      command: this.#buildah,
      args: ['--storage-driver', this.#storageDriver, 'rmi', '--force', '--', tag],
      env: this.#env,
      timeoutMs: 60_000,
      debianPackage: 'buildah',
    });
    if (run.exitCode !== 0 && !/image not known|not found|no such image/i.test(run.stderr)) {
      throw new DrydockError(`buildah rmi ${tag} failed: ${run.stderr.trim().split('\n').at(-1) ?? ''}`, {
        code: 'IMAGE_REMOVE_FAILED',
        retryable: true,
      });
    }
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    checkRequest(request);
    const started = Date.now();
    // Outside the context: the substituted Dockerfile must not end up in the image or replace the team's file.
    // In the container environment's TMPDIR (the state dir's scratch space, which the next start sweeps) when
    // there is one, so a build killed with its process leaves nothing in the machine's /tmp.
    const scratch = await mkdtemp(join(this.#env.TMPDIR ?? tmpdir(), 'drydock-build-'));
    const tail: string[] = [];
    const log = (line: string) => {
      tail.push(line);
      if (tail.length > this.#tailLines) tail.shift();
      request.log(line);
    };
    try {
      const dockerfile = join(scratch, 'Dockerfile');
      const iidfile = join(scratch, 'image-id');
      await writeFile(dockerfile, request.dockerfileText);
      const args = [
        '--storage-driver',
        this.#storageDriver,
        'bud',
        '--isolation',
        'chroot',
        `--pull=${PULL_FLAG[this.#pull]}`,
        `--tls-verify=${this.#tlsVerify}`,
        '--layers=false',
        '--iidfile',
        iidfile,
        '-f',
        dockerfile,
        ...keyValues('--label', request.labels),
        ...keyValues('--build-arg', request.buildArgs),
        '-t',
        request.tag,
        resolve(request.contextDir),
      ];
      // Build-arg values stay out of the kept log: teams do pass tokens that way, however often told not to.
      const shown = args.map((a, i) => (args[i - 1] === '--build-arg' ? `${a.split('=')[0]}=…` : a));
      log(`$ ${this.#buildah} ${shown.join(' ')}`);
      const run = await runTool({
        command: this.#buildah,
        args,
        env: this.#env,
        timeoutMs: request.timeoutMs,
        signal: request.signal,
        debianPackage: 'buildah',
        onLine: log,
      });
      if (run.timedOut) throw new BuildTimedOutError(request.buildId, request.timeoutMs, [...tail]);
      if (run.aborted) throw new BuildCancelledError(request.buildId, { cause: request.signal?.reason });
      if (run.exitCode !== 0) {
        const reason =
          [...tail].reverse().find((l) => l.startsWith('Error: ')) ??
          `buildah exited with ${run.exitCode === null ? `signal ${run.signal}` : `status ${run.exitCode}`}`;
        throw new BuildFailedError(request.buildId, reason, [...tail]);
      }
      const imageId = (await readFile(iidfile, 'utf8')).trim();
      if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) {
        throw new BuildFailedError(request.buildId, `buildah wrote no image ID (got "${imageId}")`, [
          ...tail,
        ]);
      }
      return { imageId, tag: request.tag, durationMs: Date.now() - started };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

function checkRequest(request: BuildRequest): void {
  const bad = (what: string) =>
    new DrydockError(`build ${request.buildId}: ${what}`, { code: 'BUILD_REQUEST_INVALID' });
  for (const [kind, map] of [
    ['label', request.labels],
    ['build arg', request.buildArgs],
  ] as const) {
    for (const key of Object.keys(map ?? {})) {
      if (key === '' || /[=\s]/.test(key)) throw bad(`${kind} name ${JSON.stringify(key)} is not valid`);
    }
  }
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) {
    throw bad(`timeoutMs must be a positive number, got ${request.timeoutMs}`);
  }
  if (request.tag.startsWith('-') || request.tag.trim() === '')
    throw bad(`tag "${request.tag}" is not valid`);
}

function keyValues(flag: string, map: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(map ?? {}).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

/** One run of a command-line tool with a time limit. */
export interface ToolRun {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the inherited environment of the child only. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Named in the `ToolMissingError` when the command cannot be started. */
  readonly debianPackage: string;
  /** Every output line, stdout and stderr, as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Bytes of stdout and of stderr kept in the result. @default 4 MiB */
  readonly maxOutputBytes?: number;
}

/** How a tool run ended. */
export interface ToolResult {
  /** Null when the process was ended by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether stdout or stderr went over `maxOutputBytes` and was cut. */
  readonly truncated: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

const KILL_GRACE_MS = 2_000;
// A grandchild that escaped the process group (conmon) may hold the pipes open after the tool exited.
const CLOSE_GRACE_MS = 1_000;

/**
 * Runs a tool in its own process group; on timeout or abort the group gets SIGTERM (buildah then removes its
 * working container) and SIGKILL two seconds later. Throws `ToolMissingError` when the tool cannot be started.
 */
export function runTool(run: ToolRun): Promise<ToolResult> {
  const maxBytes = run.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    if (run.signal?.aborted) {
      resolvePromise({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        truncated: false,
        timedOut: false,
        aborted: true,
      });
      return;
    }
    const child = spawn(run.command, [...run.args], {
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const size = { stdout: 0, stderr: 0 };
    const partial = { stdout: '', stderr: '' };
    let truncated = false;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, run.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (size[stream] < maxBytes) {
        const room = maxBytes - size[stream];
        out[stream].push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        if (chunk.length > room) truncated = true;
      } else {
        truncated = true;
      }
      size[stream] += chunk.length;
      if (run.onLine) {
        const lines = (partial[stream] + chunk.toString('utf8')).split(/\r?\n/);
        partial[stream] = lines.pop() ?? '';
        for (const line of lines) run.onLine(line, stream);
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(closeTimer);
      run.signal?.removeEventListener('abort', onAbort);
      // The tool is gone; make sure nothing it started in its group outlives it.
      if (timedOut || aborted) {
        clearTimeout(killTimer);
        killGroup('SIGKILL');
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        if (run.onLine && partial[stream] !== '') run.onLine(partial[stream], stream);
      }
      resolvePromise({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
        truncated,
        timedOut,
        aborted,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(new ToolMissingError(run.command, run.debianPackage, { cause: error }));
      } else {
        reject(
          new DrydockError(`cannot run ${run.command}: ${error.message}`, {
            code: 'TOOL_FAILED',
            cause: error,
          }),
        );
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      closeTimer = setTimeout(finish, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
  });
}
