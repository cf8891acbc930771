import { DrydockError } from '../../core/errors.js';
import type { PathChange } from '../../core/push/changed-definitions.js';
import { isProjectPath, isSafePath } from '../../core/push/repository-paths.js';

/** What drydock reads from a hosted git service (GitHub, GitLab) about one project at one commit. */
export interface GitProvider {
  readonly kind: 'github' | 'gitlab';
  /** The host repository ids start with, like `github.com`. */
  readonly host: string;
  /** The text of `path` at `commit`, or undefined when the commit has no such file. */
  readFile(project: string, commit: string, path: string): Promise<string | undefined>;
  /** Every file path at `commit`. */
  listFiles(project: string, commit: string): Promise<string[]>;
  /** The paths that changed from `before` to `after`. */
  compare(project: string, before: string, after: string): Promise<PathChange[]>;
  /** The project's zip archive at `commit` (one top-level directory holding the tree). */
  archive(project: string, commit: string): Promise<Uint8Array>;
}

/** A repository id (`<host>/<project>`) split into the provider that serves it and the project path. */
export interface ResolvedRepository {
  readonly provider: GitProvider;
  readonly project: string;
}

/** The hosted git service answered with an error, or could not be reached. */
export class GitProviderError extends DrydockError {
  override readonly name = 'GitProviderError';
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; retryable: boolean; cause?: unknown }) {
    super(message, { code: 'GIT_PROVIDER_FAILED', retryable: options.retryable, cause: options.cause });
    this.status = options.status;
  }
}

/** No configured provider serves the repository's host. */
export class UnknownRepositoryHostError extends DrydockError {
  override readonly name = 'UnknownRepositoryHostError';

  constructor(repository: string, hosts: readonly string[]) {
    super(
      `no git provider is configured for ${JSON.stringify(repository)} (repository ids look like ${hosts
        .map((h) => `${h}/<project>`)
        .join(' or ')})`,
      { code: 'REPOSITORY_HOST_UNKNOWN' },
    );
  }
}

/** Picks the provider of a repository id by its host; the project path must be a plain `owner/repo` path. */
export function resolveRepository(repository: string, providers: readonly GitProvider[]): ResolvedRepository {
  for (const provider of providers) {
    const prefix = `${provider.host}/`;
    if (repository.startsWith(prefix)) {
      const project = repository.slice(prefix.length);
      if (!isProjectPath(project)) {
        throw new DrydockError(`${JSON.stringify(repository)} is not <host>/<owner>/<project>`, {
          code: 'REPOSITORY_INVALID',
        });
      }
      return { provider, project };
    }
  }
  throw new UnknownRepositoryHostError(
    repository,
    providers.map((p) => p.host),
  );
}

/** Options shared by the HTTP providers. */
export interface HttpProviderOptions {
  /** Largest file `readFile` returns. @default 1 MiB, the gate's own limit */
  readonly maxFileBytes?: number;
  /** Largest archive `archive` downloads. @default 256 MiB */
  readonly maxArchiveBytes?: number;
  /** Replaces the global fetch (tests). */
  readonly fetch?: typeof fetch;
}

/** One GET, with the provider's errors mapped: 429/5xx and network faults retryable, the rest not. */
export async function httpGet(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  what: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await doFetch(url, { headers, redirect: 'follow' });
  } catch (err) {
    throw new GitProviderError(`${what}: cannot reach ${new URL(url).host}`, { retryable: true, cause: err });
  }
  if (response.ok || response.status === 404) return response;
  const body = (await response.text().catch(() => '')).slice(0, 200);
  // GitHub answers 403 with a zero remaining quota when rate-limited: that passes.
  const rateLimited = response.status === 403 && response.headers.get('x-ratelimit-remaining') === '0';
  throw new GitProviderError(`${what}: HTTP ${response.status} ${body}`.trim(), {
    status: response.status,
    retryable: response.status === 429 || response.status >= 500 || rateLimited,
  });
}

/** Reads a response body, refusing one larger than `max` bytes before and while reading it. */
export async function readCapped(response: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) throw tooLarge(what, max);
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(what, max);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function tooLarge(what: string, max: number): GitProviderError {
  return new GitProviderError(`${what}: larger than ${max} bytes`, { retryable: false });
}

/** Encodes each segment of a path for a URL, keeping the slashes; a path that could climb the URL is refused. */
export function encodePath(path: string): string {
  if (!isSafePath(path)) {
    throw new DrydockError(`unsafe path ${JSON.stringify(path)}`, { code: 'PATH_INVALID' });
  }
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Decodes UTF-8 strictly: a definition that is not text is refused, not mangled. */
export function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new GitProviderError(`${what}: not UTF-8 text`, { retryable: false, cause: err });
  }
}
