import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import { readFileAt } from './git-repositories.js';

/** Reads definitions from the bare repositories under `root` (`<root>/<repository>.git`). */
export class GitDefinitionSource implements DefinitionSource {
  constructor(private readonly root: string) {}

  async read(repository: string, commit: string, path: string): Promise<string | undefined> {
    const repo = join(this.root, `${repository}.git`);
    if (!existsSync(repo)) {
      throw new DrydockError(`no repository "${repository}" under ${this.root}`, {
        code: 'REPOSITORY_NOT_FOUND',
      });
    }
    try {
      return await readFileAt(repo, commit, path);
    } catch (err) {
      // `git show commit:path` fails for a path the commit does not have: the definition is gone.
      if (err instanceof DrydockError && /does not exist|exists on disk, but not in/.test(err.message))
        return undefined;
      throw err;
    }
  }
}
