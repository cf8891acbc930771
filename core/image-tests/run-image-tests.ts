import { quoteInput } from '../errors.js';
import { ImageTestInterruptedError } from '../ports/image-tester.js';
import { commandLine, evaluateCommandTest } from './evaluate-command-test.js';
import { evaluateFileContentTest } from './evaluate-file-content-test.js';
import { evaluateFileExistenceTest } from './evaluate-file-existence-test.js';
import { evaluateMetadataTest } from './evaluate-metadata-test.js';
import { MAX_SUITE_MATCH_STEPS, type MatchBudget } from './go-regex.js';
import type { CommandObservation, FileRead, FileStat, ImageConfig } from './observations.js';
import type { CommandTest, ImageTestSuite } from './schema.js';

/** The sections of an image-tests document. */
export type ImageTestKind = 'commandTests' | 'fileExistenceTests' | 'fileContentTests' | 'metadataTest';

/** The outcome of one test of the suite. */
export interface ImageTestResult {
  readonly kind: ImageTestKind;
  /** Where the test is in the document: `commandTests[2]`, `metadataTest`. */
  readonly id: string;
  readonly name: string;
  readonly passed: boolean;
  /** Each broken assertion, naming its field (`expectedOutput[0]: "hello" not found in stdout "bye"`). */
  readonly failures: readonly string[];
  readonly durationMs: number;
  /** Output of a command test's command. */
  readonly stdout?: string;
  readonly stderr?: string;
}

/** The outcome of a whole suite against one image; a suite that fails blocks publishing. */
export interface ImageTestReport {
  readonly image: string;
  readonly passed: boolean;
  readonly tests: number;
  readonly failed: number;
  readonly durationMs: number;
  readonly results: readonly ImageTestResult[];
}

/** What the runner can observe of the image under test (one running container locally). */
export interface ImageProbe {
  config(): Promise<ImageConfig>;
  /** Runs a command (no shell) with extra environment variables, stopped after `timeoutMs`. */
  exec(
    argv: readonly string[],
    env: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<CommandObservation>;
  stat(path: string, timeoutMs: number): Promise<FileStat>;
  read(path: string, timeoutMs: number): Promise<FileRead>;
  /**
   * Runs the steps of one command test that has setup or teardown with an exec whose commands see the changes
   * of the steps before them; for a probe with a fresh container per exec. Absent, the steps use `exec`.
   */
  withSteps?<T>(body: (exec: ImageProbe['exec']) => Promise<T>): Promise<T>;
}

/** Limits and identity of one run. */
export interface RunImageTestsOptions {
  readonly image: string;
  /** Tests not started within this time fail as not run. */
  readonly timeLimitMs: number;
  /** Limit of each test: a command test's setup, command and teardown together; a stat; a read. */
  readonly testTimeoutMs: number;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Called with each result as soon as its test has run. */
  readonly onResult?: (result: ImageTestResult) => void;
  /** Once aborted, no further test starts and the run throws `ImageTestInterruptedError`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs every test of the suite through the probe, in document order (commands, file existence, file contents,
 * metadata); a probe that throws fails its test (fail closed), and tests past the time limit fail as not run.
 * An aborted `signal` ends the run with `ImageTestInterruptedError`, also when it made the running test's
 * probe fail: an interrupted test has no result.
 */
export async function runImageTests(
  suite: ImageTestSuite,
  probe: ImageProbe,
  options: RunImageTestsOptions,
): Promise<ImageTestReport> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const deadline = started + options.timeLimitMs;
  const results: ImageTestResult[] = [];
  const globalEnv = Object.fromEntries(suite.globalEnvVars.map((v) => [v.key, v.value]));
  // Matching runs on the caller's thread: the suite's patterns share one bound on the work they may take.
  const budget: MatchBudget = { left: MAX_SUITE_MATCH_STEPS };

  const run = async (
    kind: ImageTestKind,
    id: string,
    name: string,
    body: (timeoutMs: number) => Promise<{ failures: string[]; stdout?: string; stderr?: string }>,
  ) => {
    const interrupted = () => new ImageTestInterruptedError(options.image, { cause: options.signal?.reason });
    if (options.signal?.aborted) throw interrupted();
    const begin = clock();
    const remaining = deadline - begin;
    let outcome: { failures: string[]; stdout?: string; stderr?: string };
    if (remaining <= 0) {
      outcome = { failures: [`not run: the suite's time limit of ${options.timeLimitMs} ms was reached`] };
    } else {
      try {
        const given = Math.min(options.testTimeoutMs, remaining);
        outcome = await body(given);
        // Cut short by the suite's limit: name that limit, not the few ms left of it (which vary run to run).
        // `given === remaining` also when the two limits are equal (a tester caps the test's at the suite's).
        if (given === remaining) {
          const cut = `timed out after ${given} ms`;
          const suiteLimit = `was stopped at the suite's time limit of ${options.timeLimitMs} ms`;
          outcome = { ...outcome, failures: outcome.failures.map((f) => f.replace(cut, suiteLimit)) };
        }
      } catch (error) {
        if (options.signal?.aborted) throw interrupted();
        outcome = { failures: [`could not run: ${(error as Error).message}`] };
      }
      if (options.signal?.aborted) throw interrupted();
    }
    const result = {
      kind,
      id,
      name,
      passed: outcome.failures.length === 0,
      durationMs: clock() - begin,
      ...outcome,
    };
    results.push(result);
    options.onResult?.(result);
  };

  for (const [i, test] of suite.commandTests.entries()) {
    const env = { ...globalEnv, ...Object.fromEntries(test.envVars.map((v) => [v.key, v.value])) };
    await run('commandTests', `commandTests[${i}]`, test.name, (timeoutMs) =>
      runCommandTest(test, env, probe, timeoutMs, clock, budget),
    );
  }
  for (const [i, test] of suite.fileExistenceTests.entries()) {
    await run('fileExistenceTests', `fileExistenceTests[${i}]`, test.name, async (timeoutMs) => ({
      failures: evaluateFileExistenceTest(test, await probe.stat(test.path, timeoutMs)),
    }));
  }
  for (const [i, test] of suite.fileContentTests.entries()) {
    await run('fileContentTests', `fileContentTests[${i}]`, test.name, async (timeoutMs) => ({
      failures: evaluateFileContentTest(test, await probe.read(test.path, timeoutMs), budget),
    }));
  }
  const metadata = suite.metadataTest;
  if (metadata) {
    await run('metadataTest', 'metadataTest', 'metadata', async () => ({
      failures: evaluateMetadataTest(metadata, await probe.config()),
    }));
  }
  const failed = results.filter((r) => !r.passed).length;
  return {
    image: options.image,
    passed: failed === 0,
    tests: results.length,
    failed,
    durationMs: clock() - started,
    results,
  };
}

/** Every failure of the report as one line naming the test and the assertion, for messages and events. */
export function failureMessages(report: ImageTestReport): string[] {
  return report.results.flatMap((r) => r.failures.map((f) => `${r.id} ${quoteInput(r.name)}: ${f}`));
}

async function runCommandTest(
  test: CommandTest,
  env: Readonly<Record<string, string>>,
  probe: ImageProbe,
  timeoutMs: number,
  clock: () => number,
  budget: MatchBudget,
): Promise<{ failures: string[]; stdout?: string; stderr?: string }> {
  const deadline = clock() + timeoutMs;
  // Setup, command and teardown share the test's one limit, so that steps cannot stretch a test past it: each
  // gets what is left, none starts once it is spent, and a step stopped early is named by the test's limit.
  const withinTest =
    (exec: ImageProbe['exec']): ImageProbe['exec'] =>
    async (argv, e) => {
      const left = deadline - clock();
      if (left <= 0) return { exitCode: null, stdout: '', stderr: '', timedOutAfterMs: timeoutMs };
      const observed = await exec(argv, e, left);
      return observed.timedOutAfterMs === undefined ? observed : { ...observed, timedOutAfterMs: timeoutMs };
    };
  if (probe.withSteps && (test.setup.length > 0 || test.teardown.length > 0)) {
    return probe.withSteps((exec) => runCommandSteps(test, env, withinTest(exec), timeoutMs, budget));
  }
  return runCommandSteps(test, env, withinTest(probe.exec.bind(probe)), timeoutMs, budget);
}

async function runCommandSteps(
  test: CommandTest,
  env: Readonly<Record<string, string>>,
  exec: ImageProbe['exec'],
  timeoutMs: number,
  budget: MatchBudget,
): Promise<{ failures: string[]; stdout?: string; stderr?: string }> {
  // Without withSteps, setup and teardown share the probe's one container of the suite.
  const step = async (field: 'setup' | 'teardown', argv: readonly string[], i: number) => {
    const result = await exec(argv, env, timeoutMs);
    if (result.timedOutAfterMs !== undefined) {
      return `${field}[${i}]: ${quoteInput(argv.join(' '))} timed out after ${result.timedOutAfterMs} ms`;
    }
    if (result.exitCode !== 0) {
      const stderr = result.stderr.trim() === '' ? '' : ` (stderr ${quoteInput(result.stderr.trim())})`;
      return `${field}[${i}]: ${quoteInput(argv.join(' '))} exited with ${result.exitCode ?? 'no status'}${stderr}`;
    }
    return undefined;
  };
  const failures: string[] = [];
  let observed: CommandObservation | undefined;
  for (const [i, argv] of test.setup.entries()) {
    const failure = await step('setup', argv, i);
    if (failure) {
      failures.push(failure, `command ${quoteInput(commandLine(test))} not run: setup failed`);
      break;
    }
  }
  if (failures.length === 0) {
    observed = await exec([test.command, ...test.args], env, timeoutMs);
    failures.push(...evaluateCommandTest(test, observed, budget));
  }
  for (const [i, argv] of test.teardown.entries()) {
    const failure = await step('teardown', argv, i);
    if (failure) failures.push(failure);
  }
  return observed ? { failures, stdout: observed.stdout, stderr: observed.stderr } : { failures };
}
