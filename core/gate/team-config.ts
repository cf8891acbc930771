import { ConfigError } from '../errors.js';
import { type LintConfig, parseLintConfig } from '../lint/config.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import { teamConfigCandidates } from './team-config-paths.js';

export { teamConfigCandidates };

/** The team's lint configuration for one definition at one commit: found and valid, found and invalid, or none. */
export type TeamConfig =
  | { readonly kind: 'found'; readonly file: string; readonly config: LintConfig }
  | { readonly kind: 'invalid'; readonly file: string; readonly reason: string }
  | { readonly kind: 'none' };

/**
 * The lint configuration a team keeps in its repository, as `drydock lint` finds it on a laptop: the
 * nearest `.drydock.yaml` from the definition's directory up to the root, else the nearest `.hadolint.yaml`,
 * read at the pushed commit, so the pipeline gives the verdict the team saw locally.
 */
export async function teamConfigFor(
  source: DefinitionSource,
  repository: string,
  commit: string,
  definition: string,
): Promise<TeamConfig> {
  for (const file of teamConfigCandidates(definition)) {
    const text = await source.read(repository, commit, file);
    if (text === undefined) continue;
    try {
      return { kind: 'found', file, config: parseLintConfig(text, file) };
    } catch (error) {
      if (error instanceof ConfigError) return { kind: 'invalid', file, reason: error.message };
      throw error;
    }
  }
  return { kind: 'none' };
}
