import { copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { quoteInput } from '../../core/errors.js';
import { BuildContextInvalidError, type BuildContextSource } from '../../core/ports/build-context.js';
import { BuildContextError } from './git-build-context.js';

/** The one build a directory context answers for: the definition's directory of that repository at that commit. */
export interface DirectoryBuildContextProps {
  /** The unzipped context: the definition's directory at the commit (CodeBuild's `.drydock/context`). */
  readonly dir: string;
  readonly repository: string;
  readonly commit: string;
  /** The definition's directory in the repository (`''` for the root), which `dir` holds. */
  readonly definitionDir: string;
  /** The most bytes the context may take. @default 512 MiB */
  readonly maxBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * BuildContextSource over a directory that already holds one build's context (the zip CodeBuild downloaded):
 * it exports only that repository, commit and directory, copying the tree into the build's workspace. A symbolic
 * link that leaves the tree (absolute, or `..` past its root), a device, socket or FIFO, and a tree over the size
 * limit are the team's `BuildContextInvalidError` (the builder would follow the link on the build host); a request
 * for another build's context, or a used dest, is `BuildContextError`.
 */
export class DirectoryBuildContext implements BuildContextSource {
  readonly #props: DirectoryBuildContextProps;
  readonly #root: string;

  constructor(props: DirectoryBuildContextProps) {
    this.#props = props;
    this.#root = resolve(props.dir);
  }

  async export(repository: string, commit: string, definitionDir: string, dest: string): Promise<void> {
    const p = this.#props;
    const dir = definitionDir.replace(/\/+$/, '');
    if (repository !== p.repository || commit !== p.commit || dir !== p.definitionDir.replace(/\/+$/, '')) {
      throw new BuildContextError(
        `this build's context is ${quoteInput(p.definitionDir || '.')} of ${quoteInput(p.repository)} at ` +
          `${p.commit.slice(0, 12)}, not ${quoteInput(dir || '.')} of ${quoteInput(repository)} at ${quoteInput(commit.slice(0, 12))}`,
      );
    }
    const maxBytes = p.maxBytes ?? 512 * MIB;
    const entries = await this.#walk(maxBytes);
    await mkdir(dest, { recursive: true });
    if ((await readdir(dest)).length > 0)
      throw new BuildContextError(`build context directory ${dest} is not empty`);
    for (const entry of entries) {
      const to = join(dest, entry.path);
      if (entry.kind === 'dir') await mkdir(to, { recursive: true });
      else if (entry.kind === 'file') await copyFile(join(this.#root, entry.path), to);
      else if (entry.kind === 'link') await symlink(entry.target, to);
    }
  }

  // Checks the whole tree before anything is copied: a refused context leaves the workspace empty.
  async #walk(maxBytes: number): Promise<ContextEntry[]> {
    const entries: ContextEntry[] = [];
    let total = 0;
    const visit = async (rel: string): Promise<void> => {
      let names: string[];
      try {
        names = (await readdir(join(this.#root, rel))).sort();
      } catch (error) {
        throw new BuildContextError(
          `cannot read the build context ${join(this.#root, rel)}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      for (const name of names) {
        const path = rel === '' ? name : `${rel}/${name}`;
        const stat = await lstat(join(this.#root, path));
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
          entries.push({ kind: 'file', path });
        } else if (stat.isSymbolicLink()) {
          const target = await readlink(join(this.#root, path));
          const problem = symlinkProblem(path, target);
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
    return entries;
  }
}

type ContextEntry =
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'link'; readonly path: string; readonly target: string };

/**
 * Why a symbolic link at `path` (relative to the context root) pointing at `target` may not be in a context:
 * absolute, or leading out of the tree; undefined when it stays inside.
 */
export function symlinkProblem(path: string, target: string): string | undefined {
  if (isAbsolute(target))
    return `is a symbolic link to the absolute path ${quoteInput(target)}, outside the context`;
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const resolved = normalize(join('/ctx', parent, target));
  const inside = relative('/ctx', resolved);
  if (inside === '..' || inside.startsWith('../') || isAbsolute(inside)) {
    return `is a symbolic link to ${quoteInput(target)}, which leaves the context`;
  }
  return undefined;
}
