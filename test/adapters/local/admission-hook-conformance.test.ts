import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AdmissionFile, admissionPaths } from '../../../adapters/local/admission-file.js';
import {
  admissionHookSource,
  answerPrestart,
  HOOK_PYTHON,
  type HookAnswer,
} from '../../../adapters/local/admission-hook.js';
import type { BannedPattern } from '../../../core/admission/admit.js';
import type { UnsupportedImage } from '../../../core/ports/admission-list.js';
import { tempDir } from '../../helpers/temp-dir.js';

// One table of cases through the reference decision (answerPrestart, TypeScript) and the installed hook (Python,
// as a real process with the state on stdin): the answers must be equal, reason for reason.

const hex = (c: string) => c.repeat(64);
const CONTAINER = hex('c');
const IMAGE_ID = hex('1');
const MANIFEST = `sha256:${hex('2')}`;
const OTHER = `sha256:${hex('9')}`;
const APP = 'localhost/apps/hello:1';

interface Storage {
  readonly names?: unknown[];
  readonly imageName?: string;
  readonly containers?: unknown;
  readonly images?: unknown;
}

interface Case {
  readonly name: string;
  readonly unsupported?: UnsupportedImage[];
  readonly banned?: string[];
  readonly storage?: Storage;
  /** The state on stdin; by default this container's, with its own bundle. */
  readonly state?: (dir: string) => string;
  /** Changes the state dir after the list is written (a corrupt list, a symlink, the override). */
  readonly arrange?: (dir: string) => void;
  readonly expected: RegExp | 'allow';
  /** Python refuses what it cannot verify as normalised where TypeScript parses it: same verdict, own reason. */
  readonly reasonMayDiffer?: true;
}

const unsupported = (configDigest: string, digest?: string): UnsupportedImage => ({
  configDigest,
  ...(digest ? { digest } : {}),
  ref: 'localhost/apps/hello:1',
  banIds: ['ban-1', 'ban-2'],
  reason: 'CVE-2026-1',
});

function writeStorage(dir: string, storage: Storage = {}): void {
  const root = join(dir, 'containers', 'storage');
  mkdirSync(join(root, 'vfs-containers'), { recursive: true });
  mkdirSync(join(root, 'vfs-images'), { recursive: true });
  const containers = storage.containers ?? [
    {
      id: CONTAINER,
      names: ['busy_hello'],
      image: IMAGE_ID,
      layer: hex('3'),
      metadata: JSON.stringify({ 'image-name': storage.imageName ?? APP, name: 'busy_hello' }),
    },
  ];
  const images = storage.images ?? [
    {
      id: IMAGE_ID,
      digest: MANIFEST,
      names: storage.names ?? [APP],
      'big-data-names': [`manifest-sha256:${hex('4')}`, `sha256:${IMAGE_ID}`],
    },
  ];
  writeFileSync(join(root, 'vfs-containers', 'containers.json'), JSON.stringify(containers), { mode: 0o600 });
  writeFileSync(join(root, 'vfs-images', 'images.json'), JSON.stringify(images), { mode: 0o600 });
}

const ownState = (dir: string) =>
  JSON.stringify({
    ociVersion: '1.0.2-dev',
    id: CONTAINER,
    status: 'creating',
    bundle: `${dir}/containers/storage/vfs-containers/${CONTAINER}/userdata`,
    annotations: { 'io.podman.annotations.autoremove': 'TRUE' },
  });

/** The installed hook's answer: its exit status and what it wrote to stderr. */
function pythonAnswer(dir: string, state: string | Buffer): HookAnswer {
  const result = spawnSync(HOOK_PYTHON, ['-I', '-S', admissionHookSource(), dir], {
    input: state,
    encoding: 'utf8',
  });
  const line = result.stderr.replace(/\n$/, '');
  if (result.status === 0) {
    return line === '' ? { allow: true } : { allow: true, note: line.replace(/^drydock admission: /, '') };
  }
  expect(result.status, result.stderr).toBe(1);
  return { allow: false, reason: line.replace(/^drydock admission: refused: /, '') };
}

const CASES: Case[] = [
  {
    name: 'allows an image nothing lists',
    unsupported: [unsupported(OTHER)],
    banned: ['busybox:1.36*'],
    expected: 'allow',
  },
  {
    name: 'denies by config digest',
    unsupported: [unsupported(OTHER), unsupported(`sha256:${IMAGE_ID}`)],
    expected: /is unsupported \(ban ban-1, ban-2\): CVE/,
  },
  {
    name: 'denies by manifest digest',
    unsupported: [unsupported(OTHER, MANIFEST)],
    expected: /is unsupported/,
  },
  {
    name: 'denies by a manifest digest of big-data-names',
    unsupported: [unsupported(OTHER, `sha256:${hex('4')}`)],
    expected: /is unsupported/,
  },
  {
    name: 'denies by name glob',
    banned: ['docker.io/library/busybox', 'localhost/apps/*'],
    expected: /localhost\/apps\/hello:1 is banned by localhost\/apps\/\*: CVE/,
  },
  { name: 'denies by globstar', banned: ['localhost/**'], expected: /is banned by localhost\/\*\*/ },
  {
    name: 'denies by tag glob',
    banned: ['localhost/apps/hello:0*', 'localhost/apps/hello:1*'],
    expected: /is banned by localhost\/apps\/hello:1\*/,
  },
  {
    name: 'allows a tag the single-character wildcard does not cover',
    banned: ['localhost/apps/hello:1?'],
    expected: 'allow',
  },
  {
    name: 'denies by digest pattern',
    banned: [MANIFEST],
    expected: new RegExp(`${MANIFEST} is banned: CVE`),
  },
  {
    name: 'denies by digest-pinned name pattern',
    banned: [`localhost/other@${MANIFEST}`],
    expected: /is banned: CVE/,
  },
  {
    name: 'denies a docker.io name by its short pattern',
    storage: { names: ['docker.io/library/busybox:1.36.0'], imageName: 'docker.io/library/busybox:1.36.0' },
    banned: ['busybox:1.36*'],
    expected: /docker.io\/library\/busybox:1.36.0 is banned by docker.io\/library\/busybox:1.36\*/,
  },
  {
    name: 'denies an untagged name as :latest',
    storage: {
      names: [`localhost/apps/hello@${MANIFEST}`, 'localhost/apps/x'],
      imageName: 'localhost/apps/x',
    },
    banned: ['localhost/apps/x:latest'],
    expected: /localhost\/apps\/x is banned/,
  },
  {
    name: 'does not read a dot in a name as a wildcard',
    storage: { names: ['localhost/a.b/x:1'], imageName: 'localhost/a.b/x:1' },
    banned: ['localhost/axb/x:1', 'localhost/a?b/y'],
    expected: 'allow',
  },
  {
    name: 'keeps * within a path segment',
    storage: { names: ['localhost/apps/team/hello:1'], imageName: 'localhost/apps/team/hello:1' },
    banned: ['localhost/apps/*'],
    expected: 'allow',
  },
  {
    name: 'refuses on a ban pattern it cannot read',
    banned: ['localhost/Apps/*'],
    expected: /ban pattern localhost\/Apps\/\* cannot be read: invalid image/,
  },
  {
    name: 'refuses on a name not in normal form',
    storage: { names: ['busybox:1.36.0'], imageName: 'busybox:1.36.0' },
    banned: ['busybox:1.36*'],
    expected: /banned|normalised/,
    reasonMayDiffer: true,
  },
  {
    name: 'ignores a name not in normal form when nothing is banned by name',
    storage: { names: ['busybox:1.36.0'] },
    unsupported: [unsupported(OTHER)],
    expected: 'allow',
  },
  {
    name: 'refuses an unknown image',
    storage: { images: [] },
    expected: /image 111111111111 is not in .*\(failing closed\)/,
  },
  {
    name: 'refuses a missing container',
    storage: { containers: [] },
    expected: /container cccccccccccc is not in .*\(failing closed\)/,
  },
  {
    name: 'refuses a --rootfs container',
    storage: { containers: [{ id: CONTAINER, image: '' }] },
    expected: /has no image/,
  },
  {
    name: 'refuses storage metadata that is not JSON',
    arrange: (d) => writeFileSync(join(d, 'containers/storage/vfs-images/images.json'), '[{'),
    expected: /images\.json is not JSON/,
  },
  {
    name: 'refuses a bundle elsewhere',
    state: () => JSON.stringify({ id: CONTAINER, bundle: '/tmp/evil/userdata' }),
    expected: /not in this state dir's storage \(bundle \/tmp\/evil\/userdata\)/,
  },
  {
    name: 'refuses a state without bundle',
    state: () => JSON.stringify({ id: CONTAINER }),
    expected: /\(bundle undefined\)/,
  },
  {
    name: 'refuses a state whose id climbs out',
    state: () => JSON.stringify({ id: '../../etc', bundle: 'x' }),
    expected: /no valid id/,
  },
  {
    name: 'refuses an id with a trailing newline',
    state: () => JSON.stringify({ id: `${CONTAINER}\n` }),
    expected: /no valid id/,
  },
  { name: 'refuses a state that is not JSON', state: () => 'not json', expected: /not JSON/ },
  { name: 'refuses a state that is JSON null', state: () => 'null', expected: /no valid id/ },
  {
    name: 'refuses a corrupt list',
    arrange: (d) => writeFileSync(admissionPaths(d).list, '{"format":', { mode: 0o600 }),
    expected: /unsupported\.json: corrupt: not JSON \(failing closed\)/,
  },
  {
    name: 'refuses a list of NaN',
    arrange: (d) => writeFileSync(admissionPaths(d).list, 'NaN'),
    expected: /corrupt: not JSON/,
  },
  {
    name: 'refuses a list of another format',
    arrange: (d) => writeFileSync(admissionPaths(d).list, JSON.stringify({ format: 'drydock-admission/1' })),
    expected: /corrupt: format is not drydock-admission\/2/,
  },
  {
    name: 'refuses a list entry without digest',
    arrange: (d) => rewriteList(d, (doc) => ({ ...doc, unsupported: [{ ref: 'x' }] })),
    expected: /corrupt: unsupported\[0\]\.configDigest is not a sha256 digest/,
  },
  {
    name: 'refuses a ban without its compiled matcher',
    banned: ['busybox'],
    arrange: (d) => rewriteList(d, (doc) => ({ ...doc, banned: [{ pattern: 'busybox', reason: 'r' }] })),
    expected: /corrupt: banned\[0\]\.match is not an object/,
  },
  {
    name: 'refuses a matcher that is not a regular expression',
    banned: ['busybox'],
    arrange: (d) =>
      rewriteList(d, (doc) => ({
        ...doc,
        banned: [{ pattern: 'busybox', reason: 'r', match: { text: 'x', name: '(' } }],
      })),
    expected: /corrupt: banned\[0\]\.match\.name is not a regular expression/,
  },
  {
    name: 'refuses a matcher over its size bound',
    banned: ['busybox'],
    arrange: (d) =>
      rewriteList(d, (doc) => ({
        ...doc,
        banned: [{ pattern: 'busybox', reason: 'r', match: { text: 'x', name: 'a'.repeat(16 * 1024 + 1) } }],
      })),
    expected: /corrupt: banned\[0\]\.match\.name is not a regular expression of at most 16384/,
  },
  {
    name: 'refuses a missing list',
    arrange: (d) => rmSync(admissionPaths(d).list),
    expected: /unsupported\.json: it does not exist \(failing closed\)/,
  },
  {
    name: 'refuses a symlinked list',
    arrange: (d) => symlinkTo(d, admissionPaths(d).list),
    expected: /it is a symlink \(failing closed\)/,
  },
  {
    name: 'refuses a group-writable list',
    arrange: (d) => chmodSync(admissionPaths(d).list, 0o620),
    expected: /writable by group or others \(mode 620\)/,
  },
  {
    name: 'refuses a FIFO in place of the list without blocking',
    arrange: (d) => fifoAt(admissionPaths(d).list),
    expected: /not a regular file/,
  },
  {
    name: 'lets an undecidable start through the root-owned override, with a note',
    arrange: (d) => {
      rmSync(admissionPaths(d).list);
      writeFileSync(admissionPaths(d).failOpen, 'incident 42\n', { mode: 0o600 });
    },
    expected: 'allow',
  },
  {
    name: 'the override does not let a denied image through',
    unsupported: [unsupported(`sha256:${IMAGE_ID}`)],
    arrange: (d) => writeFileSync(admissionPaths(d).failOpen, 'x', { mode: 0o600 }),
    expected: /is unsupported/,
  },
  {
    name: 'a symlinked override opens nothing',
    arrange: (d) => {
      rmSync(admissionPaths(d).list);
      symlinkTo(d, admissionPaths(d).failOpen);
    },
    expected: /does not exist \(failing closed\)/,
  },
];

function rewriteList(dir: string, change: (doc: Record<string, unknown>) => Record<string, unknown>): void {
  const path = admissionPaths(dir).list;
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify(change(doc)), { mode: 0o600 });
}

function symlinkTo(dir: string, path: string): void {
  const target = join(dir, 'elsewhere.json');
  writeFileSync(target, '{}', { mode: 0o600 });
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

function fifoAt(path: string): void {
  rmSync(path);
  expect(spawnSync('mkfifo', ['-m', '600', path]).status).toBe(0);
}

describe('the Python prestart hook answers as the TypeScript decision', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('drydock-conformance-');
  });

  it.each(CASES)('$name', async (c) => {
    writeStorage(dir, c.storage);
    const banned: BannedPattern[] = (c.banned ?? []).map((pattern) => ({
      pattern,
      reason: 'CVE-2026-1',
      banId: 'ban-1',
    }));
    await new AdmissionFile({ stateDir: dir, bannedPatterns: async () => banned }).replace(
      c.unsupported ?? [],
    );
    c.arrange?.(dir);
    const state = (c.state ?? ownState)(dir);
    const ts = answerPrestart(dir, state);
    const py = pythonAnswer(dir, state);
    if (c.reasonMayDiffer) expect(py.allow).toBe(ts.allow);
    else expect(py).toEqual(ts);
    if (c.expected === 'allow') expect(ts.allow).toBe(true);
    else {
      expect(ts).toMatchObject({ allow: false });
      expect(py).toMatchObject({ allow: false, reason: expect.stringMatching(c.expected) });
    }
  });

  it('notes the override it allowed by', async () => {
    writeStorage(dir);
    mkdirSync(admissionPaths(dir).dir, { mode: 0o700 });
    writeFileSync(admissionPaths(dir).failOpen, 'x', { mode: 0o600 });
    const answer = pythonAnswer(dir, ownState(dir));
    expect(answer).toEqual(answerPrestart(dir, ownState(dir)));
    expect(answer).toMatchObject({ allow: true, note: expect.stringMatching(/admission\/fail-open/) });
  });
});

describe('the Python prestart hook as a process', () => {
  const run = (args: string[], input: string | Buffer) =>
    spawnSync(HOOK_PYTHON, ['-I', '-S', admissionHookSource(), ...args], { input, encoding: 'utf8' });

  it('refuses a huge stdin without reading past its limit', () => {
    const result = run([tempDir('drydock-hook-')], Buffer.alloc(1024 * 1024 + 10, 0x20));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'drydock admission: refused: the container state on stdin is over 1048576 bytes\n',
    );
  });

  it('refuses when given no absolute state dir', () => {
    for (const args of [[], ['relative']]) {
      const result = run(args, '{}');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('absolute state dir');
    }
  });

  it('imports the standard library only', () => {
    const text = readFileSync(admissionHookSource(), 'utf8') as string;
    const imports = [...text.matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['errno', 'json', 'os', 'posixpath', 're', 'stat', 'sys']));
  });
});
