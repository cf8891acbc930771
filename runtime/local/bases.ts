import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { BUSYBOX_BASE_VERSIONS, seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { DEBIAN_BASE_SUITE, seedDebianBase } from '../../adapters/local/debian-base-seeder.js';
import { importRootfsBase, repositoryProblem } from '../../adapters/local/rootfs-base-importer.js';
import { DrydockError } from '../../core/errors.js';
import { tagProblem } from '../../core/image-ref/grammar.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { type ImageRegistry, InvalidImageTargetError } from '../../core/ports/image-registry.js';
import type { BaseSummary } from './api-types.js';

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
    /** Mirror debootstrap downloads from. @default http://deb.debian.org/debian */
    debianMirror: z
      .string()
      .regex(/^(https?|file):\/\/\S+$/, 'an http(s):// or file:// URL')
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

/** Body of `POST /api/bases/import`. */
export const ImportBaseRequestSchema = z
  .object({
    /** Absolute path, on the pipeline's machine, of a rootfs directory or tarball. */
    source: z
      .string()
      .min(1)
      .refine(isAbsolute, 'must be an absolute path (the CLI resolves it against its working directory)'),
    /** The base's name: the repository becomes `base/<name>`. */
    name: z.string().superRefine((name, ctx) => {
      const problem = repositoryProblem(`${BASE_NAMESPACE}/${name}`);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid name: ${problem}` });
    }),
    tag: tagSchema,
  })
  .strict();
export type ImportBaseRequest = z.infer<typeof ImportBaseRequestSchema>;

/** What `importBase` takes: an import body, validated again there. */
export interface ImportBaseInput {
  readonly source: string;
  readonly name: string;
  readonly tag: string;
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

/** Validates a `POST /api/bases/import` body; throws `BaseRequestInvalidError`. */
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
 * Imports a rootfs directory or tarball as `base/<name>:<tag>` and returns it (a list of one, the shape of
 * the seed's answer); refuses a tag that exists already with `BaseExistsError`.
 */
export async function importBase(
  deps: BasesDeps,
  body: ImportBaseInput,
  onProgress: BaseProgress,
): Promise<BaseSummary[]> {
  const request = parseImportBaseRequest(body);
  const repository = `${BASE_NAMESPACE}/${request.name}`;
  const found = await deps.registry.inspect(`${repository}:${request.tag}`);
  if (found !== undefined) {
    throw new BaseExistsError(`${deps.registryHost}/${repository}:${request.tag}`, found.digest);
  }
  onProgress(`importing ${request.source} as ${deps.registryHost}/${repository}:${request.tag}`);
  const imported = await importRootfsBase({
    builder: deps.builder,
    push: deps.push,
    registryHost: deps.registryHost,
    source: request.source,
    repository,
    tag: request.tag,
    ...(deps.workDir === undefined ? {} : { workDir: deps.workDir }),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    log: onProgress,
  });
  return [summary(deps.registryHost, repository, request.tag, imported.digest)];
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
  import(request: ImportBaseInput, progress: BaseProgress): Promise<BaseSummary[]>;
} {
  return {
    list: () => listBases(deps.registry),
    seed: (request, progress) => seedBases(deps, request, progress),
    import: (request, progress) => importBase(deps, request, progress),
  };
}
