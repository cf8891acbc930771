import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';

/** Where the cgroup hierarchies are mounted. */
const CGROUP_ROOT = '/sys/fs/cgroup';
/** The cgroup every build's own cgroup is made under. */
const BUILDS = 'drydock-builds';

/** Limits of one build as a whole: every RUN step of it runs in a child of the build's cgroup. */
export interface BuildCgroupLimits {
  readonly memoryBytes: number;
  readonly maxProcesses: number;
}

/** The cgroup of one build; buildah gets `runParent` as `--cgroup-parent`. */
export interface BuildCgroup {
  /** The path (from the hierarchy's root) to give buildah: a child of the build's cgroup that runc makes and removes. */
  readonly runParent: string;
  /** Whether the build's memory went over its limit (the kernel then refused pages or killed a process). */
  memoryLimitHit(): Promise<boolean>;
  /** Removes the build's cgroup in every hierarchy runc made it in; kills what is still in it first. */
  remove(): Promise<void>;
}

/** The machine has no cgroup hierarchy drydock can set build limits in. */
export class BuildCgroupUnavailableError extends DrydockError {
  override readonly name = 'BuildCgroupUnavailableError';

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`cannot limit builds with a cgroup: ${reason}`, { code: 'BUILD_SANDBOX_UNAVAILABLE', ...options });
  }
}

type Layout = { version: 1 } | { version: 2 };

function layout(): Layout | undefined {
  if (existsSync(join(CGROUP_ROOT, 'pids', 'cgroup.procs'))) {
    return existsSync(join(CGROUP_ROOT, 'memory', 'cgroup.procs')) ? { version: 1 } : undefined;
  }
  return existsSync(join(CGROUP_ROOT, 'cgroup.controllers')) ? { version: 2 } : undefined;
}

/**
 * Makes `/drydock-builds/<name>` with the build's memory and process limits (cgroup v1: in the memory and pids
 * hierarchies; v2: one cgroup with both controllers enabled above it). runc puts each RUN step in a child of it, so
 * the limits hold for the build's steps together and the memory counters survive the steps.
 */
export async function createBuildCgroup(name: string, limits: BuildCgroupLimits): Promise<BuildCgroup> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new BuildCgroupUnavailableError(`bad cgroup name ${name}`);
  const found = layout();
  if (!found) throw new BuildCgroupUnavailableError(`no memory and pids controllers under ${CGROUP_ROOT}`);
  const relative = `/${BUILDS}/${name}`;
  try {
    if (found.version === 1) {
      const pids = join(CGROUP_ROOT, 'pids', BUILDS, name);
      const memory = join(CGROUP_ROOT, 'memory', BUILDS, name);
      await mkdir(pids, { recursive: true });
      await mkdir(memory, { recursive: true });
      await writeFile(join(pids, 'pids.max'), String(limits.maxProcesses));
      await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    } else {
      const parent = join(CGROUP_ROOT, BUILDS);
      await mkdir(parent, { recursive: true });
      await writeFile(join(CGROUP_ROOT, 'cgroup.subtree_control'), '+memory +pids');
      await writeFile(join(parent, 'cgroup.subtree_control'), '+memory +pids');
      const own = join(parent, name);
      await mkdir(own, { recursive: true });
      await writeFile(join(own, 'pids.max'), String(limits.maxProcesses));
      await writeFile(join(own, 'memory.max'), String(limits.memoryBytes));
      await writeFile(join(own, 'memory.swap.max'), '0').catch(() => undefined);
    }
  } catch (error) {
    await removeEverywhere(relative).catch(() => undefined);
    throw new BuildCgroupUnavailableError((error as Error).message, { cause: error });
  }
  return {
    runParent: `${relative}/run`,
    async memoryLimitHit() {
      if (found.version === 1) {
        const dir = join(CGROUP_ROOT, 'memory', BUILDS, name);
        const failcnt = Number((await readFile(join(dir, 'memory.failcnt'), 'utf8').catch(() => '0')).trim());
        const oom = await readFile(join(dir, 'memory.oom_control'), 'utf8').catch(() => '');
        return failcnt > 0 || /^oom_kill [1-9]/m.test(oom);
      }
      const events = await readFile(join(CGROUP_ROOT, BUILDS, name, 'memory.events'), 'utf8').catch(() => '');
      return /^(max|oom|oom_kill) [1-9]/m.test(events);
    },
    remove: () => removeEverywhere(relative),
  };
}

// runc makes the parent path in every hierarchy (cpu, devices, freezer…), so each gets its copy removed, deepest
// first; a process still in one (none should be: the build's PID namespace ended with its step) is killed first.
async function removeEverywhere(relative: string): Promise<void> {
  const hierarchies = existsSync(join(CGROUP_ROOT, 'cgroup.controllers'))
    ? ['']
    : await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  for (const hierarchy of hierarchies) {
    const top = join(CGROUP_ROOT, hierarchy, relative);
    if (!existsSync(top)) continue;
    await removeTree(top);
  }
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
  for (let attempt = 0; attempt < 20; attempt++) {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const pid of procs.split('\n').filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
