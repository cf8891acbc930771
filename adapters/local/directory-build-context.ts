import { copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { quoteInput } from '../../core/errors.js';
import { BuildContextInvalidError, type BuildContextSource } from '../../core/ports/build-context.js';
import { type ContextEntry, checkContextTree } from './build-context-tree.js';
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
 * it exports only that repository, commit and directory, copying the tree into the build's workspace. What
 * `checkContextTree` refuses (a symbolic link that leaves the tree once resolved against it, a hard link to a file
 * outside it, a device, socket or FIFO, a tree over the size limit) is the team's `BuildContextInvalidError`; a
 * request for another build's context, or a used dest, is `BuildContextError`.
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
    try {
      return await checkContextTree(this.#root, { maxBytes });
    } catch (error) {
      if (error instanceof BuildContextInvalidError) throw error;
      throw new BuildContextError(
        `cannot read the build context ${this.#root}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
