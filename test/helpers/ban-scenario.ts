// The set-up the ban end-to-end tests and bench:protect share: a `drydock start` on a state dir, the policy
// extended with the ops base and a band-aid, definitions pushed through the post-receive hook and waited for
// until published, the fleet's podman, and the clean-up of all of it.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildSummary, ImageSummary } from '../../runtime/local/api-types.js';
import { type DrydockProcess, drydock, pushFiles, removeState, waitFor } from './drydock-process.js';

/** A container's command that keeps it running as an unprivileged user: the tail of every fleet app. */
export const SLEEPER = 'USER 65534\nCMD ["sleep", "3600"]\n';

/** The `drydock` CLI on one state dir; `--state` goes before `--`, after which words are the container's. */
export function stateCli(state: string) {
  return (command: readonly string[], ...rest: string[]) => drydock([...command, '--state', state, ...rest]);
}

/** The fleet's podman as a host's operator would run it by hand: the state dir's storage and configuration, whose containers.conf names drydock's admission hook. */
export function fleetPodman(
  state: string,
  args: readonly string[],
  timeout = 60_000,
): SpawnSyncReturns<string> {
  const conf = join(state, 'containers');
  return spawnSync('podman', args, {
    env: {
      ...process.env,
      CONTAINERS_CONF: join(conf, 'fleet-containers.conf'),
      CONTAINERS_STORAGE_CONF: join(conf, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(conf, 'registries.conf'),
    },
    encoding: 'utf8',
    timeout,
  });
}

/** Waits until the image of one definition at one commit is published; throws at once if its build failed. */
export async function publishedImage(
  daemon: DrydockProcess,
  repository: string,
  definition: string,
  commit: string,
  timeoutMs = 240_000,
): Promise<ImageSummary> {
  return waitFor(
    `the image of ${repository}/${definition}`,
    async () => {
      const { images } = await daemon.api.get<{ images: ImageSummary[] }>('/api/images');
      const found = images.find(
        (i) => i.repository === repository && i.definition === definition && i.commit === commit,
      );
      if (found) return found;
      const { builds } = await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds?limit=200');
      const failed = builds.find(
        (b) => b.repository === repository && b.definition === definition && b.state === 'failed',
      );
      if (failed) throw new Error(`${repository}/${definition} failed: ${failed.error}`);
      return undefined;
    },
    timeoutMs,
  );
}

/** Creates a repository through the CLI and pushes `files` to it from a work tree under `root`; the commit. */
export async function pushRepo(
  state: string,
  root: string,
  repository: string,
  files: Record<string, string>,
): Promise<string> {
  const created = await stateCli(state)(['repo', 'create', repository]);
  const remote = created.stdout.trim().split('\n').at(-1) ?? '';
  return pushFiles(join(root, `${repository}-work`), remote, files);
}

/** The policy lines (under `admit:`) that admit the ops base drydock builds from the `ops` repository. */
export function opsBaseAdmission(host: string): string[] {
  return [
    `  - image: ${host}/apps/ops/base`,
    '    tags: ["*"]',
    '    note: the ops base image, built by drydock',
  ];
}

/** The policy lines of the `stamp-containers` band-aid: writes its typed `note` parameter to /tmp/band-aid. */
export function stampBandAid(host: string, limits: { maxErrors: number; maxConcurrency?: number }): string[] {
  return [
    '  - id: stamp-containers',
    '    description: leave a note in every container of an affected image',
    '    command: ["/bin/sh", "-c", "echo \\"$1\\" > /tmp/band-aid", "band-aid", "{{note}}"]',
    '    params:',
    '      note: { pattern: "[a-z0-9-]{1,32}" }',
    `    appliesTo: ["${host}/apps/**"]`,
    '    timeoutSeconds: 20',
    ...(limits.maxConcurrency === undefined ? [] : [`    maxConcurrency: ${limits.maxConcurrency}`]),
    `    maxErrors: ${limits.maxErrors}`,
  ];
}

/** Appends `lines` to the state dir's policy.yaml and answers `drydock policy validate` of the result. */
export async function extendPolicy(state: string, lines: readonly string[]) {
  const file = join(state, 'policy.yaml');
  await appendFile(file, [...lines, ''].join('\n'));
  return drydock(['policy', 'validate', file]);
}

/** The ops base on busybox 1.36.0 and, in `shop`, web on the ops base and api on busybox 1.36.0, published. */
export interface OpsBaseAndApps {
  readonly opsCommit: string;
  readonly opsBase: ImageSummary;
  readonly shopCommit: string;
  readonly web: ImageSummary;
  readonly api: ImageSummary;
}

/** Pushes the ops base, then the shop apps (with `moreShopFiles` in the same commit), and waits for each. */
export async function publishOpsBaseAndApps(
  daemon: DrydockProcess,
  state: string,
  root: string,
  moreShopFiles: Record<string, string> = {},
): Promise<OpsBaseAndApps> {
  const host = daemon.info.registry;
  const opsCommit = await pushRepo(state, root, 'ops', {
    'base/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nRUN echo ops > /etc/ops-base\nUSER 65534\n`,
  });
  const opsBase = await publishedImage(daemon, 'ops', 'base/Dockerfile', opsCommit);
  const shopCommit = await pushRepo(state, root, 'shop', {
    'web/Dockerfile': `FROM ${opsBase.ref}\n${SLEEPER}`,
    'api/Dockerfile': `FROM ${host}/base/busybox:1.36.0\n${SLEEPER}`,
    ...moreShopFiles,
  });
  const web = await publishedImage(daemon, 'shop', 'web/Dockerfile', shopCommit);
  const api = await publishedImage(daemon, 'shop', 'api/Dockerfile', shopCommit);
  return { opsCommit, opsBase, shopCommit, web, api };
}

/** Removes every fleet container, stops the daemon and removes `dir` (default the state dir, podman's storage included). */
export async function removeBanScenario(
  state: string,
  daemon: DrydockProcess | undefined,
  dir = state,
): Promise<void> {
  fleetPodman(state, ['rm', '--force', '--all', '--time', '0'], 120_000);
  await daemon?.stop();
  await removeState(dir);
}
