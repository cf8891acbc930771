import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import {
  BuildContextInvalidError,
  type BuildContextSource,
  type BuildWorkspace,
  type BuildWorkspaces,
} from '../../core/ports/build-context.js';
import { checkContextTree } from './build-context-tree.js';
import { exportDirectory } from './git-repositories.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * A build context the pipeline cannot export (an unknown repository, a bad commit or directory, a used dest, git
 * failing): a fault of the event or the pipeline, not of the team's tree, which is `BuildContextInvalidError`.
 */
export class BuildContextError extends DrydockError {
  override readonly name = 'BuildContextError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'BUILD_CONTEXT_EXPORT_FAILED', ...options });
  }
}

/** Options of `GitBuildContext`. */
export interface GitBuildContextOptions {
  /**
   * The most bytes a context may take, read for every export (the policy's build.maxContextMiB); the tree is measured
   * from git's object sizes before anything is written. @default 512 MiB
   */
  readonly maxBytes?: () => Promise<number>;
}

const MIB = 1024 * 1024;

/**
 * BuildContextSource over the local bare repositories `<root>/<repository>.git` (git archive + tar); the exported
 * tree is checked by `checkContextTree` (links resolved against it) and removed when refused.
 */
export class GitBuildContext implements BuildContextSource {
  readonly #root: string;
  readonly #maxBytes: () => Promise<number>;

  constructor(root: string, options: GitBuildContextOptions = {}) {
    this.#root = resolve(root);
    this.#maxBytes = options.maxBytes ?? (async () => 512 * MIB);
  }

  async export(repository: string, commit: string, definitionDir: string, dest: string): Promise<void> {
    if (!NAME.test(repository))
      throw new BuildContextError(`invalid repository name ${JSON.stringify(repository)}`);
    if (!COMMIT.test(commit)) throw new BuildContextError(`invalid commit id ${JSON.stringify(commit)}`);
    const dir = definitionDir.replace(/\/+$/, '');
    if (dir.startsWith('/') || dir.split('/').some((c) => c === '..' || c === '.')) {
      throw new BuildContextError(
        `definition directory ${JSON.stringify(definitionDir)} must be a relative path`,
      );
    }
    const repo = join(this.#root, `${repository}.git`);
    if (!existsSync(repo)) throw new BuildContextError(`no repository ${repository} under ${this.#root}`);
    // A context must be exactly the tree at the commit: leftovers of another export would end up in the image.
    if (existsSync(dest) && (await readdir(dest)).length > 0) {
      throw new BuildContextError(`build context directory ${dest} is not empty`);
    }
    // A few kilobytes of git (one blob named a million times through nested trees) export to a terabyte: the tree is
    // measured first, each entry counting its length and a tar header, and one over the limit is not exported.
    const maxBytes = await this.#maxBytes();
    if (!(await treeWithin(repo, dir ? `${commit}:${dir}` : commit, maxBytes))) {
      throw new BuildContextInvalidError(
        `the tree of ${dir || 'the repository'} at ${commit.slice(0, 12)} is larger than the build context limit of ${Math.ceil(maxBytes / MIB)} MiB (build.maxContextMiB); nothing was exported`,
      );
    }
    await exportDirectory(repo, commit, dir, dest);
    // git stores links as their text: a tree's links are judged once they are real, against the tree they are in,
    // and a refused tree is removed so that nothing of it reaches the builder.
    try {
      await checkContextTree(dest);
    } catch (error) {
      await Promise.all(
        (await readdir(dest)).map((name) => rm(join(dest, name), { recursive: true, force: true })),
      );
      if (error instanceof BuildContextInvalidError) throw error;
      throw new BuildContextError(
        `cannot check the exported build context ${dest}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}

// Whether the files of a tree (git ls-tree -r -l, read as it comes and stopped once past the limit) fit in `maxBytes`.
function treeWithin(repo: string, treeish: string, maxBytes: number): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['ls-tree', '-r', '-l', '-z', '--', treeish], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let total = 0;
    let over = false;
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (over) return;
      const records = (partial + chunk).split('\0');
      partial = records.pop() ?? '';
      for (const record of records) {
        const size = Number(/^\S+ \S+ \S+ +(\d+)\t/.exec(record)?.[1] ?? 0);
        total += 512 + size;
        if (total > maxBytes) {
          over = true;
          child.kill('SIGKILL');
          break;
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (over) resolvePromise(false);
      else if (code !== 0) {
        reject(new BuildContextError(`git ls-tree ${treeish} failed: ${stderr.trim()}`));
      } else resolvePromise(true);
    });
  });
}

/**
 * Build workspaces as temporary directories under `root` (the OS temp dir by default); the context goes in a
 * `context/` subdirectory because the git export writes its archive next to it.
 */
export function tempBuildWorkspaces(root: string = tmpdir()): BuildWorkspaces {
  return async (buildId: string): Promise<BuildWorkspace> => {
    const dir = await mkdtemp(
      join(root, `drydock-${buildId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)}-`),
    );
    return {
      contextDir: join(dir, 'context'),
      release: () => rm(dir, { recursive: true, force: true }),
    };
  };
}
