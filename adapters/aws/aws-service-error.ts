import { DrydockError } from '../../core/errors.js';

// Error names the SDK uses for "slow down" and "over a quota": a later attempt can succeed.
const RETRYABLE_NAMES = new Set([
  'AccountLimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalServiceError',
  'InternalServerException',
  'SlowDown',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly code?: string;
}

/** True when an SDK (or network) error is worth retrying later: throttling, quotas, 5xx, connection faults. */
export function isRetryableAwsError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as SdkErrorShape;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (DNS, reset, timeout).
  return (
    typeof e.code === 'string' &&
    /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(e.code)
  );
}

/** An AWS API call that failed; `code` is the SDK's error name, `retryable` says whether a later attempt can help. */
export class AwsServiceError extends DrydockError {
  override readonly name = 'AwsServiceError';
  /** The API action, like `codebuild:StartBuild`. */
  readonly action: string;
  /** The SDK error name, like `AccountLimitExceededException`. */
  readonly awsCode: string;

  constructor(action: string, cause: unknown) {
    const e = (typeof cause === 'object' && cause !== null ? cause : {}) as SdkErrorShape;
    const awsCode = e.name ?? 'UnknownError';
    super(`${action} failed: ${awsCode}: ${e.message ?? String(cause)}`, {
      code: 'AWS_CALL_FAILED',
      retryable: isRetryableAwsError(cause),
      cause,
    });
    this.action = action;
    this.awsCode = awsCode;
  }
}

/** Runs one SDK call and wraps whatever it throws in an {@link AwsServiceError} naming the action. */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof DrydockError) throw err;
    throw new AwsServiceError(action, err);
  }
}

/** True when the error (or the SDK error inside an AwsServiceError) has this SDK name. */
export function hasAwsName(err: unknown, ...names: string[]): boolean {
  const inner = err instanceof AwsServiceError ? err.cause : err;
  return typeof inner === 'object' && inner !== null && names.includes((inner as SdkErrorShape).name ?? '');
}

/** Splits items into chunks of at most `max` entries and at most `maxBytes` of `size(item)` each. */
export function chunk<T>(
  items: readonly T[],
  max: number,
  maxBytes = Number.POSITIVE_INFINITY,
  size: (item: T) => number = () => 0,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length >= max || bytes + n > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
