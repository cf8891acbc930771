import { quoteInput } from '../errors.js';
import { compileGoRegex } from './go-regex.js';
import type { CommandObservation } from './observations.js';
import type { CommandTest } from './schema.js';

/** The assertions of a command test that the observed run breaks, each naming its field; empty when it passes. */
export function evaluateCommandTest(test: CommandTest, run: CommandObservation): string[] {
  if (run.timedOutAfterMs !== undefined) {
    return [`command ${quoteInput(commandLine(test))} timed out after ${run.timedOutAfterMs} ms`];
  }
  const failures: string[] = [];
  if (run.exitCode !== test.exitCode) {
    const stderr = run.stderr.trim() === '' ? '' : ` (stderr ${quoteInput(run.stderr.trim())})`;
    failures.push(`exitCode: expected ${test.exitCode}, got ${run.exitCode ?? 'none'}${stderr}`);
  }
  failures.push(...matchAll('expectedOutput', test.expectedOutput, run.stdout, 'stdout', true));
  failures.push(...matchAll('excludedOutput', test.excludedOutput, run.stdout, 'stdout', false));
  failures.push(...matchAll('expectedError', test.expectedError, run.stderr, 'stderr', true));
  failures.push(...matchAll('excludedError', test.excludedError, run.stderr, 'stderr', false));
  return failures;
}

/** Checks each pattern of a list against a text: it must match (expected) or must not (excluded). */
export function matchAll(
  field: string,
  patterns: readonly string[],
  text: string,
  what: string,
  mustMatch: boolean,
): string[] {
  const failures: string[] = [];
  patterns.forEach((pattern, i) => {
    const compiled = compileGoRegex(pattern);
    if (!compiled.ok) {
      failures.push(
        `${field}[${i}]: ${quoteInput(pattern)} is not a valid regular expression: ${compiled.error}`,
      );
    } else if (compiled.regex.test(text) !== mustMatch) {
      const verb = mustMatch ? 'not found in' : 'found in';
      failures.push(`${field}[${i}]: ${quoteInput(pattern)} ${verb} ${what} ${quoteInput(text)}`);
    }
  });
  return failures;
}

/** The test's command and arguments as one line, for messages. */
export function commandLine(test: Pick<CommandTest, 'command' | 'args'>): string {
  return [test.command, ...test.args].join(' ');
}
