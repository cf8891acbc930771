/** The builders drydock hands a gated Dockerfile to. */
export type BuilderId = 'buildah-1.28' | 'buildkit';

/** What one builder makes of Dockerfile syntax where builders (and the gate's parser) disagree. */
export interface BuilderProfile {
  readonly id: BuilderId;
  /** How messages name it: "the local builder (buildah 1.28)". */
  readonly name: string;
  /** Whether `<<EOF` in RUN, COPY and ADD starts a heredoc; without support its body lines are instructions. */
  readonly heredocs: boolean;
  /** Parser directives the builder knows; the first comment that is not one of them ends the directives. */
  readonly directives: readonly string[];
  /**
   * How the builder reads `# escape=`: buildah 1.28 (imagebuilder's old moby parser) takes the first character
   * after `=`; BuildKit takes the whole value and accepts only `\` or a backtick.
   */
  readonly escapeValue: 'first-character' | 'whole-value';
  /** Whether `# syntax=IMAGE` makes the builder pull IMAGE and let it run the build (BuildKit's frontends). */
  readonly syntaxRunsFrontend: boolean;
}

/** Debian's buildah 1.28, the local pipeline's builder: no heredocs, only the `escape` directive. */
export const BUILDAH_1_28: BuilderProfile = {
  id: 'buildah-1.28',
  name: 'the local builder (buildah 1.28)',
  heredocs: false,
  directives: ['escape'],
  escapeValue: 'first-character',
  syntaxRunsFrontend: false,
};

/** BuildKit's dockerfile frontend (`docker build` on CodeBuild): heredocs, `syntax`, `escape` and `check`. */
export const BUILDKIT: BuilderProfile = {
  id: 'buildkit',
  name: "CodeBuild's builder (BuildKit)",
  heredocs: true,
  directives: ['syntax', 'escape', 'check'],
  escapeValue: 'whole-value',
  syntaxRunsFrontend: true,
};

/** Every builder profile, by id. */
export const BUILDERS: Readonly<Record<BuilderId, BuilderProfile>> = {
  'buildah-1.28': BUILDAH_1_28,
  buildkit: BUILDKIT,
};

/**
 * The strictest choice, and the default where the builder is not known (`drydock lint`, `drydock check`):
 * a file passes only when every builder reads it as the gate does.
 */
export const ALL_BUILDERS: readonly BuilderProfile[] = [BUILDAH_1_28, BUILDKIT];

/** The builders a `--builder` value names: one id, or `all` for the strictest; undefined when unknown. */
export function buildersNamed(value: string): readonly BuilderProfile[] | undefined {
  if (value === 'all') return ALL_BUILDERS;
  const found = (BUILDERS as Record<string, BuilderProfile | undefined>)[value];
  return found ? [found] : undefined;
}
