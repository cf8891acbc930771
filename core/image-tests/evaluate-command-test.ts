import { quoteInput } from '../errors.js';
import { compileGoRegex, MAX_MATCH_STEPS, type MatchBudget } from './go-regex.js';
import type { CommandObservation } from './observations.js';
import type { CommandTest } from './schema.js';

/** The assertions of a command test that the observed run breaks, each naming its field; empty when it passes. */
export function evaluateCommandTest(
  test: CommandTest,
  run: CommandObservation,
  budget?: MatchBudget,
): string[] {
  if (run.timedOutAfterMs !== undefined) {
    return [`command ${quoteInput(commandLine(test))} timed out after ${run.timedOutAfterMs} ms`];
  }
  const failures: string[] = [];
  if (run.exitCode !== test.exitCode) {
    const stderr = run.stderr.trim() === '' ? '' : ` (stderr ${quoteInput(run.stderr.trim())})`;
    failures.push(`exitCode: expected ${test.exitCode}, got ${run.exitCode ?? 'none'}${stderr}`);
  }
  failures.push(...matchAll('expectedOutput', test.expectedOutput, run.stdout, 'stdout', true, budget));
  failures.push(...matchAll('excludedOutput', test.excludedOutput, run.stdout, 'stdout', false, budget));
  failures.push(...matchAll('expectedError', test.expectedError, run.stderr, 'stderr', true, budget));
  failures.push(...matchAll('excludedError', test.excludedError, run.stderr, 'stderr', false, budget));
  return failures;
}

/** Checks each pattern of a list against a text: it must match (expected) or must not (excluded). */
export function matchAll(
  field: string,
  patterns: readonly string[],
  text: string,
  what: string,
  mustMatch: boolean,
  budget: MatchBudget = { left: MAX_MATCH_STEPS },
): string[] {
  const failures: string[] = [];
  patterns.forEach((pattern, i) => {
    const compiled = compileGoRegex(pattern);
    if (!compiled.ok) {
      failures.push(
        `${field}[${i}]: ${quoteInput(pattern)} is not a valid Go (RE2) regular expression: ${compiled.error}`,
      );
      return;
    }
    // Fail closed rather than hold the pipeline: an unmatched pattern is a failed assertion either way.
    const steps = compiled.regex.size * Math.max(1, text.length);
    const over =
      steps > MAX_MATCH_STEPS
        ? `over the limit of ${MAX_MATCH_STEPS} per match`
        : steps > budget.left
          ? `over the ${budget.left} left of the suite's limit`
          : undefined;
    if (over) {
      failures.push(
        `${field}[${i}]: ${quoteInput(pattern)} not matched: ${compiled.regex.size} instructions against ` +
          `${text.length} characters of ${what} is up to ${steps} steps, ${over}; shorten the pattern or the text`,
      );
      return;
    }
    budget.left -= steps;
    if (compiled.regex.test(text) !== mustMatch) {
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
