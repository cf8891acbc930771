import type { Stats } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { quoteInput } from '../../core/errors.js';
import { BuildContextInvalidError } from '../../core/ports/build-context.js';

/** One entry of a checked build context, by its path relative to the context root. */
export type ContextEntry =
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'link'; readonly path: string; readonly target: string };

/** Options of `checkContextTree`. */
export interface ContextTreeOptions {
  /** The most bytes the tree may take, each entry counting 512 more for its header. @default no limit */
  readonly maxBytes?: number;
}

const MIB = 1024 * 1024;
// As the kernel (MAXSYMLINKS): a longer run of links is a loop, or as good as one.
const MAX_LINKS = 40;
// Path components one link may take to resolve (40 links of up to 4 KiB each): bounds the work a team's tree asks.
const MAX_STEPS = 4096;
// Steps all the links of one tree may take: about a second of lookups, far above a real repository's links.
const TREE_MAX_STEPS = 1_000_000;

/**
 * Every entry of the build context at `root`, checked before anything is copied or built: a symbolic link is
 * resolved against the real tree, link by link as the kernel does, and refused when it or any link it goes through
 * is absolute, when it leaves the tree (even through a chain whose every text reads as inside), or when it loops; a
 * dangling link is kept when the part that is missing stays inside. A regular file with a name outside the tree
 * (a hard link), a device, socket or FIFO, and a tree over `maxBytes` are refused too. Refusals are the team's
 * `BuildContextInvalidError`.
 */
export async function checkContextTree(
  root: string,
  options: ContextTreeOptions = {},
): Promise<ContextEntry[]> {
  const base = await realpath(root);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const entries: ContextEntry[] = [];
  const nodes = new Map<string, Node>();
  const lookup = (path: string) => nodeAt(base, path, nodes);
  const budget = { steps: TREE_MAX_STEPS };
  // Names of each hard-linked file (by device and inode) found in the tree, against its link count.
  const hardLinks = new Map<string, { path: string; names: number; nlink: number }>();
  let total = 0;
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(join(base, rel))).sort();
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const stat = await lstat(join(base, path));
      total += 512 + (stat.isFile() ? stat.size : 0);
      if (total > maxBytes) {
        throw new BuildContextInvalidError(
          `the build context is larger than the limit of ${Math.ceil(maxBytes / MIB)} MiB; nothing was exported`,
        );
      }
      if (stat.isDirectory()) {
        entries.push({ kind: 'dir', path });
        await visit(path);
      } else if (stat.isFile()) {
        if (stat.nlink > 1) {
          const key = `${stat.dev}:${stat.ino}`;
          const seen = hardLinks.get(key) ?? { path, names: 0, nlink: stat.nlink };
          hardLinks.set(key, { ...seen, names: seen.names + 1 });
        }
        entries.push({ kind: 'file', path });
      } else if (stat.isSymbolicLink()) {
        const target = await readlink(join(base, path));
        const problem = await linkProblem(path, target, lookup, budget);
        if (problem) throw new BuildContextInvalidError(`build context ${quoteInput(path)} ${problem}`);
        entries.push({ kind: 'link', path, target });
      } else {
        throw new BuildContextInvalidError(
          `build context ${quoteInput(path)} is not a file, directory or symbolic link; it is refused`,
        );
      }
    }
  };
  await visit('');
  for (const { path, names, nlink } of hardLinks.values()) {
    // Copying follows the inode: a name outside the tree would bring in a file the team never committed.
    if (names < nlink) {
      const outside = nlink - names;
      throw new BuildContextInvalidError(
        `build context ${quoteInput(path)} is a hard link to a file with ${outside} name${outside === 1 ? '' : 's'} outside the context; it is refused`,
      );
    }
  }
  return entries;
}

/** What a path of the tree is, as far as resolving links goes. */
type Node =
  | { readonly kind: 'link'; readonly target: string }
  | { readonly kind: 'dir' | 'other' | 'missing' };

async function nodeAt(base: string, path: string, cache: Map<string, Node>): Promise<Node> {
  const known = cache.get(path);
  if (known) return known;
  let stat: Stats | undefined;
  try {
    // Every component before the last is a directory of the tree, never a link: the resolution below replaces a
    // link by its target before going further, so lstat does not follow one on the way.
    stat = await lstat(join(base, path));
  } catch {
    stat = undefined;
  }
  const node: Node =
    stat === undefined
      ? { kind: 'missing' }
      : stat.isSymbolicLink()
        ? { kind: 'link', target: await readlink(join(base, path)) }
        : { kind: stat.isDirectory() ? 'dir' : 'other' };
  cache.set(path, node);
  return node;
}

/**
 * Why the link at `path` (relative to the context root) to `target` may not be in a context, resolved component
 * by component against the tree as the kernel would (a link's `..` is taken after the link is followed, not
 * before); undefined when it stays inside.
 */
async function linkProblem(
  path: string,
  target: string,
  lookup: (path: string) => Promise<Node>,
  budget: { steps: number },
): Promise<string | undefined> {
  if (isAbsolute(target)) {
    return `is a symbolic link to the absolute path ${quoteInput(target)}, outside the context`;
  }
  const named = `is a symbolic link to ${quoteInput(target)}`;
  const at: string[] = path.split('/').slice(0, -1);
  const pending: string[] = target.split('/');
  let links = 1;
  let steps = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (++steps > MAX_STEPS) return `${named} that takes more than ${MAX_STEPS} steps to resolve`;
    if (--budget.steps < 0) {
      throw new BuildContextInvalidError(
        `the symbolic links of the build context take more than ${TREE_MAX_STEPS} steps to resolve; it is refused`,
      );
    }
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return `${named}, which leaves the context`;
      at.pop();
      continue;
    }
    at.push(part);
    // Below a missing component every lookup is missing too, and its `..` is taken by the text: a dangling link
    // may not climb out either.
    const node = await lookup(at.join('/'));
    if (node.kind !== 'link') continue;
    const via = at.join('/');
    if (isAbsolute(node.target)) {
      return `${named}, which goes through ${quoteInput(via)}, a link to the absolute path ${quoteInput(node.target)}`;
    }
    if (++links > MAX_LINKS) {
      return `${named} that does not resolve: more than ${MAX_LINKS} links in a row (a loop)`;
    }
    at.pop();
    pending.unshift(...node.target.split('/'));
  }
  return undefined;
}
