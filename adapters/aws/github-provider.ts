import type { PathChange } from '../../core/push/changed-definitions.js';
import {
  decodeText,
  encodePath,
  type GitProvider,
  GitProviderError,
  type HttpProviderOptions,
  httpGet,
  readCapped,
} from './git-provider.js';

/** Options of the GitHub provider. */
export interface GitHubProviderOptions extends HttpProviderOptions {
  /** A token that can read the repositories; public ones are read without. */
  readonly token?: string;
  /** @default https://api.github.com */
  readonly apiUrl?: string;
  /** @default github.com */
  readonly host?: string;
}

interface TreeResponse {
  readonly tree: readonly { readonly path: string; readonly type: string }[];
  readonly truncated: boolean;
}

interface CompareResponse {
  readonly files?: readonly {
    readonly filename: string;
    readonly status: string;
    readonly previous_filename?: string;
  }[];
}

const STATUS: Record<string, PathChange['status'] | undefined> = {
  added: 'A',
  removed: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  changed: 'T',
};

/** GitHub (or GitHub Enterprise) through its REST API: contents, git trees, compare and zipball. */
export class GitHubProvider implements GitProvider {
  readonly kind = 'github' as const;
  readonly host: string;
  private readonly api: string;
  private readonly headers: Record<string, string>;
  private readonly doFetch: typeof fetch;
  private readonly maxFileBytes: number;
  private readonly maxArchiveBytes: number;

  constructor(options: GitHubProviderOptions = {}) {
    this.host = options.host ?? 'github.com';
    this.api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.headers = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'drydock',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
    this.doFetch = options.fetch ?? fetch;
    this.maxFileBytes = options.maxFileBytes ?? 1 << 20;
    this.maxArchiveBytes = options.maxArchiveBytes ?? 256 << 20;
  }

  async readFile(project: string, commit: string, path: string): Promise<string | undefined> {
    const what = `GitHub ${project}@${commit.slice(0, 12)}:${path}`;
    const url = `${this.api}/repos/${encodePath(project)}/contents/${encodePath(path)}?ref=${encodeURIComponent(commit)}`;
    const response = await httpGet(
      this.doFetch,
      url,
      { ...this.headers, accept: 'application/vnd.github.raw+json' },
      what,
    );
    if (response.status === 404) return undefined;
    return decodeText(await readCapped(response, this.maxFileBytes, what), what);
  }

  async listFiles(project: string, commit: string): Promise<string[]> {
    const what = `GitHub tree of ${project}@${commit.slice(0, 12)}`;
    const tree = await this.json<TreeResponse>(
      `${this.api}/repos/${encodePath(project)}/git/trees/${encodeURIComponent(commit)}?recursive=1`,
      what,
    );
    // A truncated listing could hide definitions; better to refuse than to gate half a repository.
    if (tree.truncated) {
      throw new GitProviderError(`${what}: the tree is too large for one listing`, { retryable: false });
    }
    return tree.tree.filter((e) => e.type === 'blob').map((e) => e.path);
  }

  async compare(project: string, before: string, after: string): Promise<PathChange[]> {
    const what = `GitHub compare ${project} ${before.slice(0, 12)}...${after.slice(0, 12)}`;
    const out = await this.json<CompareResponse>(
      `${this.api}/repos/${encodePath(project)}/compare/${encodeURIComponent(before)}...${encodeURIComponent(after)}`,
      what,
    );
    return (out.files ?? []).flatMap((f): PathChange[] => {
      const status = STATUS[f.status];
      if (!status) return [];
      return [{ status, path: f.filename, ...(f.previous_filename ? { from: f.previous_filename } : {}) }];
    });
  }

  async archive(project: string, commit: string): Promise<Uint8Array> {
    const what = `GitHub zipball of ${project}@${commit.slice(0, 12)}`;
    const url = `${this.api}/repos/${encodePath(project)}/zipball/${encodeURIComponent(commit)}`;
    const response = await httpGet(this.doFetch, url, this.headers, what);
    if (response.status === 404)
      throw new GitProviderError(`${what}: not found`, { status: 404, retryable: false });
    return readCapped(response, this.maxArchiveBytes, what);
  }

  private async json<T>(url: string, what: string): Promise<T> {
    const response = await httpGet(this.doFetch, url, this.headers, what);
    if (response.status === 404)
      throw new GitProviderError(`${what}: not found`, { status: 404, retryable: false });
    return (await response.json()) as T;
  }
}
