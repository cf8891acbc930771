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

/** One problem in a policy document: the field path (`allowed[2].tags[0]`), what is wrong, and where in the text. */
export interface PolicyIssue {
  /** Field path like `allowed[2].tags[0]`; empty for a syntax error of the whole document. */
  readonly path: string;
  readonly message: string;
  /** 1-based line of the offending node, when the policy came from YAML or JSON text. */
  readonly line?: number;
  readonly column?: number;
}

/** A base-image policy document that cannot be used, with every issue found. */
export class PolicyValidationError extends DrydockError {
  override readonly name = 'PolicyValidationError';
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[], options: { source?: string; cause?: unknown } = {}) {
    const where = options.source ? `${options.source}: ` : '';
    const lines = issues.map((i) => {
      const at = i.line === undefined ? '' : `line ${i.line}, column ${i.column ?? 1}: `;
      return `  ${at}${i.path ? `${i.path}: ` : ''}${i.message}`;
    });
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${where}invalid policy (${count}):\n${lines.join('\n')}`, {
      code: 'POLICY_INVALID',
      cause: options.cause,
    });
    this.issues = issues;
  }
}

const EXCERPT_LIMIT = 80;

/** The value cut to its first 80 characters and an ellipsis when it is longer. */
export function excerpt(value: string): string {
  if (value.length <= EXCERPT_LIMIT) return value;
  // Cutting between the halves of a surrogate pair would leave a lone half in the message.
  const end = /[\uD800-\uDBFF]/.test(value.charAt(EXCERPT_LIMIT - 1)) ? EXCERPT_LIMIT - 1 : EXCERPT_LIMIT;
  return `${value.slice(0, end)}…`;
}

/**
 * Quotes a value for a message, cut to 80 characters with an ellipsis and its length, so that a huge input
 * cannot flood the output: `"aaaa…" (2097152 characters)`.
 */
export function quoteInput(value: string): string {
  const quoted = JSON.stringify(excerpt(value));
  return value.length <= EXCERPT_LIMIT ? quoted : `${quoted} (${value.length} characters)`;
}

/** A program drydock runs is not installed; the message names the Debian package to install. */
export class ToolMissingError extends DrydockError {
  override readonly name = 'ToolMissingError';
  readonly tool: string;
  readonly debianPackage: string;

  constructor(tool: string, debianPackage: string, options: { cause?: unknown } = {}) {
    super(
      `${tool} is not installed or not executable; install the Debian package "${debianPackage}" ` +
        `(apt-get install ${debianPackage}, or run scripts/bootstrap)`,
      { code: 'TOOL_MISSING', ...options },
    );
    this.tool = tool;
    this.debianPackage = debianPackage;
  }
}
