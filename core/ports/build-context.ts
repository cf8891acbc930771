import { DrydockError } from '../errors.js';

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
   * `repository` into `dest`. A tree that may not be a build context is `BuildContextInvalidError`.
   */
  export(repository: string, commit: string, definitionDir: string, dest: string): Promise<void>;
}

/**
 * The team's build context cannot be built from (a symbolic link leaving the tree, a device, a tree over the size
 * limit): the build fails with this reason, told to the team, since no retry changes the commit.
 */
export class BuildContextInvalidError extends DrydockError {
  override readonly name = 'BuildContextInvalidError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'BUILD_CONTEXT_INVALID', ...options });
  }
}
