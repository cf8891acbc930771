import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import { CONTEXT_LIMITS, contextText } from '../../core/lint/copied-files.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import { listFilesAt, readBlobAt, readFileAt } from './git-repositories.js';

// A context with more files than this is listed only this far: the gate reads a bounded share of any push.
const MAX_LISTED = 20_000;

/** Reads definitions from the bare repositories under `root` (`<root>/<repository>.git`). */
export class GitDefinitionSource implements DefinitionSource {
  constructor(private readonly root: string) {}

  async read(repository: string, commit: string, path: string): Promise<string | undefined> {
    const repo = this.repo(repository);
    try {
      return await readFileAt(repo, commit, path);
    } catch (err) {
      // `git show commit:path` fails for a path the commit does not have: the definition is gone.
      if (err instanceof DrydockError && /does not exist|exists on disk, but not in/.test(err.message))
        return undefined;
      throw err;
    }
  }

  async contextFiles(
    repository: string,
    commit: string,
    definition: string,
    pick: (listing: readonly string[]) => readonly string[],
  ): Promise<ReadonlyMap<string, string>> {
    const repo = this.repo(repository);
    const slash = definition.lastIndexOf('/');
    const dir = slash < 0 ? '' : definition.slice(0, slash);
    const listed = await listFilesAt(repo, commit, dir, MAX_LISTED);
    const sizes = new Map(listed.map((f) => [f.path, f.size]));
    const out = new Map<string, string>();
    for (const path of pick(listed.map((f) => f.path))) {
      const size = sizes.get(path);
      // Too big to be configuration: checked by name and destination only, and never read into memory.
      if (size === undefined || size > CONTEXT_LIMITS.maxBytes) continue;
      const text = contextText(await readBlobAt(repo, commit, dir === '' ? path : `${dir}/${path}`));
      if (text !== undefined) out.set(path, text);
    }
    return out;
  }

  private repo(repository: string): string {
    const repo = join(this.root, `${repository}.git`);
    if (!existsSync(repo)) {
      throw new DrydockError(`no repository "${repository}" under ${this.root}`, {
        code: 'REPOSITORY_NOT_FOUND',
      });
    }
    return repo;
  }
}
