import { constants } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildService } from '../../core/ports/build-service.js';
import { ToolMissingError } from '../../core/ports/build-service.js';

/** The catalogue versions seeded by default: two, so that one can be banned and replaced by the other. */
export const BUSYBOX_BASE_VERSIONS = ['1.36.0', '1.36.1'] as const;

/** Options of `seedBusyboxBases`. */
export interface BusyboxBaseSeedOptions {
  /** Builds the images (the buildah build service locally). */
  readonly builder: BuildService;
  /** Pushes a locally built image to the registry under the same reference and returns the registry's digest. */
  readonly push: (localTag: string) => Promise<{ digest: string }>;
  /** Registry host the references name, like `127.0.0.1:5000`. */
  readonly registryHost: string;
  /** Repository inside the registry. @default 'base/busybox' */
  readonly repository?: string;
  /** Versions to seed, each a tag, a label and the os-release VERSION. @default BUSYBOX_BASE_VERSIONS */
  readonly versions?: readonly string[];
  /** The statically linked busybox put into the images. @default '/bin/busybox' (Debian's busybox-static) */
  readonly busybox?: string;
  /** Time limit of each build. @default 120000 */
  readonly timeoutMs?: number;
  /** Where the build contexts are made (the state dir's scratch space, swept at start). @default os.tmpdir() */
  readonly workDir?: string;
  readonly log?: (line: string) => void;
}

/** A seeded base image: its registry reference, the registry's manifest digest and the local image ID. */
export interface SeededBase {
  readonly ref: string;
  readonly version: string;
  readonly digest: string;
  readonly imageId: string;
}

/**
 * Builds the busybox-static base catalogue (`FROM scratch`, the busybox binary, its applets installed as
 * symlinks, os-release saying `drydock-busybox VERSION`) and pushes each version; returns them in order.
 */
export async function seedBusyboxBases(options: BusyboxBaseSeedOptions): Promise<SeededBase[]> {
  const busybox = options.busybox ?? '/bin/busybox';
  const repository = options.repository ?? 'base/busybox';
  const log = options.log ?? (() => undefined);
  try {
    await access(busybox, constants.X_OK);
  } catch (error) {
    throw new ToolMissingError(busybox, 'busybox-static', { cause: error });
  }
  const seeded: SeededBase[] = [];
  for (const version of options.versions ?? BUSYBOX_BASE_VERSIONS) {
    const ref = `${options.registryHost}/${repository}:${version}`;
    const context = await mkdtemp(join(options.workDir ?? tmpdir(), 'drydock-seed-'));
    try {
      const dockerfileText = await writeBusyboxBaseContext(context, version, busybox);
      const built = await options.builder.build({
        buildId: `seed-busybox-${version}`,
        contextDir: context,
        dockerfileText,
        tag: ref,
        labels: busyboxBaseLabels(version),
        timeoutMs: options.timeoutMs ?? 120_000,
        log,
      });
      const { digest } = await options.push(ref);
      log(`seeded ${ref}@${digest}`);
      seeded.push({ ref, version, digest, imageId: built.imageId });
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  }
  return seeded;
}

/** The OCI labels of a seeded busybox base. */
export function busyboxBaseLabels(version: string): Record<string, string> {
  return {
    'org.opencontainers.image.title': 'drydock-busybox',
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.description': 'busybox-static on scratch, seeded by drydock bases seed',
    'org.opencontainers.image.vendor': 'drydock',
  };
}

/**
 * Writes the build context of a busybox base into `dir` (a rootfs with the binary, os-release, passwd, group
 * and /tmp) and returns its Dockerfile text; the build installs the applets, which also proves the binary runs.
 */
export async function writeBusyboxBaseContext(
  dir: string,
  version: string,
  busybox = '/bin/busybox',
): Promise<string> {
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'etc', 'tmp', 'root']) await mkdir(join(rootfs, sub), { recursive: true });
  await copyFile(busybox, join(rootfs, 'bin', 'busybox'));
  await writeFile(
    join(rootfs, 'etc', 'os-release'),
    `NAME="drydock-busybox"\nID=drydock-busybox\nVERSION="${version}"\nVERSION_ID="${version}"\n` +
      `PRETTY_NAME="drydock-busybox ${version}"\n`,
  );
  await writeFile(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    'RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && chmod 1777 /tmp"]',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'CMD ["/bin/sh"]',
    '',
  ].join('\n');
}
