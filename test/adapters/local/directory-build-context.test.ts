import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryBuildContext } from '../../../adapters/local/directory-build-context.js';
import { DirectoryDefinitionSource } from '../../../adapters/local/directory-definition-source.js';
import { BuildContextError } from '../../../adapters/local/git-build-context.js';
import { BuildContextInvalidError } from '../../../core/ports/build-context.js';

const COMMIT = 'a'.repeat(40);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function context(files: Record<string, string>, links: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'drydock-ctx-'));
  dirs.push(root);
  const dir = join(root, 'context');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
  const props = { dir, repository: 'shop', commit: COMMIT, definitionDir: 'hello' };
  return { root, dir, props, source: new DirectoryBuildContext(props) };
}

// Links resolved against the real tree (chains, loops, hard links) are in build-context-tree.test.ts.
describe('DirectoryBuildContext', () => {
  it('copies the tree, links inside it kept as links', async () => {
    const c = context({ Dockerfile: 'FROM scratch\n', 'app/a.txt': 'a' }, { 'link.txt': 'app/a.txt' });
    const dest = join(c.root, 'ws', 'context');
    await c.source.export('shop', COMMIT, 'hello', dest);
    expect(readFileSync(join(dest, 'app/a.txt'), 'utf8')).toBe('a');
    expect(readlinkSync(join(dest, 'link.txt'))).toBe('app/a.txt');
  });

  it("refuses a link out of the tree as the team's invalid context, and copies nothing", async () => {
    const c = context({ Dockerfile: 'FROM scratch\n' }, { shadow: '/etc/shadow' });
    const dest = join(c.root, 'ws', 'context');
    const refused = c.source.export('shop', COMMIT, 'hello', dest);
    await expect(refused).rejects.toThrow(
      'build context "shadow" is a symbolic link to the absolute path "/etc/shadow"',
    );
    await expect(refused).rejects.toMatchObject({ code: 'BUILD_CONTEXT_INVALID', retryable: false });
    await expect(refused).rejects.toBeInstanceOf(BuildContextInvalidError);
    expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    const up = context({ Dockerfile: 'FROM scratch\n' }, { up: '../../..' });
    await expect(up.source.export('shop', COMMIT, 'hello', join(up.root, 'ws'))).rejects.toThrow(
      BuildContextInvalidError,
    );
  });

  it("refuses a FIFO in the tree as the team's invalid context", async () => {
    const c = context({ Dockerfile: 'FROM scratch\n' });
    execFileSync('mkfifo', [join(c.dir, 'pipe')]);
    await expect(c.source.export('shop', COMMIT, 'hello', join(c.root, 'ws'))).rejects.toThrow(
      new BuildContextInvalidError(
        'build context "pipe" is not a file, directory or symbolic link; it is refused',
      ),
    );
  });

  it('answers only for its own repository, commit and directory', async () => {
    const c = context({ Dockerfile: 'FROM scratch\n' });
    const dest = join(c.root, 'ws');
    await expect(c.source.export('other', COMMIT, 'hello', dest)).rejects.toThrow('not "hello" of "other"');
    await expect(c.source.export('shop', 'b'.repeat(40), 'hello', dest)).rejects.toThrow(BuildContextError);
    await expect(c.source.export('shop', COMMIT, 'elsewhere', dest)).rejects.toThrow(BuildContextError);
    // Not the team's context at fault but the build's wiring: not told to the team as its failure.
    await expect(c.source.export('other', COMMIT, 'hello', dest)).rejects.not.toBeInstanceOf(
      BuildContextInvalidError,
    );
  });

  it('refuses a tree over the size limit', async () => {
    const c = context({ big: 'x'.repeat(4096) });
    const small = new DirectoryBuildContext({ ...c.props, maxBytes: 1024 });
    const refused = small.export('shop', COMMIT, 'hello', join(c.root, 'ws'));
    await expect(refused).rejects.toThrow('larger than the limit');
    await expect(refused).rejects.toBeInstanceOf(BuildContextInvalidError);
  });
});

describe('DirectoryDefinitionSource', () => {
  it("reads the definition directory's files by repository path, and nothing outside it", async () => {
    const c = context({ 'image-tests.yaml': 'schemaVersion: "2.0.0"\n' }, { escape: '/etc/passwd' });
    const source = new DirectoryDefinitionSource(c.props);
    expect(await source.read('shop', COMMIT, 'hello/image-tests.yaml')).toContain('schemaVersion');
    expect(await source.read('shop', COMMIT, 'hello/missing.yaml')).toBeUndefined();
    expect(await source.read('shop', COMMIT, 'other/image-tests.yaml')).toBeUndefined();
    expect(await source.read('shop', COMMIT, 'hello/../etc/passwd')).toBeUndefined();
    await expect(source.read('shop', COMMIT, 'hello/escape')).rejects.toThrow(
      'leads out of the build context',
    );
  });

  it('refuses another repository or commit rather than answer "no file"', async () => {
    const source = new DirectoryDefinitionSource(context({}).props);
    await expect(source.read('other', COMMIT, 'hello/image-tests.yaml')).rejects.toThrow(
      `this build's source is "shop"`,
    );
  });
});
