import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DrydockError } from '../../core/errors.js';
import type { Observability } from './observability.js';

/** A JSON response of a function URL. */
export function json(statusCode: number, body: Record<string, unknown>): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The request body's exact bytes: function URLs base64-encode bodies they do not consider text. */
export function rawBody(event: {
  readonly body?: string | undefined;
  readonly isBase64Encoded: boolean;
}): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A header by name, whatever its case (function URLs lower-case them; tests and proxies may not). */
export function header(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Maps a failure to a status: the same request still running 409, a failure worth retrying (provider or AWS
 * fault) 503, any other drydock error 422 with its message, anything else 500.
 */
export function failure(obs: Observability, err: unknown, what: string): APIGatewayProxyStructuredResultV2 {
  if (err instanceof Error && err.name === 'IdempotencyAlreadyInProgressError') {
    return json(409, { message: 'this request is being handled' });
  }
  obs.logger.error('request failed', { request: what, error: err as Error });
  if (err instanceof DrydockError) {
    if (err.retryable) return json(503, { message: `try again later: ${err.code}` });
    return json(422, { message: err.message, code: err.code });
  }
  return json(500, { message: 'internal error' });
}
