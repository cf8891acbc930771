import { isDefinitionName } from '../dockerfile/definition-names.js';

/** One changed path of a push, as `git diff --name-status` reports it. */
export interface PathChange {
  /** A added, M modified, D deleted, R renamed, C copied, T type changed. */
  readonly status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  readonly path: string;
  /** The old path of a rename or copy. */
  readonly from?: string;
}

/** A definition a push touched: its Dockerfile or anything in its build context (its directory). */
export interface ChangedDefinition {
  readonly path: string;
  readonly change: 'added' | 'modified' | 'deleted';
}

/** Parses `git diff --name-status -z` output; unknown status letters are an error naming the entry. */
export function parseNameStatus(output: string): PathChange[] {
  const parts = output.split('\0');
  if (parts.at(-1) === '') parts.pop();
  const out: PathChange[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++] ?? '';
    const status = code[0];
    if (status === 'R' || status === 'C') {
      const from = parts[i++] ?? '';
      out.push({ status, from, path: parts[i++] ?? '' });
    } else if (status === 'A' || status === 'M' || status === 'D' || status === 'T') {
      out.push({ status, path: parts[i++] ?? '' });
    } else {
      throw new Error(`git diff --name-status: unexpected status "${code}" at entry ${out.length + 1}`);
    }
  }
  return out;
}

const dirOf = (path: string): string => {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
};

const inside = (path: string, dir: string): boolean =>
  dir === '' || path === dir || path.startsWith(`${dir}/`);

/**
 * The definitions a push changed: a definition file added, modified or deleted, or any change inside the
 * directory of a definition that exists after the push (its build context, `image-tests.yaml` included);
 * a change is owned by the definitions of the nearest enclosing directory that has any.
 */
export function changedDefinitions(
  definitionsAfter: readonly string[],
  changes: readonly PathChange[],
): ChangedDefinition[] {
  const result = new Map<string, ChangedDefinition['change']>();
  const after = definitionsAfter.filter((p) => isDefinitionName(p.slice(p.lastIndexOf('/') + 1)));
  for (const c of changes) {
    const name = c.path.slice(c.path.lastIndexOf('/') + 1);
    if (isDefinitionName(name)) {
      result.set(
        c.path,
        c.status === 'A' || c.status === 'C' ? 'added' : c.status === 'D' ? 'deleted' : 'modified',
      );
    }
    if (c.status === 'R' && c.from && isDefinitionName(c.from.slice(c.from.lastIndexOf('/') + 1))) {
      result.set(c.from, 'deleted');
      result.set(c.path, 'added');
    }
  }
  // A changed file belongs to the definitions of its nearest enclosing directory that has any, so a
  // repository-root Dockerfile does not rebuild for every change inside a nested service.
  const contexts = [...new Set(after.map(dirOf))].sort((a, b) => b.length - a.length);
  for (const c of changes) {
    for (const path of [c.path, c.from].filter((p): p is string => p !== undefined)) {
      // A definition file is its own change, not a change to another definition's context.
      if (isDefinitionName(path.slice(path.lastIndexOf('/') + 1))) continue;
      const owner = contexts.find((dir) => inside(path, dir));
      if (owner === undefined) continue;
      for (const def of after) if (dirOf(def) === owner && !result.has(def)) result.set(def, 'modified');
    }
  }
  return [...result].map(([path, change]) => ({ path, change })).sort((a, b) => a.path.localeCompare(b.path));
}
