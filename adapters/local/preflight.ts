import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { DrydockError } from '../../core/errors.js';

/** A program the local pipeline runs, and the Debian package that provides it. */
export interface RequiredTool {
  readonly binary: string;
  readonly debianPackage: string;
  readonly usedFor: string;
}

/** Every program `drydock start` runs. */
export const LOCAL_PIPELINE_TOOLS: readonly RequiredTool[] = [
  { binary: 'git', debianPackage: 'git', usedFor: 'repositories and build contexts' },
  { binary: 'buildah', debianPackage: 'buildah', usedFor: 'building images' },
  { binary: 'podman', debianPackage: 'podman', usedFor: 'black-box image tests' },
  { binary: 'runc', debianPackage: 'runc', usedFor: 'the container runtime of podman' },
  { binary: 'catatonit', debianPackage: 'catatonit', usedFor: 'the init process of test containers' },
  { binary: 'docker-registry', debianPackage: 'docker-registry', usedFor: 'the local registry' },
  { binary: '/bin/busybox', debianPackage: 'busybox-static', usedFor: 'seeding the base catalogue' },
  {
    binary: 'setpriv',
    debianPackage: 'util-linux',
    usedFor: 'ending buildah, podman and the registry with drydock',
  },
];

/** The user-namespace range builds and test containers take their ids from (`--userns=auto`). */
export const SUBID_RANGE = { name: 'containers', start: 2147483647, count: 2147483648 } as const;
/** The fewest ids a range may hold: one build or test container needs 65536. */
const MIN_SUBIDS = 65536;

/** /etc/subuid or /etc/subgid has no usable `containers` range, so builds cannot get a user namespace. */
export class UserNamespaceRangesMissingError extends DrydockError {
  override readonly name = 'UserNamespaceRangesMissingError';

  constructor(files: readonly string[]) {
    const line = `${SUBID_RANGE.name}:${SUBID_RANGE.start}:${SUBID_RANGE.count}`;
    super(
      `builds and image tests run in a user namespace, but ${files.join(' and ')} ${files.length > 1 ? 'have' : 'has'} ` +
        `no "${SUBID_RANGE.name}" range of at least ${MIN_SUBIDS} ids; add the line\n  ${line}\n` +
        `to ${files.join(' and ')} (as root), or run scripts/bootstrap`,
      { code: 'USERNS_RANGES_MISSING' },
    );
  }
}

/** `drydock start` runs as another user than root: builds need root for their namespaces and cgroups. */
export class NotRootError extends DrydockError {
  override readonly name = 'NotRootError';

  constructor(uid: number) {
    super(
      `drydock start runs as uid ${uid}, but the build sandbox needs root: each build gets its own user, PID and ` +
        'network namespaces and a cgroup with its limits, which only root can set up; run it as root (sudo drydock start)',
      { code: 'NOT_ROOT' },
    );
  }
}

/** Throws `NotRootError` unless the process runs as root. */
export function assertRunsAsRoot(uid: number | undefined = process.getuid?.()): void {
  if (uid !== undefined && uid !== 0) throw new NotRootError(uid);
}

/** Whether a subordinate-id file grants the `containers` user a range of at least 65536 ids. */
export function hasContainersRange(text: string): boolean {
  return text.split('\n').some((line) => {
    const [name, start, count] = line.trim().split(':');
    return (
      name === SUBID_RANGE.name &&
      /^\d+$/.test(start ?? '') &&
      /^\d+$/.test(count ?? '') &&
      Number(count) >= MIN_SUBIDS
    );
  });
}

/** Throws `UserNamespaceRangesMissingError` naming each of /etc/subuid and /etc/subgid that lacks the range. */
export async function assertUserNamespaceRanges(
  files: readonly string[] = ['/etc/subuid', '/etc/subgid'],
): Promise<void> {
  const missing: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (!hasContainersRange(text)) missing.push(file);
  }
  if (missing.length > 0) throw new UserNamespaceRangesMissingError(missing);
}

/** Programs the local pipeline needs are missing; the message names each with its Debian package. */
export class ToolsMissingError extends DrydockError {
  override readonly name = 'ToolsMissingError';
  readonly missing: readonly RequiredTool[];

  constructor(missing: readonly RequiredTool[]) {
    const packages = [...new Set(missing.map((t) => t.debianPackage))].join(' ');
    super(
      `the local pipeline needs programs that are not installed:\n${missing
        .map((t) => `  ${t.binary} (Debian package "${t.debianPackage}"), for ${t.usedFor}`)
        .join('\n')}\ninstall them with: apt-get install ${packages}   (or run scripts/bootstrap)`,
      { code: 'TOOL_MISSING' },
    );
    this.missing = missing;
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    // A directory passes the X_OK check too; spawning it fails with EACCES.
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tools not found as executables (an absolute path as is, a name on `PATH`). */
export async function missingTools(
  tools: readonly RequiredTool[] = LOCAL_PIPELINE_TOOLS,
  path: string = process.env.PATH ?? '',
): Promise<RequiredTool[]> {
  // runc lives in /usr/sbin, which a non-root PATH may lack; podman finds it there anyway.
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/sbin'];
  const missing: RequiredTool[] = [];
  for (const tool of tools) {
    const candidates = isAbsolute(tool.binary) ? [tool.binary] : dirs.map((d) => join(d, tool.binary));
    let found = false;
    for (const candidate of candidates) {
      if (await executable(candidate)) {
        found = true;
        break;
      }
    }
    if (!found) missing.push(tool);
  }
  return missing;
}

/** Throws `ToolsMissingError` listing every missing tool at once, so one install fixes them all. */
export async function assertToolsInstalled(
  tools: readonly RequiredTool[] = LOCAL_PIPELINE_TOOLS,
  path?: string,
): Promise<void> {
  const missing = await missingTools(tools, path);
  if (missing.length > 0) throw new ToolsMissingError(missing);
}
