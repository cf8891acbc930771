import type { Rebuild } from './rebuild.js';

/** What names one rebuild among the builds of its definition at its commit: the ban and the rebuild number. */
export type RebuildName = Pick<Rebuild, 'banId' | 'number'>;

/** The build-record key of a build: `<banId>#<number>` for a ban's rebuild, '' for a push's build. */
export function rebuildKey(rebuild: RebuildName | undefined): string {
  return rebuild === undefined ? '' : `${rebuild.banId}#${rebuild.number}`;
}

/**
 * The id parts that set a rebuild's events apart from those of its commit's push (`stableId(kind, repository,
 * commit, definition, ...rebuildIdParts(rebuild))`): the ban id and the number, and nothing for a push, whose
 * ids therefore stay what they were before rebuilds existed.
 */
export function rebuildIdParts(rebuild: RebuildName | undefined): string[] {
  return rebuild === undefined ? [] : [rebuild.banId, String(rebuild.number)];
}

/** `{ rebuild }` to spread into an event detail when the event is about a rebuild; `{}` for a push. */
export function withRebuild(rebuild: Rebuild | undefined): { rebuild?: Rebuild } {
  return rebuild === undefined ? {} : { rebuild };
}
