import { type IncomingHttpHeaders, request } from 'node:http';

/** One answer of the local API over real HTTP. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: () => Record<string, unknown>;
}

/** What one request sends besides its method and path. */
export interface RequestOptions {
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** The bearer token; null sends none. */
  readonly token?: string | null;
}

/**
 * One request to the API on 127.0.0.1:`port` over real HTTP, the Host header the loopback address unless given.
 * A refused request may be answered and closed before its whole body is sent: that EPIPE is not an error.
 */
export function apiRequest(
  port: number,
  method: string,
  path: string,
  options: RequestOptions & { readonly token: string | null },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          host: `127.0.0.1:${port}`,
          ...(options.token === null ? {} : { authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
    req.end(options.body);
  });
}
