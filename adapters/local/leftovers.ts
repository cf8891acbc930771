import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeBuildCgroups } from './build-cgroup.js';
import { buildCgroupScope } from './buildah-build-service.js';
import type { ContainerEnv } from './container-env.js';
import { runTool } from './run-tool.js';

/** What a killed run left behind in a state dir's container storage, and the next start removed. */
export interface Leftovers {
  /** buildah and podman processes still running on the state dir's storage (they run in their own process group). */
  readonly processes: number;
  /** Containers of image tests (`io.drydock.role=image-test`), which stay up until removed. */
  readonly testContainers: number;
  /** buildah working containers of interrupted builds. */
  readonly workingContainers: number;
  /** Build workspaces and tool temp files under `containers/tmp` and the build temp dir (RUN step bundles). */
  readonly tempEntries: number;
}

const TEST_CONTAINER_LABEL = 'io.drydock.role=image-test';
const STEP_TIMEOUT_MS = 30_000;
const TERM_GRACE_MS = 2_000;

/**
 * Removes what a drydock start that was killed (SIGKILL, power loss) left in its state dir: the build and test
 * tools it had started, which outlive it in their own process groups and would go on writing the image tag a
 * resumed build writes too, then their containers and temp files. Only for a start holding the state dir's lock,
 * before its workers run: every such process and container is then a leftover.
 */
export async function removeLeftovers(containerEnv: ContainerEnv): Promise<Leftovers> {
  const processes = await endToolProcesses(containerEnv);
  const testContainers = await removeContainers(
    'podman',
    ['ps', '--all', '--quiet', '--filter', `label=${TEST_CONTAINER_LABEL}`],
    (ids) => ['rm', '--force', '--time', '0', ...ids],
    containerEnv,
  );
  const workingContainers = await removeContainers(
    'buildah',
    ['containers', '--quiet'],
    (ids) => ['rm', ...ids],
    containerEnv,
  );
  // RUN steps of a killed build (children of buildah's runtime monitor, which the build's guard normally ends).
  await removeBuildCgroups(buildCgroupScope(containerEnv.env));
  let tempEntries = 0;
  for (const tmp of [join(containerEnv.root, 'tmp'), containerEnv.env.DRYDOCK_BUILD_TMPDIR]) {
    if (tmp === undefined) continue;
    const entries = await readdir(tmp).catch(() => [] as string[]);
    for (const entry of entries) await rm(join(tmp, entry), { recursive: true, force: true });
    tempEntries += entries.length;
  }
  return { processes, testContainers, workingContainers, tempEntries };
}

/** Pids of the processes (other than this one) whose environment points at this container storage. */
async function toolProcesses(containerEnv: ContainerEnv): Promise<number[]> {
  const marker = `CONTAINERS_STORAGE_CONF=${containerEnv.env.CONTAINERS_STORAGE_CONF}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    // Another user's process, or one that just ended, cannot be read: it is not ours.
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(marker)) pids.push(Number(entry));
  }
  return pids;
}

async function endToolProcesses(containerEnv: ContainerEnv): Promise<number> {
  const found = await toolProcesses(containerEnv);
  if (found.length === 0) return 0;
  // SIGTERM first: buildah then removes its working container and unmounts what it mounted.
  signalAll(found, 'SIGTERM');
  const deadline = Date.now() + TERM_GRACE_MS;
  let left = found;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await toolProcesses(containerEnv);
  }
  if (left.length > 0) {
    signalAll(left, 'SIGKILL');
    for (let i = 0; i < 10 && (await toolProcesses(containerEnv)).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return found.length;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, signal);
      } catch {
        // Not a group leader, or gone already.
      }
    }
  }
}

async function removeContainers(
  tool: 'podman' | 'buildah',
  list: readonly string[],
  remove: (ids: readonly string[]) => readonly string[],
  containerEnv: ContainerEnv,
): Promise<number> {
  const run = (args: readonly string[]) =>
    runTool({ command: tool, args, env: containerEnv.env, timeoutMs: STEP_TIMEOUT_MS, debianPackage: tool });
  const listed = await run(list);
  const ids = listed.exitCode === 0 ? listed.stdout.split('\n').filter((id) => id.trim() !== '') : [];
  if (ids.length > 0) await run(remove(ids));
  return ids.length;
}
