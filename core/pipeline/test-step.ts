import { quoteInput } from '../errors.js';
import type { BuildCompletedEvent } from '../events/build-completed.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import { IMAGE_TESTED, type ImageTestedEvent, type TestFailure } from '../events/image-tested.js';
import { withRebuild } from '../events/rebuild-ids.js';
import {
  INVALID_TESTS_SUITE,
  invalidTestsLine,
  oneLine,
  testsFailedLine,
} from '../image-tests/failure-summary.js';
import { renderJUnitXml } from '../image-tests/junit-report.js';
import {
  describeImageTestsIssue,
  ImageTestsInvalidError,
  parseImageTests,
} from '../image-tests/parse-image-tests.js';
import { imageTestsPathFor } from '../image-tests/paths.js';
import type { ImageTestReport } from '../image-tests/run-image-tests.js';
import type { ImageTestSuite } from '../image-tests/schema.js';
import { type BuildRecord, type BuildRecords, isTerminal } from '../ports/build-records.js';
import type { Clock } from '../ports/clock.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import { type ImageTester, ImageTestInterruptedError } from '../ports/image-tester.js';
import { capTestFailures } from './event-caps.js';

export { IMAGE_TESTS_FILE, imageTestsPathFor } from '../image-tests/paths.js';

/** Where JUnit reports are kept (a state-dir folder locally, S3 or CodeBuild reports on AWS). */
export interface TestReports {
  /** Stores the JUnit XML of one build's tests and returns where it is. */
  save(buildId: string, junitXml: string): Promise<string>;
}

/** What the test step needs: the definition's tests, the sandbox that runs them, where reports go. */
export interface RunImageTestsDeps {
  readonly source: DefinitionSource;
  readonly tester: ImageTester;
  readonly reports: TestReports;
  readonly records: BuildRecords;
  readonly clock: Clock;
  /** Time limit of the whole suite. */
  readonly timeLimitMs: number;
  /**
   * Receives the run's progress, one line per call (for the build's log): what is tested, the tester's lines
   * (`PASS …`, `FAIL …` and each broken assertion), the outcome and where the JUnit report is; also a line when
   * there is no image-tests.yaml and each problem of an invalid one.
   */
  readonly log?: (line: string) => void;
  /** Aborted when the pipeline stops: running tests end with `ImageTestInterruptedError`, to run again. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the definition's black-box tests (its `image-tests.yaml` at the built commit) against the built image
 * and reports the outcome as an `Image Tested` event; the JUnit XML is saved through `reports`. No test file
 * passes with 0 tests; an invalid test file fails with its problems as the one failure (suite
 * `INVALID_TESTS_SUITE`), since it is the definition's fault, not the pipeline's. A failed build's record error
 * is one line naming the first broken assertion or problem. Sandbox faults (`ImageTestSandboxError`) are thrown.
 */
export async function runImageTests(
  event: BuildCompletedEvent,
  deps: RunImageTestsDeps,
): Promise<ImageTestedEvent> {
  const built = event.detail;
  // The tester's lines may hold several (a FAIL line with its assertions); a log takes one line per call.
  const say = (text: string) => {
    if (deps.log) for (const line of text.split(/\r?\n/)) deps.log(line);
  };
  const record = await deps.records.get(built.buildId);
  // A redelivered event after the build finished tests again but leaves the finished record alone.
  if (!record || !isTerminal(record.state)) await deps.records.transition(built.buildId, 'testing');

  const testsPath = imageTestsPathFor(built.definition);
  const text = await deps.source.read(built.repository, built.commit, testsPath);
  let suite: ImageTestSuite | undefined;
  let suiteName = `image tests of ${built.definition} at ${built.commit.slice(0, 12)}`;
  if (text === undefined) {
    suiteName += ` (no ${testsPath}: nothing tested)`;
    say(`drydock: no ${testsPath} beside ${built.definition}: no image tests to run, which passes`);
  } else {
    try {
      // No source: the failure is named by the file already, its message must not repeat it.
      suite = parseImageTests(text);
    } catch (error) {
      if (!(error instanceof ImageTestsInvalidError)) throw error;
      const problems = error.issues.map((i) => oneLine(describeImageTestsIssue(i)));
      const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
      say(`drydock: ${testsPath} is invalid (${count}); no image test ran and the image is not published:`);
      for (const problem of problems) say(`drydock:   ${problem}`);
      const failure: TestFailure = {
        name: testsPath,
        message: problems.join('\n'),
        suite: INVALID_TESTS_SUITE,
      };
      await fail(deps, built.buildId, record, invalidTestsLine(testsPath, problems));
      return tested(event, deps, { tests: 1, failures: [failure], durationMs: 0 });
    }
  }

  const startedAt = deps.clock.now();
  let report: ImageTestReport;
  if (suite) {
    say(`drydock: testing ${built.imageRef} with ${testsPath} (${plural(countTests(suite), 'test')})`);
    try {
      report = await deps.tester.test({
        image: built.imageRef,
        suite,
        timeLimitMs: deps.timeLimitMs,
        log: say,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (error) {
      say(
        error instanceof ImageTestInterruptedError
          ? 'drydock: image tests interrupted: the pipeline is stopping; they run again at the next start'
          : `drydock: image tests could not run: ${(error as Error).message}`,
      );
      throw error;
    }
  } else {
    report = { image: built.imageRef, passed: true, tests: 0, failed: 0, durationMs: 0, results: [] };
  }
  const junitPath = await deps.reports.save(
    built.buildId,
    renderJUnitXml(report, { suiteName, timestamp: startedAt }),
  );
  const failures: TestFailure[] = report.results
    .filter((r) => !r.passed)
    // One line per assertion: the message is read back split on line breaks (notifications, the log).
    .map((r) => ({ name: `${r.id} ${r.name}`, message: r.failures.map(oneLine).join('\n'), suite: r.kind }));
  if (report.passed) {
    if (suite)
      say(`drydock: image tests passed: ${plural(report.tests, 'test')}; JUnit report: ${junitPath}`);
  } else {
    const line = failedLine(report);
    say(`drydock: ${line}`);
    say(`drydock: JUnit report: ${junitPath}`);
    await fail(deps, built.buildId, record, line);
  }
  return tested(event, deps, { tests: report.tests, failures, durationMs: report.durationMs, junitPath });
}

/** `1 of 4 image tests failed: commandTests[1] "uid": expectedOutput[0]: …; and N more`, on one line. */
function failedLine(report: ImageTestReport): string {
  const first = report.results.find((r) => !r.passed);
  return testsFailedLine(
    report,
    first && `${first.id} ${quoteInput(first.name)}: ${first.failures[0] ?? 'failed'}`,
  );
}

function countTests(suite: ImageTestSuite): number {
  return (
    suite.commandTests.length +
    suite.fileExistenceTests.length +
    suite.fileContentTests.length +
    (suite.metadataTest ? 1 : 0)
  );
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

async function fail(
  deps: RunImageTestsDeps,
  buildId: string,
  record: BuildRecord | undefined,
  error: string,
): Promise<void> {
  if (record && isTerminal(record.state)) return;
  await deps.records.transition(buildId, 'failed', { error });
}

function tested(
  event: BuildCompletedEvent,
  deps: RunImageTestsDeps,
  outcome: { tests: number; failures: TestFailure[]; durationMs: number; junitPath?: string },
): ImageTestedEvent {
  const d = event.detail;
  return {
    // One id per built image: a redelivered Build Completed yields the same event, a rebuild a new one.
    id: stableId('image-tested', d.buildId, d.configDigest),
    source: EVENT_SOURCE,
    detailType: IMAGE_TESTED,
    time: deps.clock.now().toISOString(),
    detail: {
      buildId: d.buildId,
      repository: d.repository,
      commit: d.commit,
      definition: d.definition,
      correlationId: d.correlationId,
      ...withRebuild(d.rebuild),
      imageRef: d.imageRef,
      configDigest: d.configDigest,
      passed: outcome.failures.length === 0,
      summary: {
        tests: outcome.tests,
        failures: outcome.failures.length,
        skipped: 0,
        durationMs: Math.max(0, Math.round(outcome.durationMs)),
      },
      // The count is every failure; the event names the first ones, the JUnit report all of them.
      failures: capTestFailures(outcome.failures, outcome.junitPath),
      ...(outcome.junitPath === undefined ? {} : { junitPath: outcome.junitPath }),
      bases: d.bases.map((b) => ({ name: b.name, digest: b.digest })),
    },
  };
}
