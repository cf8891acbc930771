/** Reads container definitions from the repositories teams push to (local bare repos; GitHub/GitLab on AWS). */
export interface DefinitionSource {
  /** The text of `path` at `commit` in `repository`, or undefined when it does not exist there. */
  read(repository: string, commit: string, path: string): Promise<string | undefined>;
}
