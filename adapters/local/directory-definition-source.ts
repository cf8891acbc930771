import { lstat, readFile, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { DrydockError, quoteInput } from '../../core/errors.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';

/** The one build a directory source answers for. */
export interface DirectoryDefinitionSourceProps {
  /** The definition's directory at the commit (the unzipped context). */
  readonly dir: string;
  readonly repository: string;
  readonly commit: string;
  /** The definition's directory in the repository (`''` for the root), which `dir` holds. */
  readonly definitionDir: string;
}

// The image tests and other files a step reads are small; a bigger one is refused, not read.
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * DefinitionSource over one build's context directory: answers for files of the definition's directory of its
 * own repository and commit (image-tests.yaml beside the Dockerfile); a file elsewhere in the repository is not
 * there, and another repository or commit is refused (a step asking for it is a fault, not "no tests").
 */
export class DirectoryDefinitionSource implements DefinitionSource {
  readonly #props: DirectoryDefinitionSourceProps;

  constructor(props: DirectoryDefinitionSourceProps) {
    this.#props = props;
  }

  async read(repository: string, commit: string, path: string): Promise<string | undefined> {
    const p = this.#props;
    if (repository !== p.repository || commit !== p.commit) {
      throw new DrydockError(
        `this build's source is ${quoteInput(p.repository)} at ${p.commit.slice(0, 12)}, not ` +
          `${quoteInput(repository)} at ${quoteInput(commit.slice(0, 12))}`,
        { code: 'SOURCE_OUT_OF_SCOPE' },
      );
    }
    const prefix = p.definitionDir.replace(/\/+$/, '');
    if (prefix !== '' && !path.startsWith(`${prefix}/`)) return undefined;
    const rel = prefix === '' ? path : path.slice(prefix.length + 1);
    if (
      rel === '' ||
      rel.startsWith('/') ||
      rel.split('/').some((c) => c === '..' || c === '.' || c === '')
    ) {
      return undefined;
    }
    const root = await realpath(resolve(p.dir));
    let real: string;
    try {
      real = await realpath(join(root, rel));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // A link out of the context (to /etc/shadow) is not the definition's file.
    const inside = relative(root, real);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..') {
      throw new DrydockError(`${quoteInput(path)} leads out of the build context`, {
        code: 'SOURCE_OUT_OF_SCOPE',
      });
    }
    const stat = await lstat(real);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_FILE_BYTES) {
      throw new DrydockError(`${quoteInput(path)} is larger than ${MAX_FILE_BYTES} bytes; it is not read`, {
        code: 'SOURCE_FILE_TOO_LARGE',
      });
    }
    return readFile(real, 'utf8');
  }
}
