import { DrydockError } from '../errors.js';

/** One schema problem in an event: the field path (`detail.definitions[0].change`) and what is wrong. */
export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

/** An event that does not match its schema; the input is kept so that the caller can dead-letter it. */
export class InvalidEventError extends DrydockError {
  override readonly name = 'InvalidEventError';
  readonly issues: readonly EventIssue[];
  /** The rejected input, unchanged. */
  readonly input: unknown;

  constructor(issues: readonly EventIssue[], input: unknown, options: { cause?: unknown } = {}) {
    const lines = issues.map((i) => `  ${i.path ? `${i.path}: ` : ''}${i.message}`);
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`invalid event (${count}):\n${lines.join('\n')}`, { code: 'EVENT_INVALID', cause: options.cause });
    this.issues = issues;
    this.input = input;
  }
}
