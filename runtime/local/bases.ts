import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { BUSYBOX_BASE_VERSIONS, seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { DEBIAN_BASE_SUITE, seedDebianBase } from '../../adapters/local/debian-base-seeder.js';
import { importRootfsBase, repositoryProblem } from '../../adapters/local/rootfs-base-importer.js';
import { DrydockError } from '../../core/errors.js';
import { tagProblem } from '../../core/image-ref/grammar.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { type ImageRegistry, InvalidImageTargetError } from '../../core/ports/image-registry.js';
import type { BaseSummary } from './api-types.js';
import {
  checkRootfsTarball,
  DEFAULT_MAX_UNPACKED_BYTES,
  DEFAULT_MAX_UPLOAD_BYTES,
  receiveUpload,
  type UploadBody,
} from './rootfs-upload.js';

/** What the base-image service needs; the daemon passes the pipeline's own builder and registry. */
export interface BasesDeps {
  readonly builder: BuildService;
  readonly registry: ImageRegistry;
  /** Pushes a locally built `<registryHost>/<repository>:<tag>` there and returns the manifest digest. */
  readonly push: (localTag: string) => Promise<{ digest: string }>;
  /** The registry host in references, `registry.host`. */
  readonly registryHost: string;
  /** Scratch space for tarballs and the Debian rootfs; must allow device nodes. @default os.tmpdir() */
  readonly workDir?: string;
  /** Time limit of each build (and of debootstrap). @default 600000 */
  readonly timeoutMs?: number;
  /** Largest rootfs upload taken by `receiveBase`, as sent. @default DEFAULT_MAX_UPLOAD_BYTES (2 GiB) */
  readonly maxUploadBytes?: number;
  /** Largest total size an uploaded rootfs may unpack to. @default DEFAULT_MAX_UNPACKED_BYTES (8 GiB) */
  readonly maxUnpackedBytes?: number;
}

/** Receives one line of progress for the NDJSON stream. */
export type BaseProgress = (message: string) => void;

/** Repositories under this namespace are bases: `drydock bases ls` lists them and imports go there. */
export const BASE_NAMESPACE = 'base';

/**
 * The catalogue `drydock bases seed` builds: two busybox versions (so one can be banned and replaced by the
 * other) and, opt-in (`--debian`), a Debian minbase. The default policy whitelists exactly these.
 */
export const DEFAULT_BASE_CATALOGUE = [
  { repository: `${BASE_NAMESPACE}/busybox`, tags: BUSYBOX_BASE_VERSIONS, optIn: false },
  { repository: `${BASE_NAMESPACE}/debian`, tags: [DEBIAN_BASE_SUITE], optIn: true },
] as const;

const tagSchema = z.string().superRefine((tag, ctx) => {
  const problem = tagProblem(tag);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid tag: ${problem.problem}` });
});

/** Body of `POST /api/bases/seed`. */
export const SeedBasesRequestSchema = z
  .object({
    /** busybox versions to seed, each a tag. @default BUSYBOX_BASE_VERSIONS */
    versions: z.array(tagSchema).min(1).max(50).optional(),
    /** Also seed the Debian minbase (`base/debian:bookworm`) with debootstrap. */
    debian: z.boolean().optional(),
    /** Mirror debootstrap downloads from; never a file:// path, which the daemon would read. @default http://deb.debian.org/debian */
    debianMirror: z
      .string()
      .refine((v) => /^https?:\/\/[^\s/]+\S*$/.test(v) && isHttpUrl(v), 'an http(s):// URL')
      .optional(),
  })
  .strict();
export type SeedBasesRequest = z.infer<typeof SeedBasesRequestSchema>;

/** What `seedBases` takes: a seed body, validated again there. */
export interface SeedBasesInput {
  readonly versions?: readonly string[];
  readonly debian?: boolean;
  readonly debianMirror?: string;
}

/**
 * Query of `POST /api/bases/import?name=…&tag=…`, whose body is the rootfs tarball itself: the daemon never
 * opens a path a request names, it imports only what the caller could read and sent.
 */
export const ImportBaseRequestSchema = z
  .object({
    /** The base's name: the repository becomes `base/<name>`. */
    name: z.string().superRefine((name, ctx) => {
      const problem = repositoryProblem(`${BASE_NAMESPACE}/${name}`);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid name: ${problem}` });
    }),
    tag: tagSchema,
  })
  .strict();
export type ImportBaseRequest = z.infer<typeof ImportBaseRequestSchema>;

/** What `receiveBase` takes: an import query, validated again there. */
export interface ImportBaseInput {
  readonly name: string;
  readonly tag: string;
}

/** An uploaded rootfs, stored in scratch space of the daemon and checked, waiting for `importReceivedBase`. */
export interface ReceivedBase {
  readonly name: string;
  readonly tag: string;
  /** The stored tarball, in a 0700 directory of the daemon's. */
  readonly tarball: string;
  readonly bytes: number;
  readonly entries: number;
  /** Removes the stored tarball; `importReceivedBase` does it itself. */
  discard(): Promise<void>;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A request body the base-image service cannot take; the HTTP API answers it with 400. */
export class BaseRequestInvalidError extends DrydockError {
  override readonly name = 'BaseRequestInvalidError';

  constructor(message: string) {
    super(message, { code: 'BASE_REQUEST_INVALID' });
  }
}

/** The tag exists already: bases are immutable, a new rootfs gets a new tag. */
export class BaseExistsError extends DrydockError {
  override readonly name = 'BaseExistsError';

  constructor(ref: string, digest: string) {
    super(`${ref} already exists (${digest}); bases do not change under a tag: import under a new tag`, {
      code: 'BASE_EXISTS',
    });
  }
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`,
  );
  throw new BaseRequestInvalidError(`invalid ${what} request: ${issues.join('; ')}`);
}

/** Validates a `POST /api/bases/seed` body; throws `BaseRequestInvalidError`. */
export function parseSeedBasesRequest(body: unknown): SeedBasesRequest {
  return parseWith(SeedBasesRequestSchema, body, 'seed');
}

/** Validates a `POST /api/bases/import` query (`name`, `tag`); throws `BaseRequestInvalidError`. */
export function parseImportBaseRequest(body: unknown): ImportBaseRequest {
  return parseWith(ImportBaseRequestSchema, body, 'import');
}

/** Makes the `push` dependency from a registry: `<host>/<repository>:<tag>` pushed to that repository and tag. */
export function pushTo(registry: ImageRegistry): (localTag: string) => Promise<{ digest: string }> {
  return async (localTag) => {
    const prefix = `${registry.host}/`;
    const colon = localTag.lastIndexOf(':');
    if (!localTag.startsWith(prefix) || colon < prefix.length) {
      throw new InvalidImageTargetError(`${localTag} is not a tagged image of ${registry.host}`);
    }
    const pushed = await registry.push(localTag, {
      repository: localTag.slice(prefix.length, colon),
      tag: localTag.slice(colon + 1),
    });
    return { digest: pushed.digest };
  };
}

function summary(registryHost: string, repository: string, tag: string, digest: string): BaseSummary {
  return { ref: `${registryHost}/${repository}:${tag}`, digest, repository, tag };
}

/**
 * Seeds the catalogue (the busybox versions, and the Debian minbase when asked) and returns its bases in
 * order; a tag already in the registry is kept as it is, so seeding twice changes no digest.
 */
export async function seedBases(
  deps: BasesDeps,
  body: SeedBasesInput,
  onProgress: BaseProgress,
): Promise<BaseSummary[]> {
  const request = parseSeedBasesRequest(body);
  const busybox = DEFAULT_BASE_CATALOGUE[0].repository;
  const present = new Map<string, string>();
  const missing: string[] = [];
  for (const version of request.versions ?? BUSYBOX_BASE_VERSIONS) {
    const found = await deps.registry.inspect(`${busybox}:${version}`);
    if (found === undefined) {
      missing.push(version);
    } else {
      present.set(version, found.digest);
      onProgress(`${deps.registryHost}/${busybox}:${version} is already seeded (${found.digest})`);
    }
  }
  if (missing.length > 0) {
    onProgress(`building ${busybox} ${missing.join(', ')} from busybox-static`);
    const seeded = await seedBusyboxBases({
      builder: deps.builder,
      push: deps.push,
      registryHost: deps.registryHost,
      repository: busybox,
      versions: missing,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      ...(deps.workDir === undefined ? {} : { workDir: deps.workDir }),
      log: onProgress,
    });
    for (const s of seeded) present.set(s.version, s.digest);
  }
  const bases = (request.versions ?? BUSYBOX_BASE_VERSIONS).map((version) =>
    summary(deps.registryHost, busybox, version, present.get(version)!),
  );
  if (request.debian) bases.push(await seedDebian(deps, request, onProgress));
  return bases;
}

async function seedDebian(
  deps: BasesDeps,
  request: SeedBasesRequest,
  onProgress: BaseProgress,
): Promise<BaseSummary> {
  const { repository, tags } = DEFAULT_BASE_CATALOGUE[1];
  const [tag] = tags;
  const found = await deps.registry.inspect(`${repository}:${tag}`);
  if (found !== undefined) {
    onProgress(`${deps.registryHost}/${repository}:${tag} is already seeded (${found.digest})`);
    return summary(deps.registryHost, repository, tag, found.digest);
  }
  onProgress(`bootstrapping Debian ${tag} minbase with debootstrap (about a minute)`);
  const seeded = await seedDebianBase({
    builder: deps.builder,
    push: deps.push,
    registryHost: deps.registryHost,
    repository,
    tag,
    suite: tag,
    ...(request.debianMirror === undefined ? {} : { mirror: request.debianMirror }),
    ...(deps.workDir === undefined ? {} : { workDir: deps.workDir }),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    log: onProgress,
  });
  onProgress(`seeded ${seeded.ref}@${seeded.digest}`);
  return summary(deps.registryHost, repository, tag, seeded.digest);
}

/**
 * Takes an uploaded rootfs tarball for `base/<name>:<tag>`: refuses a tag that exists already
 * (`BaseExistsError`) before reading anything, stores the upload in a new 0700 scratch directory up to
 * `maxUploadBytes`, and checks its entries (`checkRootfsTarball`: nothing outside the rootfs, no devices).
 */
export async function receiveBase(
  deps: BasesDeps,
  query: ImportBaseInput,
  upload: UploadBody,
): Promise<ReceivedBase> {
  const request = parseImportBaseRequest(query);
  const repository = `${BASE_NAMESPACE}/${request.name}`;
  const found = await deps.registry.inspect(`${repository}:${request.tag}`);
  if (found !== undefined) {
    throw new BaseExistsError(`${deps.registryHost}/${repository}:${request.tag}`, found.digest);
  }
  const dir = await mkdtemp(join(deps.workDir ?? tmpdir(), 'drydock-upload-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    const tarball = join(dir, 'rootfs.tar');
    const bytes = await receiveUpload(upload, tarball, deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
    const { entries } = await checkRootfsTarball(tarball, {
      maxUnpackedBytes: deps.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
    return { name: request.name, tag: request.tag, tarball, bytes, entries, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

const mebibytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Imports a received rootfs as `base/<name>:<tag>` and returns it (a list of one, the shape of the seed's
 * answer); the stored upload is removed whatever happens.
 */
export async function importReceivedBase(
  deps: BasesDeps,
  received: ReceivedBase,
  onProgress: BaseProgress,
): Promise<BaseSummary[]> {
  try {
    const repository = `${BASE_NAMESPACE}/${received.name}`;
    onProgress(
      `importing the uploaded rootfs (${mebibytes(received.bytes)}, ${received.entries} entries) as ${deps.registryHost}/${repository}:${received.tag}`,
    );
    const imported = await importRootfsBase({
      builder: deps.builder,
      push: deps.push,
      registryHost: deps.registryHost,
      source: received.tarball,
      repository,
      tag: received.tag,
      ...(deps.workDir === undefined ? {} : { workDir: deps.workDir }),
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      log: onProgress,
    });
    return [summary(deps.registryHost, repository, received.tag, imported.digest)];
  } finally {
    await received.discard();
  }
}

const byVersion = new Intl.Collator('en', { numeric: true });

/** Every tag of every repository under `base/`, with its manifest digest, sorted by repository then tag. */
export async function listBases(registry: ImageRegistry): Promise<BaseSummary[]> {
  const repositories = (await registry.repositories()).filter((r) => r.startsWith(`${BASE_NAMESPACE}/`));
  const perRepository = await Promise.all(
    repositories.map(async (repository) => {
      const tags = [...(await registry.tags(repository))].sort(byVersion.compare);
      const found = await Promise.all(
        tags.map(async (tag) => ({ tag, details: await registry.inspect(`${repository}:${tag}`) })),
      );
      // A tag deleted between the listing and the inspection is not a base any more.
      return found.flatMap(({ tag, details }) =>
        details === undefined ? [] : [summary(registry.host, repository, tag, details.digest)],
      );
    }),
  );
  return perRepository.flat();
}

/** The base operations over one set of deps, in the shape of the HTTP API's `BaseCatalogue`. */
export function localBaseCatalogue(deps: BasesDeps): {
  list(): Promise<BaseSummary[]>;
  seed(request: SeedBasesInput, progress: BaseProgress): Promise<BaseSummary[]>;
  receive(query: ImportBaseInput, upload: UploadBody): Promise<ReceivedBase>;
  import(received: ReceivedBase, progress: BaseProgress): Promise<BaseSummary[]>;
} {
  return {
    list: () => listBases(deps.registry),
    seed: (request, progress) => seedBases(deps, request, progress),
    receive: (query, upload) => receiveBase(deps, query, upload),
    import: (received, progress) => importReceivedBase(deps, received, progress),
  };
}
