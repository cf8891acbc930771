/** Where a build's context goes: a private directory that exists for one build and is removed after it. */
export interface BuildWorkspace {
  /** Directory to export the context into; it does not exist yet or is empty. */
  readonly contextDir: string;
  /** Removes the workspace and everything in it; safe to call more than once. */
  release(): Promise<void>;
}

/** Creates one workspace per build (a temp directory locally, the CodeBuild source directory on AWS). */
export type BuildWorkspaces = (buildId: string) => Promise<BuildWorkspace>;

/** Writes a definition's build context (its directory at one commit) where the builder reads it. */
export interface BuildContextSource {
  /**
   * Writes the tree of `definitionDir` (relative to the repository root, `''` for the root) at `commit` of
   * `repository` into `dest`.
   */
  export(repository: string, commit: string, definitionDir: string, dest: string): Promise<void>;
}
