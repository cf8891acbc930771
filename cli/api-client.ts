import { readFileSync, statSync } from 'node:fs';
import { type ClientRequest, type OutgoingHttpHeaders, request } from 'node:http';
import { DrydockError } from '../core/errors.js';
import { readApiToken } from '../runtime/local/api-tokens.js';
import { type RuntimeInfo, readRuntimeInfo, runtimeInfoPath } from '../runtime/local/runtime-info.js';

/** No `drydock start` runs for the state directory; the message says how to start one. */
export class PipelineNotRunningError extends DrydockError {
  override readonly name = 'PipelineNotRunningError';

  constructor(stateDir: string, detail: string) {
    super(
      `the local pipeline is not running for ${stateDir} (${detail}); start it with:\n  drydock start --state ${stateDir}`,
      { code: 'PIPELINE_NOT_RUNNING' },
    );
  }
}

/** The HTTP API answered with an error status; the message is the API's own. */
export class ApiError extends DrydockError {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message, { code: 'API_ERROR' });
    this.status = status;
  }
}

/** One line of a streamed (NDJSON) answer: progress while the work runs, then a result or an error. */
export type StreamLine =
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'result'; readonly [key: string]: unknown }
  | { readonly type: 'error'; readonly message: string };

/** Writes a request's body and ends it; rejecting aborts the request, so the server never takes half a body. */
export type BodyWriter = (req: ClientRequest) => Promise<void>;

interface CallOptions {
  readonly headers?: OutgoingHttpHeaders;
  /** A JSON body, or a writer for a streamed one (sent after the server's `100 Continue`). */
  readonly body?: Buffer | BodyWriter;
  readonly onLine?: (line: StreamLine) => void;
}

/** The owners (uids) of the listening TCP sockets on a loopback port, from /proc/net/tcp and tcp6. */
export function listenerUids(port: number): number[] | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const uids: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      if (table.endsWith('6')) continue;
      return undefined; // No /proc (not Linux): nothing to check with.
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local = '', , state, , , , uid] = line.trim().split(/\s+/);
      if (state === '0A' && local.endsWith(`:${hexPort}`)) uids.push(Number(uid));
    }
  }
  return uids;
}

/**
 * Refuses to send the ops token to an API port another user listens on. runtime.json outlives a killed
 * drydock start, its pid soon names another process (pid_max is 32768 here), and its port is free: a local
 * user who listens there would be sent the token, which the next start keeps. The listener must be owned by
 * the user who wrote runtime.json, the one who runs drydock start.
 */
function assertApiListener(stateDir: string, info: RuntimeInfo): void {
  const port = Number(new URL(info.api).port);
  const uids = listenerUids(port);
  if (uids === undefined) return;
  const owner = statSync(runtimeInfoPath(stateDir)).uid;
  const strangers = uids.filter((uid) => uid !== owner);
  if (uids.length === 0)
    throw new PipelineNotRunningError(
      stateDir,
      `its API at ${info.api} does not answer: nothing listens there`,
    );
  if (strangers.length > 0)
    throw new DrydockError(
      `the API port ${port} of ${stateDir} is held by uid ${strangers[0]}, not by uid ${owner} who runs drydock start: the API token is not sent there (drydock start was probably killed and another user took its port)`,
      { code: 'API_PORT_TAKEN' },
    );
}

/** A client of the loopback HTTP API of a running `drydock start`. */
export class PipelineApi {
  private constructor(
    readonly info: RuntimeInfo,
    private readonly token: string | undefined,
  ) {}

  /**
   * Connects to the pipeline of a state directory with the ops token from its `api/` directory; throws
   * `PipelineNotRunningError`, or `ApiTokenUnreadableError` when this user cannot read the token. With
   * `authenticate: false` no token is read: only the wake-up (`wake()`) answers then.
   */
  static async connect(stateDir: string, options: { authenticate?: boolean } = {}): Promise<PipelineApi> {
    const found = await readRuntimeInfo(stateDir).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') throw error;
      throw new DrydockError(
        `cannot read ${runtimeInfoPath(stateDir)}: only the user who runs drydock start may use its API`,
        { code: 'RUNTIME_INFO_UNREADABLE', cause: error },
      );
    });
    if (found.state === 'absent') throw new PipelineNotRunningError(stateDir, 'no runtime.json');
    if (found.state === 'invalid')
      throw new PipelineNotRunningError(stateDir, `runtime.json is unreadable: ${found.reason}`);
    if (found.state === 'stale')
      throw new PipelineNotRunningError(stateDir, `process ${found.info.pid} is gone`);
    if (options.authenticate !== false) assertApiListener(stateDir, found.info);
    const token = options.authenticate === false ? undefined : await readApiToken(stateDir, 'ops');
    return new PipelineApi(found.info, token);
  }

  /** Tells the workers to look for work now; needs no token and sends nothing (what a git hook does). */
  async wake(): Promise<void> {
    const { status, body } = await this.call('POST', '/api/wake', { headers: { 'content-length': 0 } });
    this.json(status, body);
  }

  /** GETs a JSON document. */
  async get<T>(path: string): Promise<T> {
    const { status, body } = await this.call('GET', path);
    return this.json<T>(status, body);
  }

  /** GETs a text document (a build log). */
  async text(path: string): Promise<string> {
    const { status, body } = await this.call('GET', path);
    if (status >= 400) this.json(status, body);
    return body;
  }

  /** POSTs JSON and reads a JSON answer. */
  async post<T>(path: string, payload: unknown = {}): Promise<T> {
    const { status, body } = await this.call('POST', path, jsonBody(payload));
    return this.json<T>(status, body);
  }

  /**
   * POSTs JSON, or a streamed body with its content type, and reads an NDJSON stream, calling `onLine` for
   * each line; resolves to the `result` line, throws the `error` line as an `ApiError`.
   */
  async stream(
    path: string,
    payload: unknown | { readonly contentType: string; readonly write: BodyWriter },
    onLine: (line: StreamLine) => void,
  ): Promise<Record<string, unknown>> {
    let result: Record<string, unknown> | undefined;
    let failure: string | undefined;
    const streamed =
      typeof payload === 'object' &&
      payload !== null &&
      'write' in payload &&
      typeof payload.write === 'function'
        ? (payload as { readonly contentType: string; readonly write: BodyWriter })
        : undefined;
    const options: CallOptions = streamed
      ? {
          // The server answers a refusal (no token, a tag that exists) before a byte of the body is sent.
          headers: { 'content-type': streamed.contentType, expect: '100-continue' },
          body: streamed.write,
        }
      : jsonBody(payload);
    const { status, body } = await this.call('POST', path, {
      ...options,
      onLine: (line) => {
        onLine(line);
        if (line.type === 'result') result = line;
        if (line.type === 'error') failure = line.message;
      },
    });
    if (status >= 400) this.json(status, body);
    if (failure !== undefined) throw new ApiError(status, failure);
    if (!result) throw new ApiError(status, `${path}: the stream ended without a result`);
    return result;
  }

  private json<T>(status: number, body: string): T {
    if (status === 204) return undefined as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ApiError(
        status,
        `the API answered ${status} with a body that is not JSON: ${body.slice(0, 200)}`,
      );
    }
    if (status >= 400) {
      const message = (parsed as { error?: unknown })?.error;
      throw new ApiError(status, typeof message === 'string' ? message : `the API answered ${status}`);
    }
    return parsed as T;
  }

  private call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<{ status: number; body: string }> {
    const url = new URL(path, this.info.api);
    const { onLine } = options;
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request(
        url,
        {
          method,
          headers: {
            ...options.headers,
            ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
          },
        },
        (res) => {
          answered = true;
          res.setEncoding('utf8');
          let body = '';
          let pending = '';
          res.on('data', (chunk: string) => {
            if (!onLine || (res.statusCode ?? 500) >= 400) {
              body += chunk;
              return;
            }
            pending += chunk;
            let nl = pending.indexOf('\n');
            while (nl >= 0) {
              const line = pending.slice(0, nl).trim();
              pending = pending.slice(nl + 1);
              if (line) onLine(JSON.parse(line) as StreamLine);
              nl = pending.indexOf('\n');
            }
          });
          res.on('end', () => {
            if (onLine && pending.trim()) onLine(JSON.parse(pending) as StreamLine);
            resolve({ status: res.statusCode ?? 500, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err) => {
        // Once the server has answered (a refusal while the body was still going), its answer is what counts.
        if (answered) return;
        reject(
          err instanceof DrydockError
            ? err
            : new PipelineNotRunningError(
                this.info.stateDir,
                `its API at ${this.info.api} does not answer: ${(err as Error).message}`,
              ),
        );
      });
      const { body } = options;
      if (typeof body === 'function') {
        req.once('continue', () => {
          body(req).catch((error: unknown) => {
            req.destroy();
            if (answered) return;
            reject(
              error instanceof DrydockError
                ? error
                : new ApiError(
                    0,
                    `sending the request body failed: ${(error as Error)?.message ?? String(error)}`,
                  ),
            );
          });
        });
        req.flushHeaders();
      } else {
        req.end(body);
      }
    });
  }
}

function jsonBody(payload: unknown): CallOptions {
  const data = Buffer.from(JSON.stringify(payload));
  return { headers: { 'content-type': 'application/json', 'content-length': data.length }, body: data };
}
