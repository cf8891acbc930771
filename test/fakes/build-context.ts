import { DrydockError } from '../../core/errors.js';
import type { BuildContextSource, BuildWorkspace, BuildWorkspaces } from '../../core/ports/build-context.js';
import type { FakeDefinitionSource } from './definition-source.js';

/** One export of a build context. */
export interface ContextExport {
  readonly repository: string;
  readonly commit: string;
  readonly definitionDir: string;
  readonly dest: string;
  /** The files written, relative to `dest`. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * A build context source that records each export and takes the files from a fake definition source. Like the git
 * export it refuses a destination already used (leftovers of another export would end up in the image) and throws
 * for an unknown repository or commit.
 */
export class FakeBuildContext implements BuildContextSource {
  readonly exports: ContextExport[] = [];
  readonly #source: FakeDefinitionSource;
  #failure: Error | undefined;

  constructor(source: FakeDefinitionSource) {
    this.#source = source;
  }

  async export(repository: string, commit: string, definitionDir: string, dest: string): Promise<void> {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    if (this.exportedTo(dest)) {
      throw new DrydockError(`build context destination ${dest} is already used`, {
        code: 'BUILD_CONTEXT_EXPORT_FAILED',
      });
    }
    const files = this.#source.filesUnder(repository, commit, definitionDir);
    this.exports.push({ repository, commit, definitionDir, dest, files });
  }

  /** The export written to a directory, if any. */
  exportedTo(dest: string): ContextExport | undefined {
    return this.exports.find((e) => e.dest === dest);
  }

  failNext(error: Error): void {
    this.#failure = error;
  }
}

/**
 * Build workspaces that exist only as names: each build gets a unique directory (never created on disk), and
 * `released` says which ones were given back.
 */
export class FakeWorkspaces {
  readonly created: string[] = [];
  readonly released = new Set<string>();
  #next = 0;

  /** The `BuildWorkspaces` port. */
  readonly open: BuildWorkspaces = async (buildId: string): Promise<BuildWorkspace> => {
    const dir = `/nonexistent/drydock-workspaces/${buildId}-${++this.#next}`;
    const contextDir = `${dir}/context`;
    this.created.push(contextDir);
    return {
      contextDir,
      release: async () => {
        this.released.add(contextDir);
      },
    };
  };

  /** Workspaces created and not released. */
  live(): string[] {
    return this.created.filter((d) => !this.released.has(d));
  }
}
