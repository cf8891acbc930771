import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DebootstrapFailedError,
  mountsUnder,
  seedDebianBase,
  unmountUnder,
} from '../../../adapters/local/debian-base-seeder.js';
import { ToolMissingError } from '../../../core/errors.js';
import { pushTo } from '../../../runtime/local/bases.js';
import { type LocalRegistry, startLocalRegistry } from '../../helpers/local-registry.js';

// debootstrap itself downloads ~30 MB from a Debian mirror and takes about half a minute here; it runs
// when DRYDOCK_TEST_DEBOOTSTRAP=1. The stand-ins below run everywhere: they leave what a real debootstrap
// leaves (or a crashed one: a mount inside the rootfs) so that the trimming, import and clean-up are real.
const REAL_DEBOOTSTRAP = process.env.DRYDOCK_TEST_DEBOOTSTRAP === '1';

let local: LocalRegistry;
let dir: string;

beforeAll(async () => {
  local = await startLocalRegistry('drydock-debian-');
  dir = mkdtempSync(join(tmpdir(), 'drydock-debootstrap-test-'));
}, 60_000);

afterAll(async () => {
  if (dir) {
    await unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  await local?.stop();
});

/** An executable stand-in for debootstrap: `$3` is the target, as for `debootstrap --variant=minbase SUITE DIR MIRROR`. */
function fakeDebootstrap(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nset -e\ntarget="$3"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const SUCCEEDS = `
mkdir -p "$target/bin" "$target/etc" "$target/proc" "$target/dev" "$target/tmp" \\
  "$target/var/cache/apt/archives/partial" "$target/var/lib/apt/lists/partial"
cp /bin/busybox "$target/bin/busybox"
for a in sh ls cat; do ln -s busybox "$target/bin/$a"; done
echo "$@" > "$target/etc/debootstrap-args"
echo vm > "$target/etc/hostname"
echo "nameserver 10.0.0.1" > "$target/etc/resolv.conf"
echo deb > "$target/var/cache/apt/archives/bash_5.2_amd64.deb"
echo lists > "$target/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease"
mknod "$target/dev/null" c 1 3
# A mount left behind, as a debootstrap killed mid-way leaves /proc.
mount -t tmpfs drydock-test "$target/proc"
echo host-only > "$target/proc/marker"
echo "I: Base system installed successfully."
`;

const FAILS = `
mkdir -p "$target/proc" "$target/debootstrap"
mount -t tmpfs drydock-test "$target/proc"
echo "W: Failure trying to run: chroot $target mount -t proc proc /proc" > "$target/debootstrap/debootstrap.log"
echo "E: Failed getting release file http://mirror.invalid/debian/dists/bookworm/Release" >&2
exit 1
`;

describe('seedDebianBase', () => {
  it('trims the bootstrapped rootfs, imports it, and unmounts and removes its work dir', async () => {
    const work = mkdtempSync(join(dir, 'work-'));
    const lines: string[] = [];
    const seeded = await seedDebianBase({
      builder: local.builder,
      push: pushTo(local.registry),
      registryHost: local.host,
      debootstrap: fakeDebootstrap('debootstrap-ok', SUCCEEDS),
      mirror: 'http://mirror.example/debian',
      workDir: work,
      log: (l) => lines.push(l),
    });
    expect(seeded).toMatchObject({ ref: `${local.host}/base/debian:bookworm`, suite: 'bookworm' });
    expect(lines).toContain('I: Base system installed successfully.');
    expect((await local.registry.inspect('base/debian:bookworm'))?.labels).toMatchObject({
      'org.opencontainers.image.title': 'drydock-debian',
      'org.opencontainers.image.version': 'bookworm',
      'org.opencontainers.image.source': 'http://mirror.example/debian',
    });
    // Read from the image's own filesystem: a container would show podman's /etc/hostname and /dev.
    const container = (await local.tool('buildah', ['from', '--pull=never', seeded.ref])).trim();
    try {
      const root = (await local.tool('buildah', ['mount', container])).trim();
      expect(readFileSync(join(root, 'etc/debootstrap-args'), 'utf8')).toMatch(
        /^--variant=minbase bookworm \/.+\/rootfs http:\/\/mirror\.example\/debian\n$/,
      );
      // The downloaded packages, apt lists, device nodes, and the host's hostname and resolver are gone; the
      // tmpfs left mounted on /proc did not get into the image.
      expect(readdirSync(join(root, 'var/cache/apt/archives'))).toEqual(['partial']);
      expect(readdirSync(join(root, 'var/lib/apt/lists'))).toEqual(['partial']);
      expect(readdirSync(join(root, 'dev'))).toEqual([]);
      expect(readdirSync(join(root, 'proc'))).toEqual([]);
      expect(existsSync(join(root, 'etc/hostname'))).toBe(false);
      expect(readFileSync(join(root, 'etc/resolv.conf'), 'utf8')).toBe('');
    } finally {
      await local.tool('buildah', ['rm', container]);
    }
    expect(await local.runIn(seeded.ref, 'ls /bin/busybox')).toBe('/bin/busybox\n');
    expect(await mountsUnder(work)).toEqual([]);
    expect(readdirSync(work)).toEqual([]);
  });

  it('fails with the end of debootstrap output and log, and still unmounts and removes its work dir', async () => {
    const work = mkdtempSync(join(dir, 'work-'));
    const error = await seedDebianBase({
      builder: local.builder,
      push: pushTo(local.registry),
      registryHost: local.host,
      repository: 'base/debian-broken',
      debootstrap: fakeDebootstrap('debootstrap-fails', FAILS),
      mirror: 'http://mirror.invalid/debian',
      workDir: work,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DebootstrapFailedError);
    const message = (error as Error).message;
    expect(message).toMatch(/^debootstrap bookworm from http:\/\/mirror\.invalid\/debian exited with 1\n/);
    expect(message).toContain(
      '  | E: Failed getting release file http://mirror.invalid/debian/dists/bookworm/Release',
    );
    expect(message).toContain('  | W: Failure trying to run: chroot');
    expect(await mountsUnder(work)).toEqual([]);
    expect(readdirSync(work)).toEqual([]);
    expect(await local.registry.tags('base/debian-broken')).toEqual([]);
  });

  it('names the Debian package when debootstrap is missing', async () => {
    const error = await seedDebianBase({
      builder: local.builder,
      push: pushTo(local.registry),
      registryHost: local.host,
      debootstrap: join(dir, 'no-debootstrap'),
      workDir: dir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as Error).message).toContain('install the Debian package "debootstrap"');
  });

  it.runIf(REAL_DEBOOTSTRAP)(
    'bootstraps a real Debian bookworm minbase from the mirror; apt and dpkg work in it',
    async () => {
      const lines: string[] = [];
      const started = Date.now();
      const seeded = await seedDebianBase({
        builder: local.builder,
        push: pushTo(local.registry),
        registryHost: local.host,
        repository: 'base/debian-real',
        workDir: dir,
        log: (l) => lines.push(l),
      });
      console.log(`debootstrap + import + push: ${Date.now() - started} ms`);
      expect(lines).toContain('I: Base system installed successfully.');
      const out = await local.runIn(
        seeded.ref,
        '. /etc/os-release && echo "$ID $VERSION_CODENAME" && dpkg-query -W -f="\\${Status}\\n" apt && ls /var/lib/apt/lists',
      );
      expect(out).toBe('debian bookworm\ninstall ok installed\npartial\n');
    },
    600_000,
  );
});
