import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  isMarkerManifestFor,
  OCI_MANIFEST_TYPE,
  SUPPORT_MARKER_TAG,
} from '../../core/ban/support-marker-artifact.js';
import { DrydockError } from '../../core/errors.js';
import { NAME_MAX_LENGTH, PATH_COMPONENT, TAG } from '../../core/image-ref/grammar.js';
import type { RegistryAddress } from './docker-registry-process.js';

/** The user name of the pipeline's registry credential. */
export const PIPELINE_USER = 'drydock-pipeline';

/** The only identity the guard lets push: HTTP Basic `drydock-pipeline:<secret>`. */
export interface PipelineCredential {
  readonly username: string;
  readonly secret: string;
}

/**
 * Why the guard refused a request: no or a wrong credential for a write; framing a registry client never
 * sends (a body on a read, ambiguous lengths, a transfer coding other than chunked: the shapes of request
 * smuggling); a manifest put that would move a published tag, or one over the size limit; a manifest that is
 * not a drydock support marker for exactly the image its marker tag names; a manifest or blob delete; a read
 * for another host name than the guard's (DNS rebinding).
 */
export type PushRefusalReason =
  | 'no-credential'
  | 'wrong-credential'
  | 'malformed-request'
  | 'tag-moved'
  | 'manifest-too-large'
  | 'marker-invalid'
  | 'image-delete'
  | 'wrong-host';

/** A request the guard refused, for the runtime to count and record. */
export interface PushRefusal {
  readonly at: Date;
  readonly method: string;
  /** Request path without the query string, cut to 200 characters. */
  readonly path: string;
  readonly reason: PushRefusalReason;
  /** What was wrong, in a sentence (framing problems, the tag's current digest). */
  readonly detail?: string;
  readonly remoteAddress?: string;
}

/** Options of `startRegistryPushGuard`. */
export interface RegistryPushGuardOptions {
  /** The registry behind the guard. */
  readonly upstream: RegistryAddress;
  readonly credential: PipelineCredential;
  /** Loopback port of the guard. @default a free port the OS picks */
  readonly port?: number;
  /** Called once per refused request. */
  readonly onRefused?: (refusal: PushRefusal) => void;
  /** Largest manifest the guard buffers to check its tag; a bigger one is refused with 413. @default 4 MiB */
  readonly manifestLimitBytes?: number;
}

/** A running push guard: the registry's public address. */
export interface RunningPushGuard {
  /** `127.0.0.1:<port>`, the registry host in image references. */
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests refused since the guard started. */
  readonly refusedCount: number;
  /** Stops accepting connections and closes open ones. Idempotent. */
  close(): Promise<void>;
}

/** The pipeline credential file exists but other users could read it. */
export class CredentialExposedError extends DrydockError {
  override readonly name = 'CredentialExposedError';

  constructor(path: string) {
    super(
      `${path} is readable by other users; delete it so that drydock generates a new pipeline credential`,
      { code: 'CREDENTIAL_EXPOSED' },
    );
  }
}

/**
 * Reads the pipeline's registry credential from `<stateDir>/registry/pipeline-credential`, generating a random
 * secret (mode 0600) the first time.
 */
export async function ensurePipelineCredential(stateDir: string): Promise<PipelineCredential> {
  const path = join(stateDir, 'registry', 'pipeline-credential');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (((await stat(path)).mode & 0o077) !== 0) throw new CredentialExposedError(path);
  }
  // The umask may have narrowed the mode further, never widened it; make it exactly 0600.
  await chmod(path, 0o600);
  const secret = (await readFile(path, 'utf8')).trim();
  if (secret.length < 16) {
    throw new DrydockError(`${path} holds no usable secret; delete it to generate a new one`, {
      code: 'CREDENTIAL_INVALID',
    });
  }
  return { username: PIPELINE_USER, secret };
}

// RFC 9110 hop-by-hop headers, plus what the guard itself owns.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** How a request's body is delimited, once the guard has accepted its framing. */
type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' };

/**
 * The framing of a request, or why the guard refuses it. Node's parser already rejects some of these (CL with
 * TE, `xchunked`); the guard checks them all itself, on the raw headers, so that what it forwards never
 * depends on which parser would have read the bytes differently.
 */
function framingOf(req: IncomingMessage, read: boolean): Framing | { readonly problem: string } {
  if (!(req.url ?? '').startsWith('/')) return { problem: 'the request target must be a path' };
  if (req.httpVersion !== '1.1' && req.httpVersion !== '1.0') {
    return { problem: `HTTP/${req.httpVersion} is not spoken here` };
  }
  const lengths: string[] = [];
  const codings: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]?.toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'content-length') lengths.push(value);
    if (name === 'transfer-encoding') codings.push(value);
  }
  if (lengths.length > 1) return { problem: 'Content-Length appears more than once' };
  if (codings.length > 1) return { problem: 'Transfer-Encoding appears more than once' };
  const [length] = lengths;
  const [coding] = codings;
  if (length !== undefined && !/^\d{1,15}$/.test(length)) {
    return { problem: 'Content-Length must be one decimal number' };
  }
  if (coding !== undefined && length !== undefined) {
    return { problem: 'Transfer-Encoding and Content-Length together' };
  }
  if (coding !== undefined && coding !== 'chunked')
    return { problem: 'Transfer-Encoding must be exactly "chunked"' };
  if (coding !== undefined && req.httpVersion === '1.0')
    return { problem: 'HTTP/1.0 has no chunked transfer coding' };
  if (read && (coding !== undefined || Number(length ?? 0) !== 0)) {
    return { problem: `a ${req.method} carries no body` };
  }
  if (coding !== undefined) return { kind: 'chunked' };
  if (length !== undefined && Number(length) > 0) return { kind: 'length', length: Number(length) };
  return { kind: 'none' };
}

/** A manifest request's repository and reference, `undefined` when the path is not a manifest's. */
type ManifestTarget = { readonly repository: string; readonly reference: string; readonly byTag: boolean };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Reads `/v2/<name>/manifests/<reference>`: `undefined` when the path names no manifest, `'invalid'` when it
 * mentions one in a shape the guard does not recognise (refused rather than guessed: the registry's router
 * might read it as a manifest the tag check never saw).
 */
function manifestTarget(path: string): ManifestTarget | 'invalid' | undefined {
  if (!path.includes('/manifests/')) return undefined;
  const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (!match) return 'invalid';
  const [, repository = '', reference = ''] = match;
  const validName =
    repository.length <= NAME_MAX_LENGTH && repository.split('/').every((c) => PATH_COMPONENT.test(c));
  if (!validName) return 'invalid';
  if (DIGEST.test(reference)) return { repository, reference, byTag: false };
  if (TAG.test(reference)) return { repository, reference, byTag: true };
  return 'invalid';
}

const READS = new Set(['GET', 'HEAD']);
// What a registry write's path is made of: `/v2/`, repository names, tags, digests, upload ids.
const WRITE_PATH = /^\/v2\/[A-Za-z0-9._:/-]*$/;
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
].join(', ');
const registryError = (code: string, message: string): string =>
  JSON.stringify({ errors: [{ code, message }] });
const REFUSAL_BODY = registryError('UNAUTHORIZED', 'only the drydock pipeline may push to this registry');
const UNAVAILABLE_BODY = registryError(
  'UNAVAILABLE',
  'the registry behind the drydock push guard is not answering',
);
const CHALLENGE = 'Basic realm="drydock"';
const DEFAULT_MANIFEST_LIMIT = 4 * 1024 * 1024;
/**
 * Client connections the guard holds at once (each forwarded one holds a registry connection too). Anyone on
 * the machine may connect to pull; without a bound one user's idle connections took every file descriptor of
 * the drydock process the guard runs in (its API, its database, every build's spawn). Past it a new connection
 * is closed at once.
 */
export const GUARD_MAX_CONNECTIONS = 1024;

// How often, and how far apart, a connection to the registry that could not be made is tried again.
const UPSTREAM_CONNECT_RETRIES = 5;
const UPSTREAM_RETRY_DELAY_MS = 200;

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Reads a request body into memory, up to `limit` bytes; `undefined` when it is longer (the rest is drained). */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early would destroy the socket before the answer.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) parts.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(parts);
}

/**
 * Starts an HTTP reverse proxy on 127.0.0.1 in front of the registry: GET and HEAD for anyone, every other
 * method only with the pipeline credential. Requests framed in any way a registry client never frames them
 * are refused (400, connection closed) before anything is forwarded; each forwarded request gets its own
 * upstream connection and an explicitly framed body. Published tags are immutable: a manifest put that
 * would move an existing tag to another digest is refused (409), as are manifest and blob deletes (405); the
 * one exception is a support-marker tag, which takes only a marker of the image it names and may be replaced.
 * Bodies are otherwise streamed both ways; upstream `Location` headers are rewritten to the guard's address.
 */
export async function startRegistryPushGuard(options: RegistryPushGuardOptions): Promise<RunningPushGuard> {
  const { upstream, credential, onRefused } = options;
  const manifestLimit = options.manifestLimitBytes ?? DEFAULT_MANIFEST_LIMIT;
  // Hashing both sides gives equal lengths for timingSafeEqual and hides the secret's length.
  const expected = digestOf(`${credential.username}:${credential.secret}`);
  // No agent: one upstream connection per forwarded request, closed after it, so that no request ever rides
  // a connection another one opened (and whatever a client sent can never be read as a second request).
  const upstreamTarget =
    upstream.kind === 'tcp'
      ? { host: upstream.host, port: upstream.port, agent: false as const }
      : { socketPath: upstream.socketPath, agent: false as const };
  const upstreamOrigin = upstream.kind === 'tcp' ? `http://${upstream.host}:${upstream.port}` : undefined;
  let refused = 0;
  // The guard's own names, known once it listens (requests arrive only after that).
  let allowedHosts = new Set<string>();
  // Manifest puts by tag, one at a time per repository:tag, so two puts cannot both find the tag free.
  const tagLocks = new Map<string, Promise<void>>();

  const credentialOf = (req: IncomingMessage): 'valid' | 'no-credential' | 'wrong-credential' => {
    const header = req.headers.authorization;
    if (header === undefined) return 'no-credential';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return 'wrong-credential';
    const given = digestOf(Buffer.from(match[1] ?? '', 'base64').toString('utf8'));
    return timingSafeEqual(given, expected) ? 'valid' : 'wrong-credential';
  };

  const report = (req: IncomingMessage, reason: PushRefusalReason, detail?: string): void => {
    refused += 1;
    try {
      onRefused?.({
        at: new Date(),
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]?.slice(0, 200) ?? '',
        reason,
        ...(detail === undefined ? {} : { detail }),
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
      });
    } catch {
      // A failing observer must not turn a refusal into a crash of the guard.
    }
  };

  // Connections the guard is closing after a refusal: a request Node already parsed from one of them
  // (pipelined behind the refused one) is never answered or forwarded.
  const closing = new WeakSet<Socket>();

  /** Answers with a registry-style error and closes the connection after it. */
  const answerAndClose = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    extra: OutgoingHttpHeaders = {},
  ): void => {
    closing.add(req.socket);
    // The body still arriving is read and dropped, so that the answer is not lost to a reset.
    req.resume();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // `connection: close` makes Node end the socket once this answer is written.
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'docker-distribution-api-version': 'registry/2.0',
      connection: 'close',
      ...extra,
    });
    res.end(body);
  };

  const unavailable = (req: IncomingMessage, res: ServerResponse): void =>
    answerAndClose(req, res, 503, UNAVAILABLE_BODY);

  /** Forwards a request upstream with its body (streamed, or the buffered `body`) framed as `framing` says. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    framing: Framing,
    body?: Buffer,
  ): Promise<void> =>
    new Promise<void>((done) => {
      const method = req.method ?? 'GET';
      const headers = endToEnd(req.headers);
      // The registry itself has no auth; the secret stays with the guard.
      delete headers.authorization;
      delete headers.expect;
      delete headers['content-length'];
      for (const name of Object.keys(headers)) if (name.startsWith('x-forwarded-')) delete headers[name];
      headers.connection = 'close';
      if (body !== undefined) headers['content-length'] = body.length;
      else if (framing.kind === 'length') headers['content-length'] = framing.length;
      else if (framing.kind === 'chunked') headers['transfer-encoding'] = 'chunked';
      else if (!READS.has(method)) headers['content-length'] = 0;

      const attempt = (left: number): void => {
        let connected = false;
        const proxied = request({ ...upstreamTarget, method, path: req.url, headers }, (answer) => {
          const out = endToEnd(answer.headers);
          const location = answer.headers.location;
          if (location !== undefined && upstreamOrigin !== undefined && location.startsWith(upstreamOrigin)) {
            out.location = `http://${req.headers.host ?? guardHost}${location.slice(upstreamOrigin.length)}`;
          }
          // containers/image sends credentials only to registries that announce a challenge when pinged; a 200
          // keeps anonymous clients (Docker) pulling without one.
          if (READS.has(method) && /^\/v2\/?$/.test(req.url ?? '')) out['www-authenticate'] = CHALLENGE;
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
          pipeline(answer, res)
            .catch(() => res.destroy())
            .finally(done);
        });
        proxied.on('error', () => {
          // Not connected yet, so not a byte of the client's body is spent: a registry too busy to accept the
          // connection at once (seen under load) gets another try instead of failing a push with 503.
          if (!connected && left > 0) {
            setTimeout(() => attempt(left - 1), UPSTREAM_RETRY_DELAY_MS);
            return;
          }
          unavailable(req, res);
          done();
        });
        // The body flows only once the registry took the connection, so that a failed connect can be retried.
        proxied.on('socket', (socket) => {
          const send = () => {
            connected = true;
            if (body !== undefined) proxied.end(body);
            else if (framing.kind === 'none') proxied.end();
            else pipeline(req, proxied).catch(() => proxied.destroy());
          };
          if (socket.connecting) socket.once('connect', send);
          else send();
        });
      };
      attempt(UPSTREAM_CONNECT_RETRIES);
    });

  /** The manifest digest a tag names upstream now: `undefined` for no such tag, `'unavailable'` on a fault. */
  const currentDigest = (target: ManifestTarget): Promise<string | undefined | 'unavailable'> =>
    new Promise((resolve) => {
      const head = request(
        {
          ...upstreamTarget,
          method: 'HEAD',
          path: `/v2/${target.repository}/manifests/${target.reference}`,
          headers: { accept: MANIFEST_TYPES, connection: 'close' },
        },
        (answer) => {
          answer.resume();
          const digest = answer.headers['docker-content-digest'];
          if (answer.statusCode === 404) resolve(undefined);
          else if (answer.statusCode === 200 && typeof digest === 'string' && DIGEST.test(digest))
            resolve(digest);
          else resolve('unavailable');
        },
      );
      head.on('error', () => resolve('unavailable'));
      head.end();
    });

  /** A manifest put by tag: buffered, hashed, and forwarded only when the tag is free or names this digest. */
  const putManifest = async (
    req: IncomingMessage,
    res: ServerResponse,
    framing: Framing,
    target: ManifestTarget,
    expectsContinue: boolean,
  ): Promise<void> => {
    const tooLarge = () => {
      report(req, 'manifest-too-large', `over ${manifestLimit} bytes`);
      answerAndClose(
        req,
        res,
        413,
        registryError('SIZE_INVALID', `a manifest may have at most ${manifestLimit} bytes`),
      );
    };
    if (framing.kind === 'length' && framing.length > manifestLimit) {
      tooLarge();
      return;
    }
    if (expectsContinue) res.writeContinue();
    const body = framing.kind === 'none' ? Buffer.alloc(0) : await readLimited(req, manifestLimit);
    if (body === undefined) {
      tooLarge();
      return;
    }
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const key = `${target.repository}:${target.reference}`;
    // A support-marker tag (exactly `sha256-<hex>.unsupported`) holds only a drydock marker about that very
    // image, so that it may be replaced when the bans covering the image change, and nothing else rides on it.
    const markerTag = SUPPORT_MARKER_TAG.test(target.reference);
    if (markerTag) {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      if (type !== OCI_MANIFEST_TYPE || !isMarkerManifestFor(target.reference, body.toString('utf8'))) {
        const message = `${key} is a support-marker tag: it takes only a drydock support marker of the image it names`;
        report(req, 'marker-invalid', message);
        answerAndClose(req, res, 400, registryError('MANIFEST_INVALID', message));
        return;
      }
    }
    const previous = tagLocks.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => mine);
    tagLocks.set(key, chained);
    await previous;
    try {
      const current = await currentDigest(target);
      if (current === 'unavailable') {
        unavailable(req, res);
        return;
      }
      if (current !== undefined && current !== digest && !markerTag) {
        const message = `${key} is published as ${current}; tags are immutable, push ${digest} under a new tag`;
        report(req, 'tag-moved', message);
        answerAndClose(req, res, 409, registryError('TAG_INVALID', message));
        return;
      }
      await forward(req, res, framing, body);
    } finally {
      release();
      if (tagLocks.get(key) === chained) tagLocks.delete(key);
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    if (closing.has(req.socket)) {
      req.resume();
      return;
    }
    const method = req.method ?? 'GET';
    const read = READS.has(method);
    const framing = framingOf(req, read);
    if ('problem' in framing) {
      report(req, 'malformed-request', framing.problem);
      answerAndClose(req, res, 400, registryError('UNSUPPORTED', `malformed request: ${framing.problem}`));
      return;
    }
    // A web page whose name was rebound to 127.0.0.1 sends its own name: reads answer only to the guard's, or
    // any page on the web could read every image. Writes need the credential, which no page holds.
    if (read && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      report(req, 'wrong-host', `Host ${JSON.stringify(req.headers.host ?? '').slice(0, 100)}`);
      answerAndClose(req, res, 421, registryError('DENIED', `this registry answers only on ${guardHost}`));
      return;
    }
    if (!read) {
      const verdict = credentialOf(req);
      if (verdict !== 'valid') {
        report(req, verdict);
        // Whatever body the client still sends is never read: the connection closes after the answer.
        answerAndClose(req, res, 401, REFUSAL_BODY, { 'www-authenticate': CHALLENGE });
        return;
      }
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    // The registry's router matches the decoded path: `manifest%73` is `manifests` there. A write path is
    // only ever names, tags, digests and upload ids, so anything else is refused rather than decoded here.
    if (!read && !WRITE_PATH.test(path)) {
      report(req, 'malformed-request', 'unexpected characters in the path');
      answerAndClose(req, res, 400, registryError('NAME_INVALID', 'unexpected characters in the path'));
      return;
    }
    const manifest = read ? undefined : manifestTarget(path);
    if (manifest === 'invalid') {
      report(req, 'malformed-request', 'unrecognised manifest path');
      answerAndClose(req, res, 400, registryError('NAME_INVALID', 'unrecognised manifest path'));
      return;
    }
    // A deleted manifest frees its tag for another digest; a deleted blob breaks the images that use it.
    if (method === 'DELETE' && (manifest !== undefined || /\/blobs\/sha256:/.test(path))) {
      report(req, 'image-delete');
      answerAndClose(
        req,
        res,
        405,
        registryError('UNSUPPORTED', 'published images are never deleted through the drydock push guard'),
      );
      return;
    }
    if (manifest?.byTag && method === 'PUT') {
      putManifest(req, res, framing, manifest, expectsContinue).catch(() => unavailable(req, res));
      return;
    }
    if (expectsContinue) res.writeContinue();
    void forward(req, res, framing);
  };

  const server = createServer((req, res) => handle(req, res, false));
  server.on('checkContinue', (req, res) => handle(req, res, true));
  // Blob uploads of big layers may take longer than Node's default 5 minutes per request.
  server.requestTimeout = 0;
  server.maxConnections = GUARD_MAX_CONNECTIONS;
  server.listen(options.port ?? 0, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DrydockError(`cannot start the registry push guard: 127.0.0.1:${options.port} is in use`, {
        code: 'GUARD_PORT_IN_USE',
        cause: error,
      });
    }
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const guardHost = `127.0.0.1:${port}`;
  allowedHosts = new Set([guardHost, `localhost:${port}`]);
  let stopping: Promise<void> | undefined;
  return {
    host: guardHost,
    port,
    url: `http://${guardHost}`,
    get refusedCount() {
      return refused;
    },
    close: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
