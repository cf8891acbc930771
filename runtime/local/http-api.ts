import { type FileHandle, open, readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import type { SqliteOutbox } from '../../adapters/local/sqlite-outbox.js';
import type { PushWithVerdicts, SqlitePipelineViews } from '../../adapters/local/sqlite-pipeline-views.js';
import type { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import { DrydockError } from '../../core/errors.js';
import type { BuildRecord, BuildState } from '../../core/ports/build-records.js';
import type { ImageRecord } from '../../core/ports/lineage-store.js';
import { type ApiRole, type ApiTokens, roleOfToken } from './api-tokens.js';
import type {
  BaseSummary,
  BuildSummary,
  DeadLetterSummary,
  ImageSummary,
  PushSummary,
  QueueSummary,
  StatusResponse,
} from './api-types.js';
import { type BanApiDeps, BanApiRequestError, banApi } from './ban-api.js';
import {
  BaseExistsError,
  BaseRequestInvalidError,
  type ImportBaseInput,
  parseImportBaseRequest,
  parseSeedBasesRequest,
  type ReceivedBase,
  type SeedBasesInput,
} from './bases.js';
import type { LocalPipeline } from './open-local-pipeline.js';
import { BaseUploadRefusedError, BaseUploadTooLargeError, type UploadBody } from './rootfs-upload.js';
import type { RuntimeInfo } from './runtime-info.js';

/** Progress callback of a long operation the API streams as NDJSON. */
export type Progress = (message: string) => void;

/** The base-image catalogue operations the API offers (runtime/local/bases.ts). */
export interface BaseCatalogue {
  list(): Promise<readonly BaseSummary[]>;
  seed(request: SeedBasesInput, progress: Progress): Promise<readonly BaseSummary[]>;
  /** Stores and checks an uploaded rootfs tarball; refuses before reading when the tag exists. */
  receive(query: ImportBaseInput, upload: UploadBody): Promise<ReceivedBase>;
  /** Imports a received rootfs and removes the upload. */
  import(received: ReceivedBase, progress: Progress): Promise<readonly BaseSummary[]>;
}

/** What the API reads and drives. */
export interface HttpApiDeps {
  readonly info: () => RuntimeInfo;
  readonly pipeline: LocalPipeline;
  readonly views: SqlitePipelineViews;
  readonly outbox: SqliteOutbox;
  readonly policyVersions: SqlitePolicyVersions;
  readonly bases: BaseCatalogue;
  /** Makes the workers look for work now. */
  readonly wake: () => void;
  /** The bearer tokens each role presents (api-tokens.ts); every endpoint but the wake-up needs one. */
  readonly tokens: ApiTokens;
  /** The ban response (`/api/bans…`, and images' support); without it those endpoints answer 503. */
  readonly bans?: BanApiDeps;
}

/** Options of `startHttpApi`. */
export interface HttpApiOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Wake-ups closer together than this are merged into one at the end of the interval. @default 100 */
  readonly wakeIntervalMs?: number;
  /** Connections open at once; more are closed as they come. @default API_MAX_CONNECTIONS */
  readonly maxConnections?: number;
}

/**
 * Connections the API holds at once. Any local user may connect (the wake-up is open), and each connection is
 * a file descriptor of the daemon: without a bound, one user's idle connections took all 20000 of them, and
 * with them the registry guard, every build's buildah and the logs. Past it a connection is closed at once.
 */
export const API_MAX_CONNECTIONS = 256;

/** A running API server. */
export interface RunningHttpApi {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The challenge of a 401: RFC 6750 bearer tokens. */
const CHALLENGE = 'Bearer realm="drydock"';
const TARBALL_TYPES = new Set([
  'application/x-tar',
  'application/gzip',
  'application/x-gzip',
  'application/x-xz',
  'application/zstd',
  'application/x-bzip2',
  'application/octet-stream',
]);

/**
 * The role an endpoint needs: none for the wake-up (it carries nothing and reads nothing), `read` for every
 * GET, and `ops` for everything else, so that an endpoint added later is ops-only until said otherwise.
 */
export function requiredRole(method: string, path: string): ApiRole | 'none' {
  if (method === 'POST' && path === '/api/wake') return 'none';
  if (method === 'GET' || method === 'HEAD') return 'read';
  return 'ops';
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** Tells a client that sent `Expect: 100-continue` to send its body, once the request may go on. */
function continueBody(req: IncomingMessage, res: ServerResponse): void {
  if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
}

const MAX_BODY = 64 * 1024;
const BUILD_STATES: readonly BuildState[] = [
  'queued',
  'building',
  'testing',
  'pushing',
  'published',
  'failed',
];

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/** A build record as the API shows it. */
export function buildSummary(r: BuildRecord): BuildSummary {
  return {
    buildId: r.buildId,
    repository: r.repository,
    definition: r.definition,
    commit: r.commit,
    state: r.state,
    attempts: r.attempts,
    queuedAt: r.queuedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    ...(r.startedAt ? { startedAt: iso(r.startedAt) } : {}),
    ...(r.finishedAt ? { finishedAt: iso(r.finishedAt) } : {}),
    ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
    ...(r.imageDigest ? { imageDigest: r.imageDigest } : {}),
    ...(r.error ? { error: r.error } : {}),
    history: r.history.map((h) => ({ state: h.state, at: h.at.toISOString() })),
  };
}

/** A lineage record as the API shows it, with the active bans that mark it (none: supported). */
export function imageSummary(
  r: ImageRecord,
  unsupportedBy: readonly { readonly banId: string; readonly reason: string }[] = [],
): ImageSummary {
  return {
    ref: r.ref,
    digest: r.digest,
    bases: r.bases.map((b) => ({ name: b.name, digest: b.digest })),
    status: unsupportedBy.length === 0 ? 'supported' : 'unsupported',
    supported: unsupportedBy.length === 0,
    unsupportedBy: unsupportedBy.map((b) => ({ banId: b.banId, reason: b.reason })),
    repository: r.repository,
    definition: r.definition,
    commit: r.commit,
    publishedAt: r.publishedAt,
  };
}

async function pushSummary(
  { push, verdicts }: PushWithVerdicts,
  pipeline: LocalPipeline,
): Promise<PushSummary> {
  const d = push.detail;
  return {
    eventId: push.id,
    repository: d.repository,
    ref: d.ref,
    commit: d.after,
    pusher: d.pusher,
    at: push.time,
    definitions: d.definitions.map((c) => ({ path: c.path, change: c.change })),
    verdicts: await Promise.all(
      verdicts.map(async (v) => {
        const build = v.detail.passed
          ? await pipeline.records.find({
              repository: v.detail.repository,
              definition: v.detail.definition,
              commit: v.detail.commit,
            })
          : undefined;
        return {
          definition: v.detail.definition,
          passed: v.detail.passed,
          bases: [
            ...v.detail.bases.map((b) =>
              b.outcome === 'allowed'
                ? { ref: b.ref, outcome: b.outcome, detail: `${b.via} ${b.entry}` }
                : b.outcome === 'denied'
                  ? { ref: b.ref, outcome: b.outcome, detail: b.reason }
                  : { ref: b.from, outcome: b.outcome, detail: `→ ${b.to}: ${b.why}` },
            ),
            // A base the gate could not work out (`FROM $X` with no default) fails the verdict too.
            ...v.detail.unresolved.map((u) => ({ ref: u.written, outcome: 'unresolved', detail: u.reason })),
          ],
          findings: v.detail.findings.map((f) => ({
            line: f.line,
            column: f.column,
            code: f.code,
            level: f.level,
            message: f.message,
          })),
          ...(build ? { buildId: build.buildId } : {}),
          at: v.time,
        };
      }),
    ),
  };
}

// decodeURIComponent throws URIError on a malformed escape, which would otherwise answer 500.
function decodedSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `${what} ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}

function limitOf(url: URL, fallback: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new HttpError(400, `limit must be an integer from 1 to 1000, not ${JSON.stringify(raw)}`);
  return n;
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  // Browsers cannot send application/json across origins without a preflight this server never answers.
  if (!type.startsWith('application/json')) throw new HttpError(415, 'POST bodies must be application/json');
  continueBody(req, res);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `request body is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HttpError(400, 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Streams a long operation: progress lines as they come, then its result or its error, one JSON per line. */
async function stream(
  res: ServerResponse,
  work: (progress: Progress) => Promise<Record<string, unknown>>,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
  try {
    const result = await work((message) => line({ type: 'progress', message }));
    line({ type: 'result', ...result });
  } catch (err) {
    line({ type: 'error', message: (err as Error).message });
  }
  res.end();
}

async function listRepos(reposRoot: string): Promise<{ name: string; remote: string }[]> {
  try {
    const entries = await readdir(reposRoot, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && e.name.endsWith('.git'))
      .map((e) => ({ name: e.name.slice(0, -4), remote: join(reposRoot, e.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * The loopback HTTP API of `drydock start`: JSON reads of pushes, builds, images, bases, notifications and
 * dead letters; streamed base-catalogue operations; a wake-up for hooks. Listens on 127.0.0.1 only, refuses
 * requests whose Host is not the loopback address (a web page cannot rebind a name to it) and browser
 * requests from any other origin, and answers nothing without a bearer token (`requiredRole`): 401 without a
 * valid one, 403 when the token's role may not do it, both before any of the request's body is read.
 */
export async function startHttpApi(deps: HttpApiDeps, options: HttpApiOptions = {}): Promise<RunningHttpApi> {
  const { pipeline } = deps;
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  const wakeIntervalMs = options.wakeIntervalMs ?? 100;
  let lastWake = Number.NEGATIVE_INFINITY;
  let pendingWake: NodeJS.Timeout | undefined;
  // Anyone who can push may wake the workers, so wake-ups are merged: however many arrive, the workers are
  // woken at most once per interval, and none is lost (a merged one runs at the interval's end).
  const wake = () => {
    const now = performance.now();
    if (now - lastWake >= wakeIntervalMs) {
      lastWake = now;
      deps.wake();
      return;
    }
    pendingWake ??= setTimeout(
      () => {
        pendingWake = undefined;
        lastWake = performance.now();
        deps.wake();
      },
      wakeIntervalMs - (now - lastWake),
    );
  };

  const authorise = (req: IncomingMessage, method: string, path: string): ApiRole | 'none' => {
    const needed = requiredRole(method, path);
    if (needed === 'none') return 'none';
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    const role = match?.[1] === undefined ? undefined : roleOfToken(deps.tokens, match[1]);
    if (role === undefined) {
      throw new HttpError(
        401,
        match
          ? 'the API token is not valid (drydock start may have made new ones: read the token file again)'
          : "this API needs a bearer token: Authorization: Bearer <the ops-token or read-token in the state dir's api/ directory>",
        { 'www-authenticate': match ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE },
      );
    }
    if (needed === 'ops' && role !== 'ops') {
      throw new HttpError(403, `${method} ${path} needs the ops token; the ${role} token may only read`);
    }
    return role;
  };
  const bans = deps.bans ? banApi(deps.bans) : undefined;
  const banEndpoints = () => {
    if (!bans)
      throw new HttpError(503, 'this pipeline has no ban response wired (bans, policy store, fleet)');
    return bans;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) throw new HttpError(421, `this API answers only on ${[...allowedHosts][0]}`);
    // A browser names the page's origin; only the API's own may call it (no page can, with a token or not).
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin))
      throw new HttpError(403, `requests from ${origin} are refused: this API serves no other origin`);
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    const role = authorise(req, method, path);

    if (get && path === '/api/status') {
      const info = deps.info();
      const queues: Record<string, QueueSummary> = {};
      for (const [name, queue] of Object.entries(pipeline.queues)) {
        const d = await queue.depth();
        queues[name] = { visible: d.visible, inFlight: d.inFlight, deadLetters: d.dead };
      }
      const body: StatusResponse = {
        version: info.version,
        pid: info.pid,
        startedAt: info.startedAt,
        stateDir: info.stateDir,
        api: info.api,
        registry: { host: info.registry, url: `http://${info.registry}` },
        policy: info.policy,
        ...(deps.policyVersions.latest() ? { policyVersion: deps.policyVersions.latest() } : {}),
        repos: await listRepos(pipeline.reposRoot),
        queues,
        pushes: await Promise.all(
          deps.views.recentPushes(limitOf(url, 10)).map((p) => pushSummary(p, pipeline)),
        ),
        builds: (await pipeline.records.list({ limit: limitOf(url, 10) })).map(buildSummary),
      };
      return send(res, 200, body);
    }
    if (get && path === '/api/pushes') {
      const pushes = await Promise.all(
        deps.views.recentPushes(limitOf(url, 20)).map((p) => pushSummary(p, pipeline)),
      );
      return send(res, 200, { pushes });
    }
    if (get && path === '/api/builds') {
      const state = url.searchParams.get('state');
      if (state !== null && !BUILD_STATES.includes(state as BuildState)) {
        throw new HttpError(
          400,
          `state must be one of ${BUILD_STATES.join(', ')}, not ${JSON.stringify(state)}`,
        );
      }
      const builds = await pipeline.records.list({
        limit: limitOf(url, 50),
        ...(state ? { states: [state as BuildState] } : {}),
      });
      return send(res, 200, { builds: builds.map(buildSummary) });
    }
    const buildMatch = /^\/api\/builds\/([^/]+)(\/log)?$/.exec(path);
    if (get && buildMatch) {
      const id = decodedSegment(buildMatch[1] ?? '', 'build id');
      const record = await pipeline.records.get(id);
      if (!record) throw new HttpError(404, `no build ${JSON.stringify(id)}; drydock builds lists them`);
      if (!buildMatch[2]) return send(res, 200, buildSummary(record));
      // Streamed, not read whole: a log may be tens of MiB (FileBuildLogs caps it).
      let file: FileHandle | undefined;
      if (record.logPath) {
        try {
          file = await open(record.logPath, 'r');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      if (!file) {
        res.end();
        return;
      }
      await pipe(file.createReadStream(), res);
      return;
    }
    if (get && path === '/api/images') {
      const images = await pipeline.lineage.list({ limit: limitOf(url, 100) });
      const support = deps.bans
        ? await deps.bans.store.supportOf(images.flatMap((i) => [i.digest, i.configDigest]))
        : new Map<string, readonly { banId: string; reason: string }[]>();
      const marks = (i: ImageRecord) => {
        const seen = new Map<string, { banId: string; reason: string }>();
        for (const b of [...(support.get(i.digest) ?? []), ...(support.get(i.configDigest) ?? [])])
          seen.set(b.banId, b);
        return [...seen.values()];
      };
      return send(res, 200, { images: images.map((i) => imageSummary(i, marks(i))) });
    }
    if (get && path === '/api/notifications') {
      return send(res, 200, { notifications: await deps.outbox.list(limitOf(url, 50)) });
    }
    if (get && path === '/api/dead-letters') {
      const deadLetters: DeadLetterSummary[] = [];
      for (const [name, queue] of Object.entries(pipeline.queues)) {
        for (const d of await queue.deadLetters({ limit: 100 })) {
          deadLetters.push({
            queue: name,
            messageId: d.messageId,
            reason: d.reason,
            receiveCount: d.receiveCount,
            ...(d.body?.event?.detailType ? { detailType: d.body.event.detailType } : {}),
          });
        }
      }
      return send(res, 200, { deadLetters });
    }
    if (get && path === '/api/policy') {
      const latest = deps.policyVersions.latest();
      return send(res, 200, {
        path: deps.info().policy,
        versions: deps.policyVersions.history(limitOf(url, 20)),
        ...(latest ? { text: deps.policyVersions.text(latest.version) } : {}),
      });
    }
    if (get && path === '/api/bases') return send(res, 200, { bases: await deps.bases.list() });
    if (get && path === '/api/bans') return send(res, 200, { bans: await banEndpoints().list() });
    // A preview changes nothing, so the read token may ask for one.
    if (get && path === '/api/bans/plan')
      return send(res, 200, { dryRun: true, plan: await banEndpoints().plan(url) });
    const banMatch = /^\/api\/bans\/([^/]+)$/.exec(path);
    if (get && banMatch)
      return send(res, 200, await banEndpoints().show(decodedSegment(banMatch[1] ?? '', 'ban id')));
    if (method === 'POST' && path === '/api/bans') {
      const answer = await banEndpoints().ban(await readJson(req, res), role);
      return send(res, answer.dryRun || !answer.created ? 200 : 201, answer);
    }
    const liftMatch = /^\/api\/bans\/([^/]+)\/lift$/.exec(path);
    if (method === 'POST' && liftMatch) {
      const target = decodedSegment(liftMatch[1] ?? '', 'ban id or ref');
      return send(res, 200, await banEndpoints().lift(target, await readJson(req, res), role));
    }
    if (method === 'POST' && path === '/api/wake') {
      // Unauthenticated (any pusher's hook calls it), so it takes nothing: no body, no query.
      if (hasBody(req) || url.search !== '')
        throw new HttpError(400, 'POST /api/wake takes no body and no query');
      wake();
      res.writeHead(204).end();
      return;
    }
    if (method === 'POST' && path === '/api/bases/seed') {
      // Validated before the stream starts, so a bad body is a 400 and not an error line.
      const request = parseSeedBasesRequest(await readJson(req, res));
      return stream(res, async (progress) => ({ bases: await deps.bases.seed(request, progress) }));
    }
    if (method === 'POST' && path === '/api/bases/import') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!TARBALL_TYPES.has(type))
        throw new HttpError(
          415,
          'the body of POST /api/bases/import is the rootfs tarball: application/x-tar',
        );
      const unknown = [...url.searchParams.keys()].find((k) => k !== 'name' && k !== 'tag');
      if (unknown !== undefined)
        throw new HttpError(
          400,
          `unknown query parameter ${JSON.stringify(unknown)}: the rootfs is the request body, never a path the pipeline opens`,
        );
      const request = parseImportBaseRequest({
        name: url.searchParams.get('name') ?? undefined,
        tag: url.searchParams.get('tag') ?? undefined,
      });
      // Refusals (a tag that exists, a bad tarball, too large) come as statuses, before the stream starts.
      continueBody(req, res);
      const received = await deps.bases.receive(request, req);
      // The import removes the upload whatever happens, also when the client has gone away meanwhile.
      return stream(res, async (progress) => ({ bases: await deps.bases.import(received, progress) }));
    }
    if (path.startsWith('/api/'))
      throw new HttpError(get || method === 'POST' ? 404 : 405, `no ${method} ${path}`);
    throw new HttpError(404, `no ${path}; the API is under /api/`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A refused request's body is not read: close the connection rather than drain what may be gigabytes.
      const close: Record<string, string> = !req.readableEnded && hasBody(req) ? { connection: 'close' } : {};
      if (err instanceof HttpError)
        return send(res, err.status, { error: err.message }, { ...err.headers, ...close });
      if (err instanceof BanApiRequestError) return send(res, err.status, { error: err.message }, close);
      const refused =
        err instanceof BaseRequestInvalidError || err instanceof BaseUploadRefusedError
          ? 400
          : err instanceof BaseExistsError
            ? 409
            : err instanceof BaseUploadTooLargeError
              ? 413
              : undefined;
      if (refused !== undefined) return send(res, refused, { error: (err as Error).message }, close);
      // Anything but a bad request is the server's fault: 503 when a retry can help (a busy database), else 500.
      const status = err instanceof DrydockError && err.retryable ? 503 : 500;
      send(res, status, { error: (err as Error)?.message ?? String(err) }, close);
    });
  };
  const server: Server = createServer(handle);
  server.maxConnections = options.maxConnections ?? API_MAX_CONNECTIONS;
  // A client that asks before sending a body (`Expect: 100-continue`) is told to send it only once the request
  // is authorised; a refusal is answered without reading it.
  server.on('checkContinue', handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new DrydockError(
              `port ${options.port} on 127.0.0.1 is in use; start with --port N (0 picks a free one)`,
              {
                code: 'API_PORT_IN_USE',
                cause: err,
              },
            )
          : err,
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(pendingWake);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
