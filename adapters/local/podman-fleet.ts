import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import { parseImageRef } from '../../core/image-ref/parse-image-ref.js';
import type { BandAidResult, Fleet, RunningContainer } from '../../core/ports/fleet.js';
import { hooksDir, installAdmissionHook } from './admission-hook.js';
import { lastLine } from './container-cli.js';
import { type ContainerEnvOptions, containersConfText, prepareContainerEnv } from './container-env.js';
import { runTool, type ToolResult } from './run-tool.js';

/** Labels of every fleet container: that it is one, its host, and its image's manifest digest when known. */
export const FLEET_LABELS = {
  fleet: 'io.drydock.fleet',
  host: 'io.drydock.host',
  imageDigest: 'io.drydock.image-digest',
} as const;

/** The podman configuration of the fleet: the pipeline's storage and registries, with the admission hook installed. */
export interface FleetEnv {
  /** Variables for podman children: the pipeline's, with CONTAINERS_CONF naming the fleet's containers.conf. */
  readonly env: Readonly<Record<string, string>>;
  readonly hooksDir: string;
}

/**
 * The fleet's podman environment: the state dir's storage, registries and auth file (written by
 * `prepareContainerEnv` with `options` only when the pipeline has not written them yet: a running pipeline's are
 * never rewritten) and the fleet's own containers.conf (`fleet-containers.conf`, `hooks_dir` = `<stateDir>/hooks`),
 * with the admission hook installed there as `hookCommand`.
 */
export async function prepareFleetEnv(
  stateDir: string,
  hookCommand: readonly string[],
  options: ContainerEnvOptions = {},
): Promise<FleetEnv> {
  const root = join(stateDir, 'containers');
  const files = ['storage.conf', 'registries.conf', 'containers.conf', 'auth.json'].map((f) => join(root, f));
  const ready = (
    await Promise.all(
      files.map((f) =>
        access(f).then(
          () => true,
          () => false,
        ),
      ),
    )
  ).every(Boolean);
  if (!ready) await prepareContainerEnv(stateDir, options);
  const dir = hooksDir(stateDir);
  await installAdmissionHook(stateDir, hookCommand);
  const conf = join(root, 'fleet-containers.conf');
  await writeFile(conf, containersConfText(join(root, 'networks'), dir));
  const tmp = join(root, 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  return {
    env: {
      CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
      CONTAINERS_CONF: conf,
      REGISTRY_AUTH_FILE: join(root, 'auth.json'),
      TMPDIR: tmp,
    },
    hooksDir: dir,
  };
}

/** The fleet could not do what was asked: podman failed, the image or container is unknown, bad input. */
export class FleetError extends DrydockError {
  override readonly name = 'FleetError';

  constructor(message: string, options: { retryable?: boolean; cause?: unknown; code?: string } = {}) {
    super(message, { code: options.code ?? 'FLEET_FAILED', ...options });
  }
}

/** What the fleet knows of a local image before starting it. */
export interface FleetImage {
  readonly ref: string;
  /** The image ID as `sha256:…`. */
  readonly configDigest: string;
  /** podman's manifest digest of it (the registry's, for a pulled image). */
  readonly digest?: string;
  /** Every manifest digest storage knows for it. */
  readonly digests: readonly string[];
  readonly names: readonly string[];
}

/** Options of `PodmanFleet`. */
export interface PodmanFleetOptions {
  /** The fleet's podman environment (`prepareFleetEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /** @default 'podman' */
  readonly podman?: string;
  /** Time limit of podman's own commands (inspect, pull, run, ps, rm). @default 120000 */
  readonly commandTimeoutMs?: number;
}

const HOST = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TAIL_BYTES = 4096;
const OUTPUT_LIMIT_BYTES = 1024 * 1024;
const EXEC_KILL_GRACE_MS = 5_000;
// Podman's variables and the marker come first in an exec'd process's environment; a container's own can be MBs.
const ENVIRON_READ_BYTES = 64 * 1024;

interface PsEntry {
  readonly Id: string;
  readonly Names?: readonly string[];
  readonly Image: string;
  readonly ImageID: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly StartedAt?: number;
}

/** Fleet over labelled podman containers of the state dir's storage; band-aids run with `podman exec`. */
export class PodmanFleet implements Fleet {
  readonly #env: Readonly<Record<string, string>>;
  readonly #podman: string;
  readonly #timeoutMs: number;

  constructor(options: PodmanFleetOptions) {
    this.#env = options.env;
    this.#podman = options.podman ?? 'podman';
    this.#timeoutMs = options.commandTimeoutMs ?? 120_000;
  }

  /** The image a reference names in the fleet's storage, pulled first when it is not there (unless `pull: false`). */
  async image(ref: string, options: { readonly pull?: boolean } = {}): Promise<FleetImage> {
    checkRef(ref);
    let inspected = await this.#podmanRun(['image', 'inspect', '--format', 'json', '--', ref]);
    if (inspected.exitCode !== 0 && options.pull === false)
      throw this.#failure(`${ref} is not in the fleet's storage`, inspected, 'FLEET_IMAGE_UNKNOWN');
    if (inspected.exitCode !== 0) {
      const pulled = await this.#podmanRun(['pull', '--quiet', '--', ref]);
      if (pulled.exitCode !== 0)
        throw this.#failure(`cannot find or pull ${ref}`, pulled, 'FLEET_IMAGE_UNKNOWN');
      inspected = await this.#podmanRun(['image', 'inspect', '--format', 'json', '--', ref]);
      if (inspected.exitCode !== 0)
        throw this.#failure(`cannot inspect ${ref}`, inspected, 'FLEET_IMAGE_UNKNOWN');
    }
    const [info] = JSON.parse(inspected.stdout) as {
      Id: string;
      Digest?: string;
      RepoDigests?: string[] | null;
      RepoTags?: string[] | null;
    }[];
    if (!info) throw new FleetError(`podman image inspect ${ref} printed no image`);
    const digests = new Set<string>();
    if (info.Digest) digests.add(info.Digest);
    for (const repoDigest of info.RepoDigests ?? []) {
      const at = repoDigest.lastIndexOf('@');
      if (at > 0) digests.add(repoDigest.slice(at + 1));
    }
    return {
      ref,
      configDigest: info.Id.startsWith('sha256:') ? info.Id : `sha256:${info.Id}`,
      ...(info.Digest ? { digest: info.Digest } : {}),
      digests: [...digests],
      names: [...(info.RepoTags ?? [])],
    };
  }

  /** Starts `count` detached containers of an image on a host; returns their ids. Admission is the caller's (and the hook's). */
  async start(
    image: string,
    options: { readonly host: string; readonly count?: number; readonly args?: readonly string[] },
  ): Promise<string[]> {
    if (!HOST.test(options.host))
      throw new FleetError(
        `host ${JSON.stringify(options.host)} is not a valid name: lower-case letters, digits, ".", "_", "-"`,
        {
          code: 'FLEET_BAD_INPUT',
        },
      );
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1 || count > 100)
      throw new FleetError(`count ${count} is not between 1 and 100`, { code: 'FLEET_BAD_INPUT' });
    const known = await this.image(image);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `fleet-${options.host}-${randomBytes(4).toString('hex')}`;
      const run = await this.#podmanRun([
        'run',
        '--detach',
        '--pull',
        'never',
        '--name',
        name,
        '--label',
        `${FLEET_LABELS.fleet}=1`,
        '--label',
        `${FLEET_LABELS.host}=${options.host}`,
        ...(known.digest ? ['--label', `${FLEET_LABELS.imageDigest}=${known.digest}`] : []),
        image,
        ...(options.args ?? []),
      ]);
      if (run.exitCode !== 0) {
        // A start the hook refused leaves a created container behind.
        await this.#podmanRun(['rm', '--force', '--time', '0', name]).catch(() => undefined);
        throw this.#failure(
          `podman run ${image} on host ${options.host} failed`,
          run,
          run.exitCode === 126 ? 'FLEET_START_REFUSED' : 'FLEET_FAILED',
        );
      }
      ids.push(run.stdout.trim());
    }
    return ids;
  }

  /**
   * Every fleet container, its image named by podman's image ID: the digest label is whoever started the
   * container's to write, so it counts only when it is one of that image's own manifest digests.
   */
  async running(): Promise<readonly RunningContainer[]> {
    const ps = await this.#podmanRun(['ps', '--filter', `label=${FLEET_LABELS.fleet}=1`, '--format', 'json']);
    if (ps.exitCode !== 0) throw this.#failure('podman ps failed', ps, 'FLEET_UNREACHABLE', true);
    const entries = JSON.parse(ps.stdout || '[]') as PsEntry[];
    const digestsOf = await this.#manifestDigests([...new Set(entries.map((e) => e.ImageID))]);
    return entries
      .map((e): RunningContainer => {
        const known = digestsOf.get(e.ImageID);
        const label = e.Labels?.[FLEET_LABELS.imageDigest];
        const digest = label !== undefined && known?.all.includes(label) ? label : known?.digest;
        return {
          id: e.Id,
          name: e.Names?.[0] ?? e.Id.slice(0, 12),
          host: e.Labels?.[FLEET_LABELS.host] ?? '',
          image: e.Image,
          ...(digest ? { imageDigest: digest } : {}),
          configDigest: `sha256:${e.ImageID}`,
          startedAt: new Date((e.StartedAt ?? 0) * 1000).toISOString(),
        };
      })
      .sort((a, b) => (a.host === b.host ? a.id.localeCompare(b.id) : a.host.localeCompare(b.host)));
  }

  // The manifest digests storage knows for each image ID (podman's own, then its repo digests); an image that
  // cannot be inspected (removed meanwhile) has none, and its containers are named by image ID alone.
  async #manifestDigests(
    imageIds: readonly string[],
  ): Promise<Map<string, { readonly digest?: string; readonly all: readonly string[] }>> {
    const found = new Map<string, { digest?: string; all: string[] }>();
    if (imageIds.length === 0) return found;
    const inspected = await this.#podmanRun(['image', 'inspect', '--format', 'json', '--', ...imageIds]);
    let infos: { Id: string; Digest?: string; RepoDigests?: string[] | null }[] = [];
    try {
      infos = JSON.parse(inspected.stdout || '[]');
    } catch {
      // podman printed no JSON (every image gone): no digest is known.
    }
    for (const info of infos) {
      const all = new Set<string>();
      if (info.Digest) all.add(info.Digest);
      for (const repoDigest of info.RepoDigests ?? []) {
        const at = repoDigest.lastIndexOf('@');
        if (at > 0) all.add(repoDigest.slice(at + 1));
      }
      found.set(info.Id.replace(/^sha256:/, ''), {
        ...(info.Digest ? { digest: info.Digest } : {}),
        all: [...all],
      });
    }
    return found;
  }

  /** Stops and removes a fleet container (id, id prefix of at least 6, or name) or every container of a host; returns their ids. */
  async stop(target: string | { readonly host: string }): Promise<string[]> {
    const all = await this.running();
    const chosen =
      typeof target === 'string'
        ? all.filter((c) => c.name === target || (target.length >= 6 && c.id.startsWith(target)))
        : all.filter((c) => c.host === target.host);
    if (typeof target === 'string' && chosen.length !== 1)
      throw new FleetError(
        chosen.length === 0
          ? `no fleet container ${target}`
          : `${target} names ${chosen.length} fleet containers`,
        { code: 'FLEET_BAD_INPUT' },
      );
    if (chosen.length === 0) return [];
    const rm = await this.#podmanRun(['rm', '--force', '--time', '2', ...chosen.map((c) => c.id)]);
    if (rm.exitCode !== 0) throw this.#failure('podman rm failed', rm);
    return chosen.map((c) => c.id);
  }

  async exec(
    container: RunningContainer,
    argv: readonly string[],
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<BandAidResult> {
    if (argv.length === 0 || argv.some((a) => typeof a !== 'string' || a.includes('\0')))
      throw new FleetError('a band-aid argv must be non-empty strings without NUL', {
        code: 'FLEET_BAD_INPUT',
      });
    // A marker in the exec'd process's environment finds it (and its children) to end it at the time limit:
    // ending podman's client leaves the process running in the container.
    const marker = randomBytes(12).toString('hex');
    const started = Date.now();
    let timedOut = false;
    const tail = new OutputTail(TAIL_BYTES);
    // The run is reported only once the kill is done, so no process of it is left when exec resolves.
    let killing: Promise<unknown> | undefined;
    const end = () => {
      killing ??= this.#killMarked(container.id, marker).catch(() => 0);
    };
    // Output a container prints as fast as the pipe takes costs the pipeline a core until the time limit (up to
    // an hour): past OUTPUT_LIMIT_BYTES the command is ended in the container and podman's client stopped.
    let printed = 0;
    let flooded = false;
    const client = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, client.signal]) : client.signal;
    const timer = setTimeout(() => {
      timedOut = true;
      end();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', end, { once: true });
    let run: ToolResult;
    try {
      run = await runTool({
        command: this.#podman,
        args: ['exec', '--env', `DRYDOCK_EXEC=${marker}`, container.id, ...argv],
        env: this.#env,
        timeoutMs: options.timeoutMs + EXEC_KILL_GRACE_MS,
        signal,
        debianPackage: 'podman',
        maxOutputBytes: 64 * 1024,
        onLine: (line) => {
          if (flooded) return;
          printed += line.length + 1;
          if (printed > OUTPUT_LIMIT_BYTES) {
            flooded = true;
            end();
            client.abort();
          } else tail.add(line);
        },
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', end);
    }
    await killing;
    const ended = timedOut || run.timedOut || run.aborted;
    return {
      exitCode: ended ? null : run.exitCode,
      outputTail: tail.text(),
      durationMs: Date.now() - started,
      timedOut: !flooded && (timedOut || run.timedOut),
      ...(flooded ? { reason: `it printed more than ${OUTPUT_LIMIT_BYTES / 1024 / 1024} MiB; ended` } : {}),
    };
  }

  // SIGKILLs every process of the container's PID namespace whose environment carries the marker. The container
  // decides how many processes it has and how large their environments are (a compromised one fills its PID
  // namespace with 2 MB environments): each is read without blocking the pipeline's event loop, and only its first
  // ENVIRON_READ_BYTES, where podman's own variables and the marker are; a process that pushes the marker past
  // that escapes the kill inside its own container, and the run is recorded as ended at its time limit all the same.
  async #killMarked(containerId: string, marker: string): Promise<number> {
    const needle = Buffer.from(`\0DRYDOCK_EXEC=${marker}\0`);
    return this.#killWhere(containerId, (environ) => environ.includes(needle));
  }

  /**
   * Ends every band-aid process a previous pipeline process left in a fleet container (any `DRYDOCK_EXEC`
   * marker): a SIGKILLed pipeline never reaches its time limits, and its runs are recorded as interrupted, so
   * what they started must not run on. Only for a pipeline that knows no band-aid of its own runs yet (start-up).
   * Returns how many processes it ended.
   */
  async endLeftoverBandAids(): Promise<number> {
    let ended = 0;
    for (const container of await this.running()) {
      ended += await this.#killWhere(container.id, (environ, init) => {
        const marker = execMarkerOf(environ);
        // The image itself may set DRYDOCK_EXEC (its init process has it then): only a marker that is not the
        // container's own is one of ours, so a workload never ends itself by naming the variable.
        return marker !== undefined && marker !== execMarkerOf(init);
      });
    }
    return ended;
  }

  async #killWhere(
    containerId: string,
    matches: (environ: Buffer, init: Buffer) => boolean,
  ): Promise<number> {
    const inspect = await this.#podmanRun(['inspect', '--format', '{{.State.Pid}}', containerId]);
    const pid = Number(inspect.stdout.trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) return 0;
    let namespace: string;
    let init: Buffer;
    try {
      namespace = await readlink(`/proc/${pid}/ns/pid`);
      init = Buffer.concat([Buffer.from([0]), await environHead(String(pid))]);
    } catch {
      return 0;
    }
    let killed = 0;
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry) || entry === String(pid)) continue;
      try {
        if ((await readlink(`/proc/${entry}/ns/pid`)) !== namespace) continue;
        // A leading NUL: the marker is a variable of its own, not the tail of another one's value.
        const environ = Buffer.concat([Buffer.from([0]), await environHead(entry)]);
        if (!matches(environ, init)) continue;
        process.kill(Number(entry), 'SIGKILL');
        killed++;
      } catch {
        // The process ended meanwhile.
      }
    }
    return killed;
  }

  #podmanRun(args: readonly string[]): Promise<ToolResult> {
    return runTool({
      command: this.#podman,
      args,
      env: this.#env,
      timeoutMs: this.#timeoutMs,
      debianPackage: 'podman',
    });
  }

  #failure(what: string, result: ToolResult, code = 'FLEET_FAILED', retryable = false): FleetError {
    return result.timedOut
      ? new FleetError(`${what}: timed out`, { retryable: true, code })
      : new FleetError(`${what}: ${lastLine(result.stderr) || `exit ${result.exitCode}`}`, {
          retryable,
          code,
        });
  }
}

// The value of the first DRYDOCK_EXEC variable in an environment that starts with a NUL, when it has the form
// exec() gives it (24 hex digits).
function execMarkerOf(environ: Buffer): string | undefined {
  const at = environ.indexOf('\0DRYDOCK_EXEC=');
  if (at < 0) return undefined;
  const start = at + '\0DRYDOCK_EXEC='.length;
  const end = environ.indexOf(0, start);
  const value = environ.toString('latin1', start, end < 0 ? environ.length : end);
  return /^[0-9a-f]{24}$/.test(value) ? value : undefined;
}

// The first ENVIRON_READ_BYTES of a process's environment.
async function environHead(pid: string): Promise<Buffer> {
  const file = await open(`/proc/${pid}/environ`, 'r');
  try {
    const buffer = Buffer.alloc(ENVIRON_READ_BYTES);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await file.close();
  }
}

/** Refuses an image reference podman would read as an option, or that does not parse. */
function checkRef(ref: string): void {
  const parsed = parseImageRef(ref);
  if (ref.startsWith('-') || (!parsed.ok && !/^sha256:[0-9a-f]{64}$/.test(ref)))
    throw new FleetError(parsed.ok ? `invalid image ${JSON.stringify(ref)}` : parsed.error, {
      code: 'FLEET_BAD_INPUT',
    });
}

// The last `limit` bytes of the lines seen, in order.
class OutputTail {
  #lines: string[] = [];
  #bytes = 0;

  constructor(readonly limit: number) {}

  add(line: string): void {
    this.#lines.push(line);
    this.#bytes += Buffer.byteLength(line) + 1;
    while (this.#bytes > this.limit && this.#lines.length > 1) {
      this.#bytes -= Buffer.byteLength(this.#lines.shift() ?? '') + 1;
    }
  }

  text(): string {
    const joined = this.#lines.join('\n');
    const buffer = Buffer.from(joined);
    return buffer.length <= this.limit
      ? joined
      : buffer.subarray(buffer.length - this.limit).toString('utf8');
  }
}
