import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DrydockError, ToolMissingError } from '../../core/errors.js';
import {
  type ChangedDefinition,
  changedDefinitions,
  parseNameStatus,
} from '../../core/push/changed-definitions.js';

const run = promisify(execFile);
// git's id of the empty tree: the "before" of a branch's first push.
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const ZERO = /^0+$/;
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A bare repository teams push definitions to. */
export interface BareRepository {
  readonly name: string;
  readonly path: string;
  /** What to pass to `git remote add`. */
  readonly remote: string;
}

/** One ref update a post-receive hook reads on stdin: `<old> <new> <ref>`. */
export interface RefUpdate {
  readonly before: string;
  readonly after: string;
  readonly ref: string;
}

async function git(args: readonly string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer: 64 << 20, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new ToolMissingError('git', 'git', { cause: err });
    }
    throw new DrydockError(`git ${args[0]} failed: ${(e.stderr ?? e.message).trim()}`, {
      code: 'GIT_FAILED',
      cause: err,
    });
  }
}

/**
 * Creates `<root>/<name>.git` with a post-receive hook that runs `hook` (an argv array) with the ref updates
 * on stdin; refuses names that are not simple lower-case identifiers, and an existing repository.
 */
export async function createBareRepository(
  root: string,
  name: string,
  hook: readonly string[],
): Promise<BareRepository> {
  if (!NAME.test(name)) {
    throw new DrydockError(
      `repository name "${name}" must be lower-case letters, digits, ".", "_" or "-" (at most 63)`,
      {
        code: 'INVALID_NAME',
      },
    );
  }
  const path = resolve(root, `${name}.git`);
  if (existsSync(path))
    throw new DrydockError(`repository "${name}" already exists at ${path}`, { code: 'EXISTS' });
  mkdirSync(root, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', path]);
  const script = [
    '#!/bin/sh',
    '# Installed by drydock: publishes Definition Pushed for every ref update.',
    `exec ${hook.map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
  const hookPath = join(path, 'hooks', 'post-receive');
  writeFileSync(hookPath, script);
  chmodSync(hookPath, 0o755);
  return { name, path, remote: path };
}

/** Reads a post-receive hook's stdin into ref updates; malformed lines are an error naming the line. */
export function parseRefUpdates(stdin: string): RefUpdate[] {
  return stdin
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [before, after, ref] = line.split(/\s+/);
      if (
        !before ||
        !after ||
        !ref ||
        !/^[0-9a-f]{40,64}$/.test(before) ||
        !/^[0-9a-f]{40,64}$/.test(after)
      ) {
        throw new DrydockError(
          `post-receive input line ${i + 1} is not "<old> <new> <ref>": ${line.slice(0, 120)}`,
          {
            code: 'BAD_HOOK_INPUT',
          },
        );
      }
      return { before, after, ref };
    });
}

/** The definitions one ref update changed; a deleted branch changes nothing to build. */
export async function definitionsChanged(repo: string, update: RefUpdate): Promise<ChangedDefinition[]> {
  if (ZERO.test(update.after)) return [];
  const before = ZERO.test(update.before) ? EMPTY_TREE : update.before;
  const diff = await git(['diff', '--name-status', '-z', '--no-renames', before, update.after], repo);
  const tree = await git(['ls-tree', '-r', '--name-only', '-z', update.after], repo);
  return changedDefinitions(tree.split('\0').filter(Boolean), parseNameStatus(diff));
}

/** The text of a file at a commit. */
export async function readFileAt(repo: string, commit: string, path: string): Promise<string> {
  return git(['show', `${commit}:${path}`], repo);
}

/** Files (blobs) under `dir` at `commit` with their sizes, paths relative to `dir`; at most `max` entries. */
export async function listFilesAt(
  repo: string,
  commit: string,
  dir: string,
  max: number,
): Promise<{ path: string; size: number }[]> {
  const out = await git(['ls-tree', '-r', '-l', '-z', commit, '--', dir === '' ? '.' : `${dir}/`], repo);
  const files: { path: string; size: number }[] = [];
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const entry of out.split('\0')) {
    // `<mode> blob <sha> <size>\t<path>`; submodules (commit) and symlinks (mode 120000) are not file contents.
    const m = /^100\d{3} blob [0-9a-f]+ +(\d+)\t(.*)$/s.exec(entry);
    if (!m?.[2]?.startsWith(prefix)) continue;
    files.push({ path: m[2].slice(prefix.length), size: Number(m[1]) });
    if (files.length >= max) break;
  }
  return files;
}

/** The bytes of `path` at `commit`. */
export async function readBlobAt(repo: string, commit: string, path: string): Promise<Buffer> {
  try {
    const { stdout } = await run('git', ['cat-file', 'blob', `${commit}:${path}`], {
      cwd: repo,
      maxBuffer: 64 << 20,
      encoding: 'buffer',
    });
    return stdout;
  } catch (err) {
    throw new DrydockError(`git cat-file failed for ${JSON.stringify(path)}: ${(err as Error).message}`, {
      code: 'GIT_FAILED',
      cause: err,
    });
  }
}

/** Writes the tree of `dir` at `commit` into `dest` (the build context), using git archive and tar. */
export async function exportDirectory(
  repo: string,
  commit: string,
  dir: string,
  dest: string,
): Promise<void> {
  mkdirSync(dest, { recursive: true });
  const archive = join(dest, '..', `.${commit.slice(0, 12)}.tar`);
  await git(['archive', '--format=tar', `--output=${archive}`, dir ? `${commit}:${dir}` : commit], repo);
  try {
    await run('tar', ['-xf', archive, '-C', dest]);
  } finally {
    await run('rm', ['-f', archive]);
  }
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
