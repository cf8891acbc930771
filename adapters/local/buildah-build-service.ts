import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { BuildSettings } from '../../core/policy/schema.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildRequest,
  type BuildService,
  BuildTimedOutError,
  type BuiltImage,
  ToolMissingError,
} from '../../core/ports/build-service.js';
import { type BuildCgroup, createBuildCgroup } from './build-cgroup.js';
import { ensureBuildFirewall } from './build-firewall.js';
import { BUILD_NETWORK } from './container-env.js';
import { runTool } from './run-tool.js';

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
  /**
   * The sandbox limits of each build, read again for every build (the policy's `build` section can change while
   * the pipeline runs); missing values take the defaults of `DEFAULT_BUILD_LIMITS`.
   */
  readonly limits?: Partial<BuildLimits> | (() => Promise<Partial<BuildLimits>>);
}

/** Where a build's RUN steps may connect to. */
export type BuildNetwork = 'none' | 'egress';

/** What one build may use; going over any of them fails the build with a message naming the limit. */
export interface BuildLimits {
  /** `none`: only the build's own loopback. `egress`: the outside world through a bridge that cannot reach this host. */
  readonly network: BuildNetwork;
  /** Memory of the build's RUN steps together. */
  readonly memoryBytes: number;
  /** Processes (and threads) of the build's RUN steps together. */
  readonly maxProcesses: number;
  /** Bytes of the build context (every file under the context directory). */
  readonly maxContextBytes: number;
  /** Bytes of the built image (its layers, uncompressed); also the largest file a RUN step may write. */
  readonly maxImageBytes: number;
}

const MIB = 1024 * 1024;

/** The limits of a build that the policy does not set: no network, 2 GiB, 1024 processes, 512 MiB context, 4 GiB image. */
export const DEFAULT_BUILD_LIMITS: BuildLimits = {
  network: 'none',
  memoryBytes: 2048 * MIB,
  maxProcesses: 1024,
  maxContextBytes: 512 * MIB,
  maxImageBytes: 4096 * MIB,
};

/** The limits the policy's `build` section sets (MiB turned into bytes); what it leaves out keeps the defaults. */
export function buildLimitsFrom(settings: BuildSettings | undefined): Partial<BuildLimits> {
  const limits: { -readonly [K in keyof BuildLimits]?: BuildLimits[K] } = {};
  if (settings?.network !== undefined) limits.network = settings.network;
  if (settings?.memoryMiB !== undefined) limits.memoryBytes = settings.memoryMiB * MIB;
  if (settings?.maxProcesses !== undefined) limits.maxProcesses = settings.maxProcesses;
  if (settings?.maxContextMiB !== undefined) limits.maxContextBytes = settings.maxContextMiB * MIB;
  if (settings?.maxImageMiB !== undefined) limits.maxImageBytes = settings.maxImageMiB * MIB;
  return limits;
}

/**
 * A user namespace of its own for each build and test container, from the `containers` ranges of /etc/subuid and
 * /etc/subgid; 65536 ids so that every uid an image may use (nobody is 65534) maps to an unprivileged host id.
 */
export const USERNS_AUTO = '--userns=auto:size=65536';

const PULL_FLAG: Record<PullPolicy, string> = {
  newer: 'true',
  always: 'always',
  missing: 'missing',
  never: 'never',
};

/**
 * BuildService over `buildah bud --isolation oci --userns=auto`: each build in its own user, PID, mount, IPC, UTS
 * and network namespaces (root in a RUN is an unprivileged host uid; PID 1 is the step's shell, so nothing it
 * starts outlives the step), in its own cgroup with memory and process limits, with a time limit, a context size
 * checked before and an image size checked after.
 */
export class BuildahBuildService implements BuildService {
  readonly #buildah: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #storageDriver: string;
  readonly #pull: PullPolicy;
  readonly #tlsVerify: boolean;
  readonly #tailLines: number;
  readonly #runtime: string;
  readonly #limits: () => Promise<Partial<BuildLimits>>;

  constructor(options: BuildahBuildServiceOptions = {}) {
    this.#buildah = options.buildah ?? 'buildah';
    this.#env = options.env ?? {};
    this.#storageDriver = options.storageDriver ?? 'vfs';
    this.#pull = options.pull ?? 'newer';
    this.#tlsVerify = options.tlsVerify ?? false;
    this.#tailLines = options.tailLines ?? 30;
    this.#runtime = this.#env.BUILDAH_RUNTIME ?? 'runc';
    const limits = options.limits ?? {};
    this.#limits = typeof limits === 'function' ? limits : async () => limits;
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
    const limits: BuildLimits = { ...DEFAULT_BUILD_LIMITS, ...(await this.#limits()) };
    const started = Date.now();
    const contextBytes = await treeSize(resolve(request.contextDir), limits.maxContextBytes);
    if (contextBytes > limits.maxContextBytes) {
      throw new BuildFailedError(
        request.buildId,
        `the build context is larger than the limit of ${mib(limits.maxContextBytes)} (build.maxContextMiB)`,
        [],
      );
    }
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
    let cgroup: BuildCgroup | undefined;
    let stopGuard: (() => void) | undefined;
    const name = cgroupName(request.buildId);
    // The build's own dir in the state dir's build temp dir (see ContainerEnv.buildTmp), removed after it.
    const buildTmp = join(this.#env.DRYDOCK_BUILD_TMPDIR ?? this.#env.TMPDIR ?? tmpdir(), name);
    try {
      await mkdir(buildTmp, { recursive: true, mode: 0o711 });
      const dockerfile = join(scratch, 'Dockerfile');
      const iidfile = join(scratch, 'image-id');
      await writeFile(dockerfile, request.dockerfileText);
      if (limits.network === 'egress') await ensureBuildFirewall(BUILD_NETWORK.bridge);
      cgroup = await createBuildCgroup(buildCgroupScope(this.#env), name, limits);
      stopGuard = cgroup.guard();
      const args = [
        '--storage-driver',
        this.#storageDriver,
        'bud',
        '--isolation',
        'oci',
        '--runtime',
        this.#runtime,
        USERNS_AUTO,
        '--network',
        limits.network === 'egress' ? BUILD_NETWORK.name : 'none',
        '--cgroup-parent',
        cgroup.runParent,
        // Per process, besides the cgroup's total: a single file a RUN writes can be no larger than the image may be.
        '--ulimit',
        `fsize=${limits.maxImageBytes}:${limits.maxImageBytes}`,
        '--ulimit',
        'nofile=1024:1024',
        '--ulimit',
        `nproc=${limits.maxProcesses}:${limits.maxProcesses}`,
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
      // The disk a build fills is watched while it runs, not only the image it leaves: once the files of its
      // working containers pass the image limit, the build is stopped.
      const stop = new AbortController();
      const onCancel = () => stop.abort(request.signal?.reason);
      if (request.signal?.aborted) onCancel();
      request.signal?.addEventListener('abort', onCancel, { once: true });
      const watch = watchWorkingContainers(
        await this.#storage(),
        cgroup.runParent,
        limits.maxImageBytes,
        () => stop.abort(),
        // The build's temp dir holds its RUN --mount=type=cache directories and the files bound into its steps,
        // which a step writes on the host's disk and which are in no layer.
        [buildTmp],
      );
      // Build-arg values stay out of the kept log: teams do pass tokens that way, however often told not to.
      const shown = args.map((a, i) => (args[i - 1] === '--build-arg' ? `${a.split('=')[0]}=…` : a));
      log(`$ ${this.#buildah} ${shown.join(' ')}`);
      const run = await runTool({
        command: this.#buildah,
        args,
        // The RUN steps' bundles go where the build's root can reach them (see ContainerEnv.buildTmp).
        env: { ...this.#env, TMPDIR: buildTmp },
        timeoutMs: request.timeoutMs,
        signal: stop.signal,
        debianPackage: 'buildah',
        onLine: log,
      }).finally(() => {
        watch.stop();
        request.signal?.removeEventListener('abort', onCancel);
      });
      if (run.timedOut) throw new BuildTimedOutError(request.buildId, request.timeoutMs, [...tail]);
      if (watch.exceeded()) {
        throw new BuildFailedError(
          request.buildId,
          `the image is over the limit of ${mib(limits.maxImageBytes)} (build.maxImageMiB): its files passed it while the build ran, and the build was stopped`,
          [...tail],
        );
      }
      if (run.aborted) throw new BuildCancelledError(request.buildId, { cause: request.signal?.reason });
      if (run.exitCode !== 0) {
        const limit = await limitHit(cgroup, limits, tail);
        const reason =
          limit ??
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
      const imageBytes = await this.#imageSize(imageId);
      if (imageBytes > limits.maxImageBytes) {
        await this.removeImage(imageId).catch(() => undefined);
        throw new BuildFailedError(
          request.buildId,
          `the image is ${mib(imageBytes)}, larger than the limit of ${mib(limits.maxImageBytes)} (build.maxImageMiB)`,
          [...tail],
        );
      }
      const device = await this.#deviceNode(imageId);
      if (device) {
        await this.removeImage(imageId).catch(() => undefined);
        throw new BuildFailedError(
          request.buildId,
          `the image holds a device node (${device}): buildah unpacks an ADDed tarball's device nodes as the host's root, and no image needs one (a container's /dev is made when it starts)`,
          [...tail],
        );
      }
      return { imageId, tag: request.tag, durationMs: Date.now() - started };
    } finally {
      stopGuard?.();
      await cgroup?.remove().catch(() => undefined);
      await rm(scratch, { recursive: true, force: true });
      await rm(buildTmp, { recursive: true, force: true });
    }
  }

  // Where the image store is and its driver, from the storage.conf in use.
  async #storage(): Promise<{ graphroot: string; driver: string } | undefined> {
    const conf = this.#env.CONTAINERS_STORAGE_CONF;
    if (!conf) return undefined;
    const text = await readFile(conf, 'utf8').catch(() => '');
    const graphroot = /^\s*graphroot\s*=\s*"([^"]+)"/m.exec(text)?.[1];
    return graphroot ? { graphroot, driver: this.#storageDriver } : undefined;
  }

  // The first block or character device in the image's files (`/path, block 8:0`), read from its top layer, which with
  // the vfs driver holds the whole file system; not looked for with another driver or an unknown store.
  async #deviceNode(imageId: string): Promise<string | undefined> {
    const storage = await this.#storage();
    if (storage?.driver !== 'vfs') return undefined;
    const images = JSON.parse(
      await readFile(join(storage.graphroot, 'vfs-images', 'images.json'), 'utf8').catch(() => '[]'),
    ) as { id: string; layer?: string }[];
    const layer = images.find((i) => i.id === imageId.replace(/^sha256:/, ''))?.layer;
    if (!layer) return undefined;
    const root = join(storage.graphroot, 'vfs', 'dir', layer);
    const pending = [root];
    while (pending.length > 0) {
      const current = pending.pop() as string;
      for (const entry of await readdir(current, { withFileTypes: true })) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isBlockDevice() || entry.isCharacterDevice()) {
          const { rdev } = await lstat(path);
          const kind = entry.isBlockDevice() ? 'block' : 'character';
          return `${path.slice(root.length)}, ${kind} ${Math.floor(rdev / 256) & 0xfff}:${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}`;
        }
      }
    }
    return undefined;
  }

  // The layers' uncompressed sizes, from the manifest buildah keeps for the image in local storage.
  async #imageSize(imageId: string): Promise<number> {
    const run = await runTool({
      command: this.#buildah,
      args: ['--storage-driver', this.#storageDriver, 'inspect', '--type', 'image', '--', imageId],
      env: this.#env,
      timeoutMs: 60_000,
      debianPackage: 'buildah',
    });
    if (run.exitCode !== 0) {
      throw new DrydockError(
        `buildah inspect ${imageId} failed: ${run.stderr.trim().split('\n').at(-1) ?? ''}`,
        {
          code: 'IMAGE_INSPECT_FAILED',
          retryable: true,
        },
      );
    }
    const manifest = JSON.parse((JSON.parse(run.stdout) as { Manifest: string }).Manifest) as {
      layers?: { size?: number }[];
    };
    return (manifest.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  }
}

const mib = (bytes: number): string => `${Math.ceil(bytes / MIB)} MiB`;

/** The cgroup scope of a container environment's builds: one per state dir (the name of its build temp dir). */
export function buildCgroupScope(env: Readonly<Record<string, string>>): string {
  return basename(env.DRYDOCK_BUILD_TMPDIR ?? 'default');
}

// A cgroup name from the build id, unique among builds running at once (a retried build id may still be cleaning up).
function cgroupName(buildId: string): string {
  return `${buildId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64)}-${randomBytes(4).toString('hex')}`;
}

// What makes a failed build's RUN fail when it is one of the sandbox's limits: the cgroup's memory counters, or a
// fork refused (by the pids cgroup or the nproc limit) as the shell reports it.
async function limitHit(
  cgroup: BuildCgroup | undefined,
  limits: BuildLimits,
  tail: readonly string[],
): Promise<string | undefined> {
  if (await cgroup?.memoryLimitHit()) {
    return `the build ran out of memory: its limit is ${mib(limits.memoryBytes)} (build.memoryMiB)`;
  }
  if (
    (await cgroup?.processLimitHit()) ||
    tail.some((l) => /can't fork|fork: (retry: )?Resource temporarily unavailable|Cannot fork/i.test(l))
  ) {
    return `the build reached its limit of ${limits.maxProcesses} processes (build.maxProcesses)`;
  }
  if (tail.some((l) => /File size limit exceeded|SIGXFSZ/i.test(l))) {
    return `a RUN step wrote a file larger than the image limit of ${mib(limits.maxImageBytes)} (build.maxImageMiB)`;
  }
  return undefined;
}

const WATCH_POLL_MS = 2_000;

/**
 * Every two seconds, sums the files of the build's working containers (found by the cgroup parent buildah records
 * for each in its buildah.json) and of `otherDirs` (the build's temp dir: cache mounts) and calls `onExceeded` (once) when they pass `maxBytes`: a RUN step filling the disk
 * is stopped while it runs, not found out after. Not watched when the store is unknown (no storage.conf).
 */
function watchWorkingContainers(
  storage: { graphroot: string; driver: string } | undefined,
  cgroupParent: string,
  maxBytes: number,
  onExceeded: () => void,
  otherDirs: readonly string[] = [],
): { stop(): void; exceeded(): boolean } {
  let exceeded = false;
  let busy = false;
  if (!storage) return { stop: () => undefined, exceeded: () => false };
  const containersDir = join(storage.graphroot, `${storage.driver}-containers`);
  const layerDir = (layer: string) =>
    storage.driver === 'vfs'
      ? join(storage.graphroot, 'vfs', 'dir', layer)
      : join(storage.graphroot, storage.driver, layer, 'diff');
  const layers = new Map<string, string>();
  const check = async () => {
    const ids = (await readdir(containersDir).catch(() => [] as string[])).filter((id) =>
      /^[0-9a-f]{64}$/.test(id),
    );
    const fresh = ids.filter((id) => !layers.has(id));
    if (fresh.length > 0) {
      const listed = JSON.parse(
        await readFile(join(containersDir, 'containers.json'), 'utf8').catch(() => '[]'),
      ) as { id: string; layer: string }[];
      for (const id of fresh) {
        const state = await readFile(join(containersDir, id, 'userdata', 'buildah.json'), 'utf8').catch(
          () => '',
        );
        if (!state.includes(`"CgroupParent":${JSON.stringify(cgroupParent)}`)) continue;
        const layer = listed.find((c) => c.id === id)?.layer;
        if (layer) layers.set(id, layer);
      }
    }
    let total = 0;
    for (const dir of otherDirs) total += await treeSize(dir, maxBytes - total, true).catch(() => 0);
    for (const layer of layers.values()) {
      total += await treeSize(layerDir(layer), maxBytes - total, true).catch(() => 0);
      if (total > maxBytes) break;
    }
    if (total > maxBytes) {
      exceeded = true;
      onExceeded();
    }
  };
  const timer = setInterval(() => {
    if (busy || exceeded) return;
    busy = true;
    void check()
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, WATCH_POLL_MS);
  return {
    stop: () => clearInterval(timer),
    exceeded: () => exceeded,
  };
}

/**
 * Bytes of the files under `dir` (symbolic links not followed), counting stops once past `stopAbove`. With `onDisk`,
 * what the tree takes on disk: every entry counts its tar header (512 bytes) and the blocks it holds, a file at least
 * its length; otherwise directories, links and empty files cost nothing, and a step filled the disk with them unseen.
 */
async function treeSize(dir: string, stopAbove: number, onDisk = false): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0 && total <= stopAbove) {
    const current = pending.pop() as string;
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      if (onDisk) {
        const stats = await lstat(path).catch(() => undefined);
        if (stats) total += 512 + Math.max(stats.blocks * 512, stats.isFile() ? stats.size : 0);
      } else if (entry.isFile()) total += (await lstat(path)).size;
      if (total > stopAbove) break;
    }
  }
  return total;
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
