import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
}

const quote = (value: string): string => JSON.stringify(value);

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
 * Writes storage.conf (vfs, storage inside the state dir), registries.conf (no unqualified search, the given
 * registries insecure), containers.conf (runc, cgroupfs, file events) and an empty auth file under
 * `<stateDir>/containers`, and returns the environment that makes buildah and podman use them.
 */
export async function prepareContainerEnv(
  stateDir: string,
  options: ContainerEnvOptions = {},
): Promise<ContainerEnv> {
  const root = join(stateDir, 'containers');
  const tmp = join(root, 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });

  const storageConf = join(root, 'storage.conf');
  const registriesConf = join(root, 'registries.conf');
  const containersConf = join(root, 'containers.conf');
  const authFile = join(root, 'auth.json');
  const registries = (options.insecureRegistries ?? []).map(
    (host) => `[[registry]]\nlocation = ${quote(host)}\ninsecure = true\n`,
  );
  await Promise.all([
    writeFile(
      storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = ${quote(join(root, 'storage'))}\nrunroot = ${quote(join(root, 'run'))}\n`,
    ),
    writeFile(registriesConf, ['unqualified-search-registries = []\n', ...registries].join('\n')),
    writeFile(
      containersConf,
      [
        '[containers]',
        'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]',
        '[engine]',
        'runtime = "runc"',
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        '',
      ].join('\n'),
    ),
    createAuthFile(authFile),
  ]);
  return {
    root,
    env: {
      CONTAINERS_STORAGE_CONF: storageConf,
      CONTAINERS_REGISTRIES_CONF: registriesConf,
      CONTAINERS_CONF: containersConf,
      REGISTRY_AUTH_FILE: authFile,
      BUILDAH_ISOLATION: 'chroot',
      TMPDIR: tmp,
    },
  };
}
