import { DrydockError } from '../../core/errors.js';
import { contextText } from '../../core/lint/copied-files.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';

/**
 * Definitions in memory: repository → commit → path → text. Like the git source, an unknown repository or commit
 * throws and a path the commit does not have reads as undefined; `contextFiles` lists the definition's directory
 * and returns the picked files that are text within `CONTEXT_LIMITS`.
 */
export class FakeDefinitionSource implements DefinitionSource {
  readonly #repos = new Map<string, Map<string, ReadonlyMap<string, string>>>();
  /** Every `read`, as `<repository>@<commit>:<path>`. */
  readonly reads: string[] = [];

  /** Adds a commit of a repository holding exactly these files (path → text). */
  commit(repository: string, commit: string, files: Readonly<Record<string, string>>): this {
    let commits = this.#repos.get(repository);
    if (!commits) {
      commits = new Map();
      this.#repos.set(repository, commits);
    }
    commits.set(commit, new Map(Object.entries(files)));
    return this;
  }

  async read(repository: string, commit: string, path: string): Promise<string | undefined> {
    this.reads.push(`${repository}@${commit}:${path}`);
    return this.tree(repository, commit).get(path);
  }

  async contextFiles(
    repository: string,
    commit: string,
    definition: string,
    pick: (listing: readonly string[]) => readonly string[],
  ): Promise<ReadonlyMap<string, string>> {
    const slash = definition.lastIndexOf('/');
    const listing = this.filesUnder(repository, commit, slash < 0 ? '' : definition.slice(0, slash));
    const out = new Map<string, string>();
    for (const path of pick([...listing.keys()])) {
      const text = listing.get(path);
      const decoded = text === undefined ? undefined : contextText(Buffer.from(text, 'utf8'));
      if (decoded !== undefined) out.set(path, decoded);
    }
    return out;
  }

  /** The files under a directory of a commit (`''`: the root), keyed by path relative to it. */
  filesUnder(repository: string, commit: string, dir: string): Map<string, string> {
    const prefix = dir === '' ? '' : `${dir}/`;
    const out = new Map<string, string>();
    for (const [path, text] of this.tree(repository, commit)) {
      if (path.startsWith(prefix)) out.set(path.slice(prefix.length), text);
    }
    return out;
  }

  private tree(repository: string, commit: string): ReadonlyMap<string, string> {
    const commits = this.#repos.get(repository);
    if (!commits) {
      throw new DrydockError(`no repository ${JSON.stringify(repository)}`, { code: 'REPOSITORY_NOT_FOUND' });
    }
    const tree = commits.get(commit);
    if (!tree) {
      throw new DrydockError(`${repository} has no commit ${commit}`, { code: 'COMMIT_NOT_FOUND' });
    }
    return tree;
  }
}
