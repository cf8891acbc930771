import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryBuildContext } from '../../../adapters/local/directory-build-context.js';
import { GitBuildContext } from '../../../adapters/local/git-build-context.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { BuildContextInvalidError } from '../../../core/ports/build-context.js';

// Node's realpath (the JS one) also reads a link's text lexically; the kernel's (realpathSync.native) is the
// reference here. Each link's target is judged against the real tree, not by its text: `e -> d/..` reads as `.` but `d` is a link
// to `.`, so `e` is the context's parent, and a chain of three such links reaches `/`.
const COMMIT = 'a'.repeat(40);
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** A context tree of files and links (created in order); `{dir}` in a target is the tree's absolute path. */
type Tree = { files?: Record<string, string>; links?: [string, string][]; dirs?: string[] };

function writeTree(dir: string, tree: Tree): void {
  for (const d of tree.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  for (const [name, text] of Object.entries(tree.files ?? {})) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (const [name, target] of tree.links ?? []) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    symlinkSync(target.replace('{dir}', dir), join(dir, name));
  }
}

/** Exports `tree` through a DirectoryBuildContext (the unzipped CodeBuild context) into a fresh dest. */
async function viaDirectory(tree: Tree): Promise<{ dest: string; dir: string; exported: Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'drydock-tree-'));
  roots.push(root);
  const dir = join(root, 'context');
  mkdirSync(dir);
  writeTree(dir, tree);
  const dest = join(root, 'ws', 'context');
  const source = new DirectoryBuildContext({
    dir,
    repository: 'shop',
    commit: COMMIT,
    definitionDir: 'hello',
  });
  return { dest, dir, exported: source.export('shop', COMMIT, 'hello', dest) };
}

/** Commits `tree` under hello/ of a bare repository and exports it through a GitBuildContext. */
async function viaGit(tree: Tree): Promise<{ dest: string; dir: string; exported: Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'drydock-tree-git-'));
  roots.push(root);
  const repo = await createBareRepository(join(root, 'repos'), 'shop', ['true']);
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--initial-branch=main', work);
  const dir = join(work, 'hello');
  mkdirSync(dir);
  writeTree(dir, tree);
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'tree');
  git(work, 'push', '--quiet', repo.remote, 'main');
  const commit = git(work, 'rev-parse', 'HEAD');
  const dest = join(root, 'ws', 'context');
  return {
    dest,
    dir,
    exported: new GitBuildContext(join(root, 'repos')).export('shop', commit, 'hello', dest),
  };
}

const DOCKERFILE = { Dockerfile: 'FROM scratch\n' };

// The chain of the review: every link passes a check of its text, yet realpath(secret) is the host's /etc/hostname
// when the tree is three levels below `/` (as <tmp>/drydock-tree-…/context is).
const CHAIN: Tree = {
  files: DOCKERFILE,
  links: [
    ['d', '.'],
    ['e', 'd/..'],
    ['f', 'e/..'],
    ['g', 'f/..'],
    ['secret', 'g/etc/hostname'],
  ],
};

const REFUSED: [string, Tree, string][] = [
  [
    'a chain of links that each read as inside',
    CHAIN,
    'build context "e" is a symbolic link to "d/..", which leaves the context',
  ],
  [
    'a chain through a directory link',
    {
      files: DOCKERFILE,
      dirs: ['sub'],
      links: [
        ['sub/up', '..'],
        ['x', 'sub/up/../etc/passwd'],
      ],
    },
    'build context "x" is a symbolic link to "sub/up/../etc/passwd", which leaves the context',
  ],
  [
    'a loop of links',
    {
      files: DOCKERFILE,
      links: [
        ['a', 'b'],
        ['b', 'a'],
      ],
    },
    'build context "a" is a symbolic link to "b" that does not resolve: more than 40 links in a row (a loop)',
  ],
  [
    'a link to itself',
    { files: DOCKERFILE, links: [['self', 'self']] },
    'build context "self" is a symbolic link to "self" that does not resolve',
  ],
  [
    "a link to an absolute path inside the tree's own absolute path",
    { files: DOCKERFILE, links: [['abs', '{dir}/Dockerfile']] },
    'build context "abs" is a symbolic link to the absolute path',
  ],
  [
    'a relative link through a link to an absolute path',
    {
      files: DOCKERFILE,
      links: [
        ['z', '/'],
        ['a', 'z/etc/passwd'],
      ],
    },
    'build context "a" is a symbolic link to "z/etc/passwd", which goes through "z", a link to the absolute path "/"',
  ],
  [
    'a dangling link whose missing part climbs out',
    { files: DOCKERFILE, links: [['gone', 'missing/../../x']] },
    'build context "gone" is a symbolic link to "missing/../../x", which leaves the context',
  ],
];

const RUNS = [
  ['DirectoryBuildContext', viaDirectory],
  ['GitBuildContext', viaGit],
] as const;

describe.each(RUNS)('%s and symbolic links', (_name, exportTree) => {
  it.each(REFUSED)(
    "refuses %s as the team's invalid context, exporting nothing",
    async (_case, tree, message) => {
      const { dest, exported } = await exportTree(tree);
      await expect(exported).rejects.toThrow(message);
      await expect(exported).rejects.toBeInstanceOf(BuildContextInvalidError);
      await expect(exported).rejects.toMatchObject({ code: 'BUILD_CONTEXT_INVALID' });
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    },
  );

  it('refuses the last link of the chain on its own, though its text stays inside', async () => {
    // `secret` alone, with the links it goes through but nothing sorted before it refused.
    const { exported } = await exportTree({
      files: DOCKERFILE,
      dirs: ['z'],
      links: [
        ['z/d', '.'],
        ['z/e', 'd/..'],
        ['z/f', 'e/..'],
        ['a-secret', 'z/f/../../etc/hostname'],
      ],
    });
    await expect(exported).rejects.toThrow(
      'build context "a-secret" is a symbolic link to "z/f/../../etc/hostname"',
    );
  });

  it('keeps benign links inside the tree, dangling ones included, as links', async () => {
    const { dest, exported } = await exportTree({
      files: { ...DOCKERFILE, 'app/a.txt': 'a' },
      dirs: ['sub'],
      links: [
        ['link.txt', 'app/a.txt'],
        ['sub/up', '..'],
        ['sub/sibling', '../app/a.txt'],
        ['sub/dirlink', '../app'],
        ['through', 'sub/dirlink/../sub/up/app/a.txt'],
        ['dot', '.'],
        ['later', 'build/output.jar'],
      ],
    });
    await exported;
    expect(readlinkSync(join(dest, 'link.txt'))).toBe('app/a.txt');
    expect(readlinkSync(join(dest, 'through'))).toBe('sub/dirlink/../sub/up/app/a.txt');
    expect(readlinkSync(join(dest, 'later'))).toBe('build/output.jar');
    expect(realpathSync.native(join(dest, 'through'))).toBe(realpathSync.native(join(dest, 'app/a.txt')));
  });
});

describe('DirectoryBuildContext and links that take long to resolve', () => {
  // `e` climbs in and out of `a` 800 times (1,600 steps, one link); `x<i>` goes through `e` `repeat` times.
  const slow = (count: number, repeat: number): Tree => ({
    files: DOCKERFILE,
    dirs: ['a'],
    links: [
      ['e', `${'a/../'.repeat(800)}a`],
      ...Array.from({ length: count }, (_, i): [string, string] => [
        `x${i}`,
        `${'e/../'.repeat(repeat)}Dockerfile`,
      ]),
    ],
  });

  it('refuses one link that takes more than 4096 steps', async () => {
    const { exported } = await viaDirectory(slow(1, 3));
    await expect(exported).rejects.toThrow('build context "x0" is a symbolic link to "e/../e/');
    await expect(exported).rejects.toThrow('that takes more than 4096 steps to resolve');
  });

  it('refuses a tree whose links together take more than a million steps', async () => {
    const { exported } = await viaDirectory(slow(400, 2));
    await expect(exported).rejects.toThrow(
      'the symbolic links of the build context take more than 1000000 steps to resolve; it is refused',
    );
    await expect(exported).rejects.toBeInstanceOf(BuildContextInvalidError);
    const fine = await viaDirectory(slow(20, 2));
    await fine.exported;
  });
});

describe('DirectoryBuildContext and the chain', () => {
  it('is the attack it claims: realpath of the last link is the host file', async () => {
    const { dir, exported } = await viaDirectory(CHAIN);
    await exported.catch(() => undefined);
    expect(realpathSync.native(join(dir, 'secret'))).toBe(realpathSync('/etc/hostname'));
  });
});

// Hard links: a name of the same file outside the tree would be copied with its content (the copy follows the
// inode, not the name). A file whose every name is inside the tree is the team's, as two names in one checkout.
describe('DirectoryBuildContext and hard links', () => {
  it('refuses a file that has a name outside the tree', async () => {
    const root = mkdtempSync(join(tmpdir(), 'drydock-tree-hard-'));
    roots.push(root);
    writeFileSync(join(root, 'host-secret'), 'secret\n');
    const dir = join(root, 'context');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    linkSync(join(root, 'host-secret'), join(dir, 'innocent.txt'));
    const source = new DirectoryBuildContext({ dir, repository: 'shop', commit: COMMIT, definitionDir: '' });
    const dest = join(root, 'ws');
    const refused = source.export('shop', COMMIT, '', dest);
    await expect(refused).rejects.toThrow(
      'build context "innocent.txt" is a hard link to a file with 1 name outside the context',
    );
    await expect(refused).rejects.toBeInstanceOf(BuildContextInvalidError);
    expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
  });

  it('keeps a file whose names are all inside the tree', async () => {
    const root = mkdtempSync(join(tmpdir(), 'drydock-tree-hard-'));
    roots.push(root);
    const dir = join(root, 'context');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'same\n');
    linkSync(join(dir, 'a.txt'), join(dir, 'sub/b.txt'));
    const source = new DirectoryBuildContext({ dir, repository: 'shop', commit: COMMIT, definitionDir: '' });
    await source.export('shop', COMMIT, '', join(root, 'ws'));
    expect(readdirSync(join(root, 'ws', 'sub'))).toEqual(['b.txt']);
  });
});
