import { spawn } from 'node:child_process';
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
  /** Whether the build's processes reached their limit (the kernel then refused a fork). */
  processLimitHit(): Promise<boolean>;
  /** Removes the build's cgroup in every hierarchy runc made it in; kills what is still in it first. */
  remove(): Promise<void>;
  /**
   * Starts a guard that kills every process of the build's cgroup once this process dies (SIGKILL included): a RUN
   * step's processes are children of buildah's runtime monitor, not of buildah, so no parent-death signal reaches
   * them. The returned function stops the guard, for a build that ended normally.
   */
  guard(): () => void;
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
 * Makes `/drydock-builds/<scope>/<name>` (scope: one per state dir) with the build's memory and process limits (cgroup v1: in the memory and pids
 * hierarchies; v2: one cgroup with both controllers enabled above it). runc puts each RUN step in a child of it, so
 * the limits hold for the build's steps together and the memory counters survive the steps.
 */
export async function createBuildCgroup(
  scope: string,
  name: string,
  limits: BuildCgroupLimits,
): Promise<BuildCgroup> {
  for (const part of [scope, name]) {
    if (!/^[A-Za-z0-9_.-]+$/.test(part)) throw new BuildCgroupUnavailableError(`bad cgroup name ${part}`);
  }
  const found = layout();
  if (!found) throw new BuildCgroupUnavailableError(`no memory and pids controllers under ${CGROUP_ROOT}`);
  const relative = `/${BUILDS}/${scope}/${name}`;
  try {
    if (found.version === 1) {
      const pids = join(CGROUP_ROOT, 'pids', relative);
      const memory = join(CGROUP_ROOT, 'memory', relative);
      await mkdir(pids, { recursive: true });
      await mkdir(memory, { recursive: true });
      await writeFile(join(pids, 'pids.max'), String(limits.maxProcesses));
      await writeFile(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    } else {
      // Each level above the build's cgroup hands the memory and pids controllers down.
      for (const level of [CGROUP_ROOT, join(CGROUP_ROOT, BUILDS), join(CGROUP_ROOT, BUILDS, scope)]) {
        await mkdir(level, { recursive: true });
        await writeFile(join(level, 'cgroup.subtree_control'), '+memory +pids');
      }
      const own = join(CGROUP_ROOT, relative);
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
        const dir = join(CGROUP_ROOT, 'memory', relative);
        const failcnt = Number((await readFile(join(dir, 'memory.failcnt'), 'utf8').catch(() => '0')).trim());
        const oom = await readFile(join(dir, 'memory.oom_control'), 'utf8').catch(() => '');
        return failcnt > 0 || /^oom_kill [1-9]/m.test(oom);
      }
      const events = await readFile(join(CGROUP_ROOT, relative, 'memory.events'), 'utf8').catch(() => '');
      return /^(max|oom|oom_kill) [1-9]/m.test(events);
    },
    async processLimitHit() {
      const dir = join(CGROUP_ROOT, found.version === 1 ? 'pids' : '', relative);
      const events = await readFile(join(dir, 'pids.events'), 'utf8').catch(() => '');
      // pids.peak (Linux 6.1+) is the most the cgroup ever held; a refused fork is counted in the step's own
      // cgroup, which runc has removed by now.
      const peak = Number((await readFile(join(dir, 'pids.peak'), 'utf8').catch(() => '0')).trim());
      return /^max [1-9]/m.test(events) || peak >= limits.maxProcesses;
    },
    async remove() {
      await removeEverywhere(relative);
      // The scope's own directory too, once no other build of it runs (rmdir refuses a non-empty one).
      await removeEverywhere(`/${BUILDS}/${scope}`, false);
    },
    guard() {
      const procs = join(CGROUP_ROOT, found.version === 1 ? 'pids' : '', relative);
      // Waits for end of file on its stdin, which only this process holds: the end of this process.
      const script = `read _; for i in 1 2 3 4 5; do find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null; sleep 0.2; done`;
      const guard = spawn('/bin/sh', ['-c', script, 'drydock-build-guard', procs], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
      });
      guard.on('error', () => undefined);
      guard.stdin?.on('error', () => undefined);
      guard.unref();
      return () => {
        try {
          guard.kill('SIGKILL');
        } catch {
          // Gone already.
        }
      };
    },
  };
}

/** Removes the cgroups of every build of one scope (a state dir), killing what runs in them: for a start after a crash. */
export async function removeBuildCgroups(scope: string): Promise<void> {
  if (!/^[A-Za-z0-9_.-]+$/.test(scope)) return;
  await removeEverywhere(`/${BUILDS}/${scope}`);
}

// runc makes the parent path in every hierarchy (cpu, devices, freezer…), so each gets its copy removed, deepest
// first; a process still in one (none should be: the build's PID namespace ended with its step) is killed first.
async function removeEverywhere(relative: string, recursive = true): Promise<void> {
  const hierarchies = existsSync(join(CGROUP_ROOT, 'cgroup.controllers'))
    ? ['']
    : await readdir(CGROUP_ROOT).catch(() => [] as string[]);
  for (const hierarchy of hierarchies) {
    const top = join(CGROUP_ROOT, hierarchy, relative);
    if (!existsSync(top)) continue;
    if (recursive) await removeTree(top);
    else await rmdir(top).catch(() => undefined);
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
