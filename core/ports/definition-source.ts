/** Reads container definitions from the repositories teams push to (local bare repos; GitHub/GitLab on AWS). */
export interface DefinitionSource {
  /** The text of `path` at `commit` in `repository`, or undefined when it does not exist there. */
  read(repository: string, commit: string, path: string): Promise<string | undefined>;
  /**
   * Build-context files of `definition` that the gate checks by content: the source lists the definition's
   * directory at `commit`, `pick` chooses among those context-relative paths, and the chosen files that are text
   * within `CONTEXT_LIMITS` come back keyed by context-relative path. A source without it gives no context files.
   */
  contextFiles?(
    repository: string,
    commit: string,
    definition: string,
    pick: (listing: readonly string[]) => readonly string[],
  ): Promise<ReadonlyMap<string, string>>;
}
