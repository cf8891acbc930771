import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseSourceError, importRootfsBase } from '../../../adapters/local/rootfs-base-importer.js';
import { InvalidImageTargetError } from '../../../core/ports/image-registry.js';
import { pushTo } from '../../../runtime/local/bases.js';
import { type LocalRegistry, startLocalRegistry } from '../../helpers/local-registry.js';

let local: LocalRegistry;
let dir: string;
let rootfs: string;

/** A busybox-static rootfs with an owned file, a sticky /tmp, symlinked applets and a hard link. */
function writeRootfs(root: string): void {
  for (const sub of ['bin', 'etc', 'tmp', 'srv']) mkdirSync(join(root, sub), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const applet of ['sh', 'stat', 'readlink', 'cat', 'ls', 'id'])
    symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(
    join(root, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1234:5678::/srv:/bin/sh\n',
  );
  writeFileSync(join(root, 'srv', 'secret'), 'only app reads this\n');
  chownSync(join(root, 'srv', 'secret'), 1234, 5678);
  chmodSync(join(root, 'srv', 'secret'), 0o640);
  execFileSync('ln', [join(root, 'srv', 'secret'), join(root, 'srv', 'secret-link')]);
  chmodSync(join(root, 'tmp'), 0o1777);
}

const PROBE =
  'stat -c "%u:%g %a %h" /srv/secret && readlink /bin/sh && stat -c %a /tmp && cat /srv/secret && echo "$PATH"';
const PROBED =
  '1234:5678 640 2\nbusybox\n1777\nonly app reads this\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n';

beforeAll(async () => {
  local = await startLocalRegistry('drydock-import-');
  dir = mkdtempSync(join(tmpdir(), 'drydock-rootfs-'));
  rootfs = join(dir, 'rootfs');
  writeRootfs(rootfs);
}, 60_000);

afterAll(async () => {
  await local?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function importInto(source: string, repository: string, tag: string, lines: string[] = []) {
  return importRootfsBase({
    builder: local.builder,
    push: pushTo(local.registry),
    registryHost: local.host,
    source,
    repository,
    tag,
    workDir: local.containerEnv.env.TMPDIR!,
    log: (l) => lines.push(l),
  });
}

describe('importRootfsBase', () => {
  it('imports a rootfs directory with its owners, modes, symlinks and hard links, and the image runs', async () => {
    const lines: string[] = [];
    const imported = await importInto(rootfs, 'base/tiny', '1', lines);
    expect(imported.ref).toBe(`${local.host}/base/tiny:1`);
    expect(imported.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toContain(`imported ${imported.ref}@${imported.digest}`);

    const seen = await local.registry.inspect('base/tiny:1');
    expect(seen?.digest).toBe(imported.digest);
    expect(seen?.configDigest).toBe(imported.imageId);
    expect(seen?.labels).toMatchObject({
      'org.opencontainers.image.title': 'base/tiny',
      'org.opencontainers.image.version': '1',
    });
    const config = JSON.parse(await local.tool('buildah', ['inspect', '--type', 'image', imported.ref])) as {
      OCIv1: { config: { Cmd?: string[] } };
    };
    expect(config.OCIv1.config.Cmd).toEqual(['/bin/sh']);
    expect(await local.runIn(imported.ref, PROBE)).toBe(PROBED);
  });

  it('imports a gzip tarball of the rootfs, recognised by its content, and the image runs', async () => {
    const tarball = join(dir, 'rootfs.tgz');
    execFileSync('tar', [
      '--create',
      '--gzip',
      '--numeric-owner',
      '--file',
      tarball,
      '--directory',
      rootfs,
      '.',
    ]);
    const imported = await importInto(tarball, 'base/tiny-tar', '2.0');
    expect(imported.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await local.registry.tags('base/tiny-tar')).includes('2.0')).toBe(true);
    expect(await local.runIn(imported.ref, PROBE)).toBe(PROBED);
  });
});

describe('importRootfsBase refuses bad input, naming it', () => {
  const refused = async (source: string, repository = 'base/bad', tag = '1') => {
    let pushed = false;
    const error = await importRootfsBase({
      builder: {
        build: () => {
          throw new Error('nothing is built from bad input');
        },
      },
      push: async () => {
        pushed = true;
        return { digest: 'unused' };
      },
      registryHost: '127.0.0.1:5999',
      source,
      repository,
      tag,
    }).catch((e: unknown) => e);
    expect(pushed).toBe(false);
    return error as Error;
  };

  it('a missing source', async () => {
    const error = await refused(join(dir, 'nope'));
    expect(error).toBeInstanceOf(BaseSourceError);
    expect(error.message).toBe(`cannot import ${join(dir, 'nope')}: no such file or directory`);
  });

  it('an empty directory', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await refused(empty)).message).toBe(`cannot import ${empty}: the directory is empty`);
  });

  it('a file that is not a tarball', async () => {
    const text = join(dir, 'notes.tar');
    writeFileSync(text, 'x'.repeat(2000));
    const error = await refused(text);
    expect(error).toBeInstanceOf(BaseSourceError);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot import ${text}: not a directory or a tarball tar can list .*: tar: This does not look like a tar archive`,
      ),
    );
  });

  it('a tarball with no files', async () => {
    const tarball = join(dir, 'nothing.tar');
    execFileSync('tar', ['--create', '--file', tarball, '--files-from', '/dev/null']);
    expect((await refused(tarball)).message).toBe(`cannot import ${tarball}: the tarball holds no files`);
  });

  it('a tarball with an entry outside its root', async () => {
    const tarball = join(dir, 'escape.tar');
    execFileSync('tar', [
      '--create',
      '--file',
      tarball,
      '--directory',
      rootfs,
      '--transform',
      's,^etc,../etc,',
      'etc',
    ]);
    expect((await refused(tarball)).message).toContain('the tarball has an entry outside its root: "../etc');
  });

  it('a device', async () => {
    expect((await refused('/dev/null')).message).toBe(
      'cannot import /dev/null: not a directory or a tarball (.tar, .tar.gz, .tar.xz, .tar.zst)',
    );
  });

  it('an invalid repository or tag, by the distribution grammar', async () => {
    const repo = await refused(rootfs, 'base/Tiny');
    expect(repo).toBeInstanceOf(InvalidImageTargetError);
    expect(repo.message).toBe(
      'invalid repository "base/Tiny": "Tiny" is not a valid repository component: lower-case letters and digits, joined by ".", "_", "__" or "-"',
    );
    const tag = await refused(rootfs, 'base/tiny', '-1');
    expect(tag).toBeInstanceOf(InvalidImageTargetError);
    expect(tag.message).toBe('invalid tag "-1": a tag must start with a letter, digit or "_"');
  });
});
