import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from './parent-death-signal.js';

export { ToolMissingError } from '../../core/errors.js';

/** Options of `prepareContainerEnv`. */
export interface ContainerEnvOptions {
  /** Registries (`host:port`) reached over plain HTTP, like the local registry's guard. @default [] */
  readonly insecureRegistries?: readonly string[];
}

/** The containers/* configuration of one state dir and the variables that point child processes at it. */
export interface ContainerEnv {
  /** Variables to add to the environment of buildah, podman and skopeo children; never set them on `process.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** `<stateDir>/containers`: the config files, image storage (`storage/`), run root (`run/`) and `tmp/`. */
  readonly root: string;
  /**
   * buildah's temp dir for builds (`DRYDOCK_BUILD_TMPDIR`), where the bundles of RUN steps go: under /run, since
   * root of a build's user namespace must be able to walk down to its bundle, which the state dir may not allow.
   */
  readonly buildTmp: string;
}

const quote = (value: string): string => JSON.stringify(value);

/** Where each state dir gets the temp dir of its builds (see `ContainerEnv.buildTmp`). */
export const BUILD_TMP_ROOT = '/run/drydock-builds';

// An own auth file keeps buildah away from the user's credentials (~/.docker, $XDG_RUNTIME_DIR/containers);
// one that exists is kept, with whatever logins it holds.
async function createAuthFile(path: string): Promise<void> {
  try {
    await writeFile(path, '{"auths":{}}\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The OCI runtime of builds: runc, after giving the container's root directory to the container's root user.
 * buildah 1.28 with `--userns=auto` leaves that directory owned by the host's root (podman chowns it, buildah
 * does not), so root in a RUN could neither create /proc for runc nor write a file in /. Only the one directory
 * named as `root.path` in the bundle's config.json changes owner, to the host ids that uid and gid 0 map to; without
 * a user namespace nothing is changed.
 */
export function buildRuntimeScript(runc: string): string {
  return String.raw`#!/bin/sh
# Written by drydock (adapters/local/container-env.ts): runc for buildah builds in a user namespace.
if [ "$1" = create ] && [ "$2" = --bundle ] && [ -f "$3/config.json" ]; then
  ids=$(sed -n 's/.*"uidMappings":\[{"containerID":0,"hostID":\([0-9]*\),.*"gidMappings":\[{"containerID":0,"hostID":\([0-9]*\),.*/\1:\2/p' "$3/config.json")
  root=$(sed -n 's/.*"root":{"path":"\([^"\\]*\)".*/\1/p' "$3/config.json")
  if [ -n "$ids" ] && [ -n "$root" ]; then
    chown "$ids" "$root" || exit 1
  fi
fi
exec ${JSON.stringify(runc)} "$@"
`;
}

async function writeBuildRuntime(path: string): Promise<void> {
  const runc = findExecutable('runc', process.env.PATH) ?? '/usr/sbin/runc';
  await writeFile(path, buildRuntimeScript(runc), { mode: 0o700 });
  // An existing file keeps its mode through writeFile.
  await chmod(path, 0o700);
}

/** The bridge of `build.network: egress` builds: its own subnet and interface, which the host firewall knows. */
export const BUILD_NETWORK = {
  name: 'drydock-build',
  bridge: 'ddbuild0',
  subnet: '10.89.200.0/24',
  gateway: '10.89.200.1',
} as const;

// A netavark network definition, as `podman network create` writes it; the id is fixed so rewriting is idempotent.
async function writeBuildNetwork(dir: string): Promise<void> {
  const network = {
    name: BUILD_NETWORK.name,
    id: createHash('sha256').update(BUILD_NETWORK.name).digest('hex'),
    driver: 'bridge',
    network_interface: BUILD_NETWORK.bridge,
    created: '2026-01-01T00:00:00Z',
    subnets: [{ subnet: BUILD_NETWORK.subnet, gateway: BUILD_NETWORK.gateway }],
    ipv6_enabled: false,
    internal: false,
    dns_enabled: false,
    ipam_options: { driver: 'host-local' },
  };
  await writeFile(join(dir, `${BUILD_NETWORK.name}.json`), `${JSON.stringify(network, null, 2)}\n`);
}

/**
 * containers.conf of a state dir: runc, cgroupfs, file events, netavark with the networks in `networks`, and OCI hooks
 * from `hooksDir` when given (the fleet's podman only: builds and image tests run no admission hook).
 */
export function containersConfText(networks: string, hooksDir?: string): string {
  return [
    '[containers]',
    'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]',
    '[engine]',
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    ...(hooksDir === undefined ? [] : [`hooks_dir = [${quote(hooksDir)}]`]),
    '[network]',
    'network_backend = "netavark"',
    `network_config_dir = ${quote(networks)}`,
    '',
  ].join('\n');
}

/**
 * Writes storage.conf (vfs, storage inside the state dir), registries.conf (no unqualified search, the given
 * registries insecure), containers.conf (runc, cgroupfs, file events, netavark with the build network), the build runtime (`build-runtime`) and an
 * empty auth file under `<stateDir>/containers`, and returns the environment that makes buildah and podman use them.
 */
export async function prepareContainerEnv(
  stateDir: string,
  options: ContainerEnvOptions = {},
): Promise<ContainerEnv> {
  const root = join(stateDir, 'containers');
  const tmp = join(root, 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  const buildTmp = join(BUILD_TMP_ROOT, createHash('sha256').update(root).digest('hex').slice(0, 16));
  await mkdir(BUILD_TMP_ROOT, { recursive: true, mode: 0o711 });
  // Search only: the build's root may walk down to its own bundle, nobody may list the bundles.
  await mkdir(buildTmp, { recursive: true, mode: 0o711 });
  await chmod(buildTmp, 0o711);

  const storageConf = join(root, 'storage.conf');
  const registriesConf = join(root, 'registries.conf');
  const containersConf = join(root, 'containers.conf');
  const authFile = join(root, 'auth.json');
  const registries = (options.insecureRegistries ?? []).map(
    (host) => `[[registry]]\nlocation = ${quote(host)}\ninsecure = true\n`,
  );
  const runtime = join(root, 'build-runtime');
  const networks = join(root, 'networks');
  await mkdir(networks, { recursive: true, mode: 0o700 });
  await Promise.all([
    writeBuildRuntime(runtime),
    writeFile(
      storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = ${quote(join(root, 'storage'))}\nrunroot = ${quote(join(root, 'run'))}\n`,
    ),
    writeFile(registriesConf, ['unqualified-search-registries = []\n', ...registries].join('\n')),
    writeFile(containersConf, containersConfText(networks)),
    writeBuildNetwork(networks),
    createAuthFile(authFile),
  ]);
  return {
    root,
    buildTmp,
    env: {
      CONTAINERS_STORAGE_CONF: storageConf,
      CONTAINERS_REGISTRIES_CONF: registriesConf,
      CONTAINERS_CONF: containersConf,
      REGISTRY_AUTH_FILE: authFile,
      // Every buildah command that runs something does so in a container with its own namespaces, never chroot.
      BUILDAH_ISOLATION: 'oci',
      BUILDAH_RUNTIME: runtime,
      TMPDIR: tmp,
      DRYDOCK_BUILD_TMPDIR: buildTmp,
    },
  };
}
