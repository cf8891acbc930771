import type { PathChange } from '../../core/push/changed-definitions.js';
import { isSafePath } from '../../core/push/repository-paths.js';
import {
  decodeText,
  type GitProvider,
  GitProviderError,
  type HttpProviderOptions,
  httpGet,
  readCapped,
} from './git-provider.js';

/** Options of the GitLab provider. */
export interface GitLabProviderOptions extends HttpProviderOptions {
  /** A token with `read_repository`/`read_api`; public projects are read without. */
  readonly token?: string;
  /** @default https://gitlab.com */
  readonly url?: string;
}

interface TreeEntry {
  readonly path: string;
  readonly type: string;
}

interface CompareResponse {
  readonly diffs?: readonly {
    readonly old_path: string;
    readonly new_path: string;
    readonly new_file: boolean;
    readonly renamed_file: boolean;
    readonly deleted_file: boolean;
  }[];
}

// A `Link` header's next page: `<https://…>; rel="next"`.
const NEXT_LINK = /<([^>]+)>\s*;\s*rel="next"/;

/** GitLab (gitlab.com or self-managed) through its v4 API: raw files, tree, compare and archive. */
export class GitLabProvider implements GitProvider {
  readonly kind = 'gitlab' as const;
  readonly host: string;
  private readonly api: string;
  private readonly headers: Record<string, string>;
  private readonly doFetch: typeof fetch;
  private readonly maxFileBytes: number;
  private readonly maxArchiveBytes: number;

  constructor(options: GitLabProviderOptions = {}) {
    const base = new URL(options.url ?? 'https://gitlab.com');
    this.host = base.host;
    this.api = `${base.origin}${base.pathname.replace(/\/+$/, '')}/api/v4`;
    this.headers = { 'user-agent': 'drydock', ...(options.token ? { 'private-token': options.token } : {}) };
    this.doFetch = options.fetch ?? fetch;
    this.maxFileBytes = options.maxFileBytes ?? 1 << 20;
    this.maxArchiveBytes = options.maxArchiveBytes ?? 256 << 20;
  }

  async readFile(project: string, commit: string, path: string): Promise<string | undefined> {
    const what = `GitLab ${project}@${commit.slice(0, 12)}:${path}`;
    // GitLab takes the file path as one encoded segment; a `..` alone would still climb, so check it first.
    if (!isSafePath(path)) throw new GitProviderError(`${what}: unsafe path`, { retryable: false });
    const file = encodeURIComponent(path);
    const url = `${this.project(project)}/repository/files/${file}/raw?ref=${encodeURIComponent(commit)}`;
    const response = await httpGet(this.doFetch, url, this.headers, what);
    if (response.status === 404) return undefined;
    return decodeText(await readCapped(response, this.maxFileBytes, what), what);
  }

  async listFiles(project: string, commit: string): Promise<string[]> {
    const what = `GitLab tree of ${project}@${commit.slice(0, 12)}`;
    const files: string[] = [];
    let url: string | undefined =
      `${this.project(project)}/repository/tree?ref=${encodeURIComponent(commit)}&recursive=true&per_page=100&pagination=keyset`;
    while (url) {
      const response = await this.ok(url, what);
      const page = (await response.json()) as TreeEntry[];
      for (const entry of page) if (entry.type === 'blob') files.push(entry.path);
      const next = NEXT_LINK.exec(response.headers.get('link') ?? '')?.[1];
      // The token goes with every request: follow only links back to the same API.
      if (next !== undefined && !next.startsWith(`${this.api}/`)) {
        throw new GitProviderError(`${what}: the next page is not on ${this.api}`, { retryable: false });
      }
      url = next;
    }
    return files;
  }

  async compare(project: string, before: string, after: string): Promise<PathChange[]> {
    const what = `GitLab compare ${project} ${before.slice(0, 12)}..${after.slice(0, 12)}`;
    const url = `${this.project(project)}/repository/compare?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}&straight=true`;
    const out = (await (await this.ok(url, what)).json()) as CompareResponse;
    return (out.diffs ?? []).map((d): PathChange => {
      if (d.new_file) return { status: 'A', path: d.new_path };
      if (d.deleted_file) return { status: 'D', path: d.old_path };
      if (d.renamed_file) return { status: 'R', path: d.new_path, from: d.old_path };
      return { status: 'M', path: d.new_path };
    });
  }

  async archive(project: string, commit: string): Promise<Uint8Array> {
    const what = `GitLab archive of ${project}@${commit.slice(0, 12)}`;
    const response = await this.ok(
      `${this.project(project)}/repository/archive.zip?sha=${encodeURIComponent(commit)}`,
      what,
    );
    return readCapped(response, this.maxArchiveBytes, what);
  }

  private project(project: string): string {
    return `${this.api}/projects/${encodeURIComponent(project)}`;
  }

  private async ok(url: string, what: string): Promise<Response> {
    const response = await httpGet(this.doFetch, url, this.headers, what);
    if (response.status === 404)
      throw new GitProviderError(`${what}: not found`, { status: 404, retryable: false });
    return response;
  }
}
