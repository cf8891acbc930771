/** The one base error of drydock: a stable `code`, whether a retry can help, and the `cause` kept. */
export class DrydockError extends Error {
  override readonly name: string = 'DrydockError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: { code: string; retryable?: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable ?? false;
  }
}

/** A configuration file (.drydock.yaml, .hadolint.yaml) that cannot be used. */
export class ConfigError extends DrydockError {
  override readonly name = 'ConfigError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'CONFIG_INVALID', ...options });
  }
}
