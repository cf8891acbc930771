import { isMarkerManifestFor, markerTagSubject } from '../../core/ban/support-marker-artifact.js';
import { DrydockError } from '../../core/errors.js';
import type { RegistryTag } from '../../core/lineage/registry-drift.js';
import { RegistryUnavailableError } from '../../core/ports/image-registry.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PAGE_SIZE = 1000;
// A support marker's manifest is well under a kilobyte; more is not one.
const MARKER_LIMIT = 64 * 1024;

/** Options of `readRegistryTags`. */
export interface RegistryReadOptions {
  /** Timeout of one HTTP request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Entries asked for per page of the catalog and of each tag list. @default 1000 */
  readonly pageSize?: number;
}

/**
 * Every tag of every repository of a registry with the manifest digest it names, read anonymously through
 * its public side (the push guard): `_catalog`, `tags/list` and a `HEAD` of each tag, pages followed.
 * Sorted by repository, then tag. A tag deleted between the listing and its `HEAD` is left out. A support-marker
 * tag's manifest is read too, and the tag carries `markerOf` when it is a drydock marker of that image.
 */
export async function readRegistryTags(
  host: string,
  options: RegistryReadOptions = {},
): Promise<RegistryTag[]> {
  const timeout = options.requestTimeoutMs ?? 30_000;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const call = async (method: 'GET' | 'HEAD', path: string, accept: string): Promise<Response> => {
    try {
      return await fetch(`http://${host}${path}`, {
        method,
        headers: { accept },
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      throw new RegistryUnavailableError(`registry ${host} is not answering: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const fail = async (answer: Response, what: string): Promise<never> => {
    const body = (await answer.text().catch(() => '')).slice(0, 300);
    throw new DrydockError(`registry ${host} answered ${what} with ${answer.status}: ${body}`, {
      code: 'REGISTRY_REQUEST_FAILED',
    });
  };
  const pages = async (first: string, items: (body: unknown) => unknown): Promise<string[]> => {
    const all: string[] = [];
    let path: string | undefined = first;
    while (path !== undefined) {
      const answer = await call('GET', path, 'application/json');
      if (answer.status === 404) return all;
      if (answer.status !== 200) await fail(answer, `GET ${path}`);
      const listed = items(await answer.json());
      if (Array.isArray(listed)) all.push(...listed.filter((x): x is string => typeof x === 'string'));
      const next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
      // Only the path and query are kept: the next page always comes from this registry.
      const url = next === undefined ? undefined : new URL(next, `http://${host}`);
      path = url === undefined ? undefined : `${url.pathname}${url.search}`;
    }
    return all;
  };

  const repositories = await pages(
    `/v2/_catalog?n=${pageSize}`,
    (b) => (b as { repositories?: unknown }).repositories,
  );
  const tags: RegistryTag[] = [];
  for (const repository of [...repositories].sort()) {
    const names = await pages(
      `/v2/${repository}/tags/list?n=${pageSize}`,
      (b) => (b as { tags?: unknown }).tags,
    );
    for (const tag of [...names].sort()) {
      const path = `/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
      const answer = await call('HEAD', path, MANIFEST_TYPES);
      if (answer.status === 404) continue;
      if (answer.status !== 200) await fail(answer, `HEAD ${path}`);
      const digest = answer.headers.get('docker-content-digest') ?? '';
      if (!DIGEST.test(digest)) {
        throw new DrydockError(`registry ${host} gave no manifest digest for ${repository}:${tag}`, {
          code: 'REGISTRY_REQUEST_FAILED',
        });
      }
      const marker = markerTagSubject(tag);
      if (marker === undefined) {
        tags.push({ repository, tag, digest });
        continue;
      }
      // A marker tag counts as a marker only when it holds one about that very image.
      const body = await call('GET', path, MANIFEST_TYPES);
      if (body.status === 404) continue;
      if (body.status !== 200) await fail(body, `GET ${path}`);
      const text = (await body.text()).slice(0, MARKER_LIMIT);
      tags.push(
        isMarkerManifestFor(tag, text)
          ? { repository, tag, digest, markerOf: marker }
          : { repository, tag, digest },
      );
    }
  }
  return tags;
}
