import { copyFile, link, lstat, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DrydockError, quoteInput } from '../../core/errors.js';
import { NAME_MAX_LENGTH, PATH_COMPONENT, tagProblem } from '../../core/image-ref/grammar.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { InvalidImageTargetError } from '../../core/ports/image-registry.js';
import { ToolMissingError } from './container-env.js';
import { rootfsTarArgs } from './rootfs-tar.js';
import { runTool, type ToolResult } from './run-tool.js';

/** Options of `importRootfsBase`. */
export interface RootfsBaseImportOptions {
  /** Builds the image (the buildah build service locally). */
  readonly builder: BuildService;
  /** Pushes a locally built image to the registry under the same reference and returns the registry's digest. */
  readonly push: (localTag: string) => Promise<{ digest: string }>;
  /** Registry host the reference names, like `127.0.0.1:5000`. */
  readonly registryHost: string;
  /** A rootfs directory, or a tarball of one (plain, gzip, bzip2, xz or zstd; recognised by content). */
  readonly source: string;
  /** Repository inside the registry, like `base/alpine`. */
  readonly repository: string;
  readonly tag: string;
  /** Labels added to (and overriding) the defaults: title, version, description, vendor. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The image's CMD. @default ['/bin/sh'] when the rootfs has /bin/sh, else none */
  readonly cmd?: readonly string[];
  /** Where the build context (a tarball of a directory, or a link to the given tarball) is written. @default os.tmpdir() */
  readonly workDir?: string;
  /** Time limit of the tar runs and of the build, each. @default 600000 */
  readonly timeoutMs?: number;
  /** The GNU tar binary. @default 'tar' */
  readonly tar?: string;
  readonly log?: (line: string) => void;
}

/** An imported base: its registry reference, the registry's manifest digest and the local image ID. */
export interface ImportedBase {
  readonly ref: string;
  readonly digest: string;
  readonly imageId: string;
}

/** A rootfs source that cannot be imported (missing, empty, not a tarball tar can read); `path` names it. */
export class BaseSourceError extends DrydockError {
  override readonly name = 'BaseSourceError';
  readonly path: string;

  constructor(path: string, problem: string, options: { cause?: unknown } = {}) {
    super(`cannot import ${path}: ${problem}`, { code: 'BASE_SOURCE_INVALID', ...options });
    this.path = path;
  }
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// What tar runs for each compression when it reads an archive, and the Debian package that has it.
const COMPRESSOR_PACKAGES: Readonly<Record<string, string>> = {
  gzip: 'gzip',
  bzip2: 'bzip2',
  xz: 'xz-utils',
  lzma: 'xz-utils',
  zstd: 'zstd',
  lzip: 'lzip',
  lzop: 'lzop',
};
const SHELLS = new Set(['bin/sh', 'usr/bin/sh']);

/** Says what is wrong with a repository path inside a registry, or returns undefined when it is valid. */
export function repositoryProblem(repository: string): string | undefined {
  if (repository.length === 0) return 'the repository is empty';
  if (repository.length > NAME_MAX_LENGTH) {
    return `the repository is ${repository.length} characters; at most ${NAME_MAX_LENGTH} are allowed`;
  }
  const bad = repository.split('/').find((c) => !PATH_COMPONENT.test(c));
  if (bad === undefined) return undefined;
  return (
    `${quoteInput(bad)} is not a valid repository component: lower-case letters and digits, ` +
    'joined by ".", "_", "__" or "-"'
  );
}

/** Throws `InvalidImageTargetError` when `repository:tag` breaks the distribution reference grammar. */
export function checkImageTarget(repository: string, tag: string): void {
  const repoProblem = repositoryProblem(repository);
  if (repoProblem !== undefined) {
    throw new InvalidImageTargetError(`invalid repository ${quoteInput(repository)}: ${repoProblem}`);
  }
  const problem = tagProblem(tag);
  if (problem !== undefined)
    throw new InvalidImageTargetError(`invalid tag ${quoteInput(tag)}: ${problem.problem}`);
}

/**
 * Builds a base image from a rootfs (`FROM scratch` + `ADD rootfs.tar /`, a directory tarred first with its
 * ownership, modes, symlinks and xattrs) and pushes it; throws `BaseSourceError` naming the path for a source
 * that cannot be imported and `InvalidImageTargetError` for a bad repository or tag.
 */
export async function importRootfsBase(options: RootfsBaseImportOptions): Promise<ImportedBase> {
  checkImageTarget(options.repository, options.tag);
  const source = resolve(options.source);
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const tar = options.tar ?? 'tar';
  const ref = `${options.registryHost}/${options.repository}:${options.tag}`;
  const kind = await sourceKind(source);
  const context = await mkdtemp(join(options.workDir ?? tmpdir(), 'drydock-import-'));
  try {
    const tarball = join(context, 'rootfs.tar');
    let hasShell: boolean;
    if (kind === 'directory') {
      const entries = await readdir(source);
      if (entries.length === 0) throw new BaseSourceError(source, 'the directory is empty');
      hasShell = await anyExists(source, SHELLS);
      log(`packing ${source}`);
      await runTar(tar, rootfsTarArgs(tarball, source), source, timeoutMs);
    } else {
      const listed = await listTarball(tar, source, timeoutMs);
      hasShell = listed.hasShell;
      log(`${source}: ${listed.entries} entries`);
      await linkOrCopy(source, tarball);
    }
    const cmd = options.cmd ?? (hasShell ? ['/bin/sh'] : undefined);
    const dockerfileText = [
      'FROM scratch',
      'ADD rootfs.tar /',
      `ENV ${DEFAULT_PATH}`,
      ...(cmd === undefined ? [] : [`CMD ${JSON.stringify(cmd)}`]),
      '',
    ].join('\n');
    const built = await options.builder.build({
      buildId: `import-${options.repository.replaceAll('/', '-')}-${options.tag}`,
      contextDir: context,
      dockerfileText,
      tag: ref,
      labels: {
        'org.opencontainers.image.title': options.repository,
        'org.opencontainers.image.version': options.tag,
        'org.opencontainers.image.description': 'rootfs imported by drydock bases import',
        'org.opencontainers.image.vendor': 'drydock',
        ...options.labels,
      },
      timeoutMs,
      log,
    });
    const { digest } = await options.push(ref);
    log(`imported ${ref}@${digest}`);
    return { ref, digest, imageId: built.imageId };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function sourceKind(source: string): Promise<'directory' | 'file'> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'permission denied'
          : String(error);
    throw new BaseSourceError(source, problem, { cause: error });
  }
  if (info.isDirectory()) return 'directory';
  if (!info.isFile()) {
    throw new BaseSourceError(source, 'not a directory or a tarball (.tar, .tar.gz, .tar.xz, .tar.zst)');
  }
  try {
    await (await open(source, 'r')).close();
  } catch (error) {
    throw new BaseSourceError(source, 'the file cannot be read', { cause: error });
  }
  return 'file';
}

async function anyExists(root: string, paths: ReadonlySet<string>): Promise<boolean> {
  for (const path of paths) {
    try {
      await lstat(join(root, path));
      return true;
    } catch {
      // Not there; try the next.
    }
  }
  return false;
}

/** Lists a tarball with GNU tar (which recognises the compression by content) and checks its entries. */
async function listTarball(
  tar: string,
  source: string,
  timeoutMs: number,
): Promise<{ entries: number; hasShell: boolean }> {
  let entries = 0;
  let hasShell = false;
  let escaping: string | undefined;
  await runTar(tar, ['--list', '--file', source], source, timeoutMs, (line) => {
    if (line === '') return;
    entries++;
    const path = line.replace(/^(\.\/|\/)+/, '').replace(/\/$/, '');
    if (SHELLS.has(path)) hasShell = true;
    if (escaping === undefined && path.split('/').includes('..')) escaping = line;
  });
  if (entries === 0) throw new BaseSourceError(source, 'the tarball holds no files');
  if (escaping !== undefined) {
    throw new BaseSourceError(source, `the tarball has an entry outside its root: ${quoteInput(escaping)}`);
  }
  return { entries, hasShell };
}

async function runTar(
  tar: string,
  args: readonly string[],
  source: string,
  timeoutMs: number,
  onStdout?: (line: string) => void,
): Promise<ToolResult> {
  const run = await runTool({
    command: tar,
    args,
    timeoutMs,
    debianPackage: 'tar',
    maxOutputBytes: 64 * 1024,
    // Tar's own language, so that the messages below are recognised.
    env: { LC_ALL: 'C' },
    ...(onStdout ? { onLine: (line, stream) => (stream === 'stdout' ? onStdout(line) : undefined) } : {}),
  });
  if (run.exitCode === 0) return run;
  const stderr = run.stderr.trim();
  const compressor = /^.*?: (\S+): Cannot exec/m.exec(stderr)?.[1];
  if (compressor !== undefined) {
    throw new ToolMissingError(compressor, COMPRESSOR_PACKAGES[compressor] ?? compressor, {
      cause: new Error(stderr),
    });
  }
  if (run.timedOut) throw new BaseSourceError(source, `tar did not finish within ${timeoutMs} ms`);
  const reason = stderr.split('\n').find((l) => !/Exiting with failure|Error is not recoverable/.test(l));
  const listing = args[0] === '--list';
  throw new BaseSourceError(
    source,
    listing
      ? `not a directory or a tarball tar can list (.tar, .tar.gz, .tar.xz, .tar.zst): ${reason ?? `tar exited with ${run.exitCode}`}`
      : `tar could not pack the directory: ${reason ?? `tar exited with ${run.exitCode}`}`,
  );
}

/** Puts the tarball into the build context without copying it when it is on the same filesystem. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}
