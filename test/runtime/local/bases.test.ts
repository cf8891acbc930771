import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidImageTargetError } from '../../../core/ports/image-registry.js';
import {
  BaseExistsError,
  BaseRequestInvalidError,
  type BasesDeps,
  DEFAULT_BASE_CATALOGUE,
  type ImportBaseInput,
  importReceivedBase,
  listBases,
  localBaseCatalogue,
  parseImportBaseRequest,
  parseSeedBasesRequest,
  pushTo,
  receiveBase,
  seedBases,
} from '../../../runtime/local/bases.js';
import type { BaseCatalogue } from '../../../runtime/local/http-api.js';
import { BaseUploadRefusedError, BaseUploadTooLargeError } from '../../../runtime/local/rootfs-upload.js';
import { type LocalRegistry, startLocalRegistry } from '../../helpers/local-registry.js';
import { packDirectory, tarArchive } from '../../helpers/tar-archive.js';

let local: LocalRegistry;
let deps: BasesDeps;
let dir: string;
let rootfs: string;
const built: string[] = [];

beforeAll(async () => {
  local = await startLocalRegistry('drydock-bases-');
  deps = {
    // Counts builds, so that a second seed can be seen to build nothing.
    builder: {
      build: (request) => {
        built.push(request.tag);
        return local.builder.build(request);
      },
    },
    registry: local.registry,
    push: pushTo(local.registry),
    registryHost: local.host,
    workDir: local.containerEnv.env.TMPDIR!,
  };
  dir = mkdtempSync(join(tmpdir(), 'drydock-bases-rootfs-'));
  rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  symlinkSync('busybox', join(rootfs, 'bin', 'sh'));
}, 60_000);

/** `drydock bases import DIR` as the daemon sees it: the directory arrives as a tar stream. */
async function importDirectory(source: string, query: ImportBaseInput, progress: (m: string) => void) {
  return importReceivedBase(deps, await receiveBase(deps, query, packDirectory(source)), progress);
}

const scratchLeft = () => readdirSync(deps.workDir!).filter((n) => n.startsWith('drydock-upload-'));

afterAll(async () => {
  await local?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One registry through the file: the cases build on each other, in order.
describe('base-image service', () => {
  it('seeds the default busybox catalogue and reports progress', async () => {
    const progress: string[] = [];
    const bases = await seedBases(deps, {}, (m) => progress.push(m));
    expect(bases.map((b) => b.ref)).toEqual([
      `${local.host}/base/busybox:1.36.0`,
      `${local.host}/base/busybox:1.36.1`,
    ]);
    for (const base of bases) {
      expect(base.digest).toBe((await local.registry.inspect(`${base.repository}:${base.tag}`))?.digest);
      expect(progress).toContain(`seeded ${base.ref}@${base.digest}`);
    }
    expect(progress[0]).toBe('building base/busybox 1.36.0, 1.36.1 from busybox-static');
    expect(DEFAULT_BASE_CATALOGUE[0]).toMatchObject({
      repository: 'base/busybox',
      tags: ['1.36.0', '1.36.1'],
    });
  });

  it('keeps what is seeded already: a second seed builds nothing and changes no digest', async () => {
    const before = await listBases(local.registry);
    built.length = 0;
    const progress: string[] = [];
    const bases = await seedBases(deps, { versions: ['1.36.1'] }, (m) => progress.push(m));
    expect(built).toEqual([]);
    expect(bases).toEqual([before[1]]);
    expect(progress).toEqual([`${before[1]!.ref} is already seeded (${before[1]!.digest})`]);
  });

  it('keeps a Debian base that is seeded already, without running debootstrap', async () => {
    // Stands in for a Debian base seeded earlier: any image under the catalogue's name and tag.
    await local.tool('buildah', [
      'tag',
      `${local.host}/base/busybox:1.36.0`,
      `${local.host}/base/debian:bookworm`,
    ]);
    const { digest } = await deps.push(`${local.host}/base/debian:bookworm`);
    const progress: string[] = [];
    const bases = await seedBases(deps, { versions: ['1.36.0'], debian: true }, (m) => progress.push(m));
    expect(bases.map((b) => [b.ref, b.digest])).toEqual([
      [`${local.host}/base/busybox:1.36.0`, expect.stringMatching(/^sha256:/)],
      [`${local.host}/base/debian:bookworm`, digest],
    ]);
    expect(progress.at(-1)).toBe(`${local.host}/base/debian:bookworm is already seeded (${digest})`);
  });

  it('imports a rootfs as base/<name>:<tag> and refuses the same tag again', async () => {
    const progress: string[] = [];
    const [base] = await importDirectory(rootfs, { name: 'tiny', tag: '1.10' }, (m) => progress.push(m));
    expect(base).toEqual({
      ref: `${local.host}/base/tiny:1.10`,
      digest: (await local.registry.inspect('base/tiny:1.10'))?.digest,
      repository: 'base/tiny',
      tag: '1.10',
    });
    expect(progress[0]).toMatch(
      new RegExp(
        `^importing the uploaded rootfs \\(\\d+\\.\\d MiB, 4 entries\\) as ${local.host}/base/tiny:1\\.10$`,
      ),
    );
    expect(progress.at(-1)).toBe(`imported ${base!.ref}@${base!.digest}`);
    expect(await local.runIn(base!.ref, 'echo ran')).toBe('ran\n');

    // Refused before a byte of the upload is read.
    const again = await receiveBase(deps, { name: 'tiny', tag: '1.10' }, [Buffer.from('never read')]).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(BaseExistsError);
    expect((again as Error).message).toBe(
      `${base!.ref} already exists (${base!.digest}); bases do not change under a tag: import under a new tag`,
    );
  });

  it('lists every tag under base/ with its digest, versions in numeric order, and nothing else', async () => {
    await importDirectory(rootfs, { name: 'tiny', tag: '1.9' }, () => undefined);
    expect(scratchLeft()).toEqual([]);
    // An application image in the same registry is not a base.
    await local.tool('buildah', ['tag', `${local.host}/base/tiny:1.9`, `${local.host}/apps/hello:1`]);
    await deps.push(`${local.host}/apps/hello:1`);
    expect(await local.registry.repositories()).toContain('apps/hello');

    const bases = await listBases(local.registry);
    expect(bases.map((b) => `${b.repository}:${b.tag}`)).toEqual([
      'base/busybox:1.36.0',
      'base/busybox:1.36.1',
      'base/debian:bookworm',
      'base/tiny:1.9',
      'base/tiny:1.10',
    ]);
    for (const b of bases) {
      expect(b.ref).toBe(`${local.host}/${b.repository}:${b.tag}`);
      expect(b.digest).toBe((await local.registry.inspect(b.ref))?.digest);
    }
  });

  it('offers the same operations as the BaseCatalogue of the HTTP API', async () => {
    const catalogue: BaseCatalogue = localBaseCatalogue(deps);
    expect(await catalogue.list()).toEqual(await listBases(local.registry));
  });

  it.each([
    [
      'a "../" name',
      [{ name: '../etc/cron.d/x', content: 'x' }],
      'the entry "../etc/cron.d/x" leads outside the rootfs',
    ],
    ['an absolute name', [{ name: '/etc/passwd', content: 'x' }], 'the entry "/etc/passwd" is absolute'],
    [
      'a hard link out of the archive',
      [{ name: 'shadow', type: '1' as const, linkname: '../../etc/shadow' }],
      'the hard link target "../../etc/shadow" leads outside the rootfs',
    ],
    ['a device node', [{ name: 'dev/sda', type: '3' as const }], '"dev/sda" is a character device'],
  ])('refuses an upload with %s and keeps nothing of it', async (_what, members, problem) => {
    const upload = tarArchive([{ name: 'bin/', type: '5', mode: 0o755 }, ...members]);
    const refused = await receiveBase(deps, { name: 'evil', tag: '1' }, [upload]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BaseUploadRefusedError);
    expect((refused as Error).message).toBe(`the uploaded rootfs is refused: ${problem}`);
    expect(scratchLeft()).toEqual([]);
    expect(await local.registry.inspect('base/evil:1')).toBeUndefined();
  });

  it('refuses an upload that is not a tarball, and one over the size limits', async () => {
    const notTar = await receiveBase(deps, { name: 'evil', tag: '1' }, [Buffer.from('hello')]).catch(
      (e: unknown) => e,
    );
    expect(notTar).toBeInstanceOf(BaseUploadRefusedError);
    expect((notTar as Error).message).toMatch(
      /not a tarball tar can read .*does not look like a tar archive/,
    );
    const big = tarArchive([{ name: 'big', content: 'x'.repeat(4096) }]);
    const upload = await receiveBase({ ...deps, maxUploadBytes: 4096 }, { name: 'evil', tag: '1' }, [
      big,
    ]).catch((e: unknown) => e);
    expect(upload).toBeInstanceOf(BaseUploadTooLargeError);
    expect((upload as Error).message).toBe('the upload is over the limit of 4096 bytes');
    const unpacked = await receiveBase({ ...deps, maxUnpackedBytes: 4095 }, { name: 'evil', tag: '1' }, [
      big,
    ]).catch((e: unknown) => e);
    expect((unpacked as Error).message).toBe('the unpacked rootfs is over the limit of 4095 bytes');
    expect(scratchLeft()).toEqual([]);
  });

  it('pushTo refuses a reference of another registry', async () => {
    await expect(pushTo(local.registry)('quay.io/base/tiny:1')).rejects.toBeInstanceOf(
      InvalidImageTargetError,
    );
  });
});

describe('base-image requests', () => {
  const invalid = (parse: (body: unknown) => unknown, body: unknown) => {
    try {
      parse(body);
    } catch (error) {
      expect(error).toBeInstanceOf(BaseRequestInvalidError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(body)}`);
  };

  it('accepts an empty seed body, versions, and Debian with a mirror', () => {
    expect(parseSeedBasesRequest(undefined)).toEqual({});
    expect(
      parseSeedBasesRequest({
        versions: ['1.36.1'],
        debian: true,
        debianMirror: 'http://mirror.example/debian',
      }),
    ).toEqual({ versions: ['1.36.1'], debian: true, debianMirror: 'http://mirror.example/debian' });
  });

  it.each([
    [{ versions: [] }, 'invalid seed request: versions: Too small: expected array to have >=1 items'],
    [
      { versions: ['1.36', '-rc'] },
      'invalid seed request: versions.1: invalid tag: a tag must start with a letter, digit or "_"',
    ],
    [{ debianMirror: 'ftp://mirror/debian' }, 'invalid seed request: debianMirror: an http(s):// URL'],
    // A file:// mirror would have the daemon read a path the request names.
    [{ debianMirror: 'file:///root/.ssh' }, 'invalid seed request: debianMirror: an http(s):// URL'],
    [{ version: '1.36.0' }, 'invalid seed request: Unrecognized key: "version"'],
  ])('refuses the seed body %j', (body, message) => {
    expect(invalid(parseSeedBasesRequest, body)).toBe(message);
  });

  it.each([
    // The daemon never opens a path a request names: there is no field for one.
    [{ source: '/srv/rootfs', name: 'tiny', tag: '1' }, 'invalid import request: Unrecognized key: "source"'],
    [
      { name: 'Tiny', tag: '1' },
      'invalid import request: name: invalid name: "Tiny" is not a valid repository component: lower-case letters and digits, joined by ".", "_", "__" or "-"',
    ],
    [
      { name: 'tiny', tag: 'a:b' },
      'invalid import request: tag: invalid tag: ":" is not allowed in a tag (letters, digits, "_", "." and "-")',
    ],
    [{ name: 'tiny' }, 'invalid import request: tag: Invalid input: expected string, received undefined'],
  ])('refuses the import body %j', (body, message) => {
    expect(invalid(parseImportBaseRequest, body)).toBe(message);
  });

  it('accepts a nested name: base/tools/jq', () => {
    expect(parseImportBaseRequest({ name: 'tools/jq', tag: '1.7' })).toEqual({
      name: 'tools/jq',
      tag: '1.7',
    });
  });
});
