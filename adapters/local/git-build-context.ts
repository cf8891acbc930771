import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { BuildContextSource, BuildWorkspace, BuildWorkspaces } from '../../core/ports/build-context.js';
import { exportDirectory } from './git-repositories.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A build context that cannot be exported: an unknown repository, a bad commit or directory, or a used dest. */
export class BuildContextError extends DrydockError {
  override readonly name = 'BuildContextError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'BUILD_CONTEXT_INVALID', ...options });
  }
}

/** BuildContextSource over the local bare repositories `<root>/<repository>.git` (git archive + tar). */
export class GitBuildContext implements BuildContextSource {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
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
    await exportDirectory(repo, commit, dir, dest);
  }
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
