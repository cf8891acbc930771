import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

/** One request the fake forge received. */
export interface ForgeRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** Answers a request path (with query) or returns undefined for a 404. */
export type ForgeRoute = (path: string, res: ServerResponse) => boolean;

/** A local HTTP server standing in for the GitHub or GitLab API, recording every request. */
export async function startForge(
  route: ForgeRoute,
): Promise<{ url: string; requests: ForgeRequest[]; stop(): Promise<void> }> {
  const requests: ForgeRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (!route(req.url ?? '', res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  body: unknown,
  headers: Record<string, string> = {},
  status = 200,
): true {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return true;
}
