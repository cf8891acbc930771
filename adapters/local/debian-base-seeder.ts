import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { importRootfsBase } from './rootfs-base-importer.js';
import { runTool } from './run-tool.js';

/** The Debian release seeded by default: the one this machine's tools come from. */
export const DEBIAN_BASE_SUITE = 'bookworm';
/** Where debootstrap downloads from by default. */
export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** Options of `seedDebianBase`. */
export interface DebianBaseSeedOptions {
  readonly builder: BuildService;
  /** Pushes a locally built image to the registry under the same reference and returns the registry's digest. */
  readonly push: (localTag: string) => Promise<{ digest: string }>;
  /** Registry host the reference names, like `127.0.0.1:5000`. */
  readonly registryHost: string;
  /** @default DEBIAN_BASE_SUITE */
  readonly suite?: string;
  /** @default DEBIAN_MIRROR */
  readonly mirror?: string;
  /** @default 'base/debian' */
  readonly repository?: string;
  /** @default the suite */
  readonly tag?: string;
  /** Where the rootfs is bootstrapped; a filesystem that allows device nodes. @default os.tmpdir() */
  readonly workDir?: string;
  /** Time limit of debootstrap, and of the import's steps each. @default 600000 */
  readonly timeoutMs?: number;
  /** The debootstrap binary. @default 'debootstrap' */
  readonly debootstrap?: string;
  readonly log?: (line: string) => void;
}

/** A seeded Debian base: its registry reference, the registry's manifest digest and the local image ID. */
export interface SeededDebianBase {
  readonly ref: string;
  readonly suite: string;
  readonly digest: string;
  readonly imageId: string;
}

/** debootstrap failed (no mirror, a bad suite, no root); the message carries the end of its log. */
export class DebootstrapFailedError extends DrydockError {
  override readonly name = 'DebootstrapFailedError';

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { code: 'DEBOOTSTRAP_FAILED', ...options });
  }
}

/**
 * Bootstraps a Debian minbase rootfs with `debootstrap --variant=minbase`, trims what an image does not need
 * (downloaded packages, apt lists, device nodes, the host's hostname and resolver) and imports it as a base.
 * Needs root (debootstrap chroots and creates device nodes).
 */
export async function seedDebianBase(options: DebianBaseSeedOptions): Promise<SeededDebianBase> {
  const suite = options.suite ?? DEBIAN_BASE_SUITE;
  const mirror = options.mirror ?? DEBIAN_MIRROR;
  const repository = options.repository ?? 'base/debian';
  const tag = options.tag ?? suite;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const log = options.log ?? (() => undefined);
  if (!/^[a-z][a-z0-9-]*$/.test(suite)) throw new DebootstrapFailedError(`invalid Debian suite "${suite}"`);
  if (!/^(https?|file):\/\//.test(mirror)) {
    throw new DebootstrapFailedError(`invalid Debian mirror "${mirror}": an http(s):// or file:// URL`);
  }
  if (process.getuid?.() !== 0) {
    throw new DebootstrapFailedError(
      'debootstrap needs root: run drydock start as root to seed a Debian base',
    );
  }
  const work = await mkdtemp(join(options.workDir ?? tmpdir(), 'drydock-debootstrap-'));
  const rootfs = join(work, 'rootfs');
  try {
    const tail: string[] = [];
    const args = ['--variant=minbase', suite, rootfs, mirror];
    const binary = options.debootstrap ?? 'debootstrap';
    log(`$ ${binary} ${args.join(' ')}`);
    const run = await runTool({
      command: binary,
      args,
      timeoutMs,
      debianPackage: 'debootstrap',
      onLine: (line) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        log(line);
      },
    });
    if (run.exitCode !== 0) {
      const own = await readFile(join(rootfs, 'debootstrap', 'debootstrap.log'), 'utf8').catch(() => '');
      const lines = [...tail, ...own.trim().split('\n').slice(-10)].filter((l) => l !== '');
      const why = run.timedOut
        ? `timed out after ${timeoutMs} ms`
        : `exited with ${run.exitCode ?? run.signal}`;
      throw new DebootstrapFailedError(
        `debootstrap ${suite} from ${mirror} ${why}${lines.map((l) => `\n  | ${l}`).join('')}`,
        { retryable: run.timedOut },
      );
    }
    await unmountUnder(rootfs);
    await trimRootfs(rootfs);
    const imported = await importRootfsBase({
      builder: options.builder,
      push: options.push,
      registryHost: options.registryHost,
      source: rootfs,
      repository,
      tag,
      cmd: ['bash'],
      labels: {
        'org.opencontainers.image.title': 'drydock-debian',
        'org.opencontainers.image.version': suite,
        'org.opencontainers.image.description': `Debian ${suite} minbase (debootstrap), seeded by drydock bases seed`,
        'org.opencontainers.image.source': mirror,
      },
      workDir: work,
      timeoutMs,
      log,
    });
    return { ref: imported.ref, suite, digest: imported.digest, imageId: imported.imageId };
  } finally {
    // Kept, and said, rather than deleted through a mount that would not go away.
    await removeBootstrapDir(work).catch((error: unknown) =>
      log(`left ${work} in place: ${(error as Error).message}`),
    );
  }
}

/** Removes what a container image does not need from a debootstrapped rootfs. */
async function trimRootfs(rootfs: string): Promise<void> {
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'dev']) {
    await emptyDirectory(join(rootfs, dir), new Set(['partial', 'lock']));
  }
  // debootstrap copies the host's; the runtime provides its own.
  await rm(join(rootfs, 'etc', 'hostname'), { force: true });
  await writeFile(join(rootfs, 'etc', 'resolv.conf'), '');
}

async function emptyDirectory(dir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!keep.has(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Mount points at or below `dir`, deepest first, read from /proc/self/mountinfo. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) =>
      point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
    )
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything mounted at or below `dir` (debootstrap's /proc and /sys when it died mid-way). */
export async function unmountUnder(dir: string): Promise<void> {
  for (const point of await mountsUnder(dir)) {
    await runTool({ command: 'umount', args: ['--lazy', point], timeoutMs: 30_000, debianPackage: 'mount' });
  }
  const left = await mountsUnder(dir);
  if (left.length > 0) {
    throw new DrydockError(`cannot unmount ${left.join(', ')}; remove them by hand before deleting ${dir}`, {
      code: 'UNMOUNT_FAILED',
    });
  }
}

// A recursive delete through a bind mount of /dev or /proc would delete the host's files: unmount first.
async function removeBootstrapDir(work: string): Promise<void> {
  await unmountUnder(work);
  await rm(work, { recursive: true, force: true });
}
