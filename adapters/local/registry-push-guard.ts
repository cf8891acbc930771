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
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DrydockError } from '../../core/errors.js';
import type { RegistryAddress } from './docker-registry-process.js';

/** The user name of the pipeline's registry credential. */
export const PIPELINE_USER = 'drydock-pipeline';

/** The only identity the guard lets push: HTTP Basic `drydock-pipeline:<secret>`. */
export interface PipelineCredential {
  readonly username: string;
  readonly secret: string;
}

/** A write (push, upload, delete) the guard refused, for the runtime to count and record. */
export interface PushRefusal {
  readonly at: Date;
  readonly method: string;
  /** Request path without the query string, cut to 200 characters. */
  readonly path: string;
  readonly reason: 'no-credential' | 'wrong-credential';
  readonly remoteAddress?: string;
}

/** Options of `startRegistryPushGuard`. */
export interface RegistryPushGuardOptions {
  /** The registry behind the guard. */
  readonly upstream: RegistryAddress;
  readonly credential: PipelineCredential;
  /** Loopback port of the guard. @default a free port the OS picks */
  readonly port?: number;
  /** Called once per refused write. */
  readonly onRefused?: (refusal: PushRefusal) => void;
}

/** A running push guard: the registry's public address. */
export interface RunningPushGuard {
  /** `127.0.0.1:<port>`, the registry host in image references. */
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Writes refused since the guard started. */
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

const READS = new Set(['GET', 'HEAD']);
const REFUSAL_BODY = JSON.stringify({
  errors: [{ code: 'UNAUTHORIZED', message: 'only the drydock pipeline may push to this registry' }],
});
const UNAVAILABLE_BODY = JSON.stringify({
  errors: [{ code: 'UNAVAILABLE', message: 'the registry behind the drydock push guard is not answering' }],
});
const CHALLENGE = 'Basic realm="drydock"';

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Starts an HTTP reverse proxy on 127.0.0.1 in front of the registry: GET and HEAD for anyone, every other
 * method only with the pipeline credential. Bodies are streamed both ways; upstream `Location` headers are
 * rewritten to the guard's address.
 */
export async function startRegistryPushGuard(options: RegistryPushGuardOptions): Promise<RunningPushGuard> {
  const { upstream, credential, onRefused } = options;
  // Hashing both sides gives equal lengths for timingSafeEqual and hides the secret's length.
  const expected = digestOf(`${credential.username}:${credential.secret}`);
  const upstreamTarget =
    upstream.kind === 'tcp'
      ? { host: upstream.host, port: upstream.port }
      : { socketPath: upstream.socketPath };
  const upstreamOrigin = upstream.kind === 'tcp' ? `http://${upstream.host}:${upstream.port}` : undefined;
  let refused = 0;

  const credentialOf = (req: IncomingMessage): 'valid' | 'no-credential' | 'wrong-credential' => {
    const header = req.headers.authorization;
    if (header === undefined) return 'no-credential';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return 'wrong-credential';
    const given = digestOf(Buffer.from(match[1] ?? '', 'base64').toString('utf8'));
    return timingSafeEqual(given, expected) ? 'valid' : 'wrong-credential';
  };

  const refuse = (req: IncomingMessage, res: ServerResponse, reason: PushRefusal['reason']): void => {
    refused += 1;
    res.writeHead(401, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(REFUSAL_BODY),
      'www-authenticate': CHALLENGE,
      'docker-distribution-api-version': 'registry/2.0',
      connection: 'close',
    });
    res.end(REFUSAL_BODY);
    // Discard whatever body the client still sends, without keeping it.
    req.resume();
    try {
      onRefused?.({
        at: new Date(),
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]?.slice(0, 200) ?? '',
        reason,
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
      });
    } catch {
      // A failing observer must not turn a refusal into a crash of the guard.
    }
  };

  const unavailable = (res: ServerResponse): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(503, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(UNAVAILABLE_BODY),
    });
    res.end(UNAVAILABLE_BODY);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    const method = req.method ?? 'GET';
    if (!READS.has(method)) {
      const verdict = credentialOf(req);
      if (verdict !== 'valid') {
        refuse(req, res, verdict);
        return;
      }
    }
    if (expectsContinue) res.writeContinue();

    const headers = endToEnd(req.headers);
    // The registry itself has no auth; the secret stays with the guard.
    delete headers.authorization;
    delete headers.expect;
    for (const name of Object.keys(headers)) if (name.startsWith('x-forwarded-')) delete headers[name];

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
      pipeline(answer, res).catch(() => res.destroy());
    });
    proxied.on('error', () => unavailable(res));
    pipeline(req, proxied).catch(() => proxied.destroy());
  };

  const server = createServer((req, res) => handle(req, res, false));
  server.on('checkContinue', (req, res) => handle(req, res, true));
  // Blob uploads of big layers may take longer than Node's default 5 minutes per request.
  server.requestTimeout = 0;
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
  let closing: Promise<void> | undefined;
  return {
    host: guardHost,
    port,
    url: `http://${guardHost}`,
    get refusedCount() {
      return refused;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
