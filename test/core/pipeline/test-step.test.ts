import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageTestedEvent } from '../../../core/events/image-tested.js';
import {
  imageTestsPathFor,
  type RunImageTestsDeps,
  runImageTests,
} from '../../../core/pipeline/test-step.js';
import {
  type ImageTester,
  ImageTestInterruptedError,
  ImageTestSandboxError,
} from '../../../core/ports/image-tester.js';
import { commit as commitOf, digest } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';
import { buildCompleted, REPOSITORY } from '../../fixtures/pipeline/pipeline-state.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/pipeline/${name}`, import.meta.url), 'utf8');

const APP = 'localhost/apps/payments:build-1';
const COMMIT = commitOf('image-tests');
const CONFIG = digest('app-config');
const GOODBYE = 'expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"';
const DOCKERFILE = 'FROM localhost/base/busybox:1.36.0\nCOPY hello.txt /app/hello.txt\n';

let f: PushFlowFakes;
let deps: RunImageTestsDeps;

beforeEach(() => {
  f = pushFlowFakes();
  f.images.add(APP, { imageId: CONFIG, labels: {}, created: '2025-03-14T09:00:00Z' });
  f.source.commit(REPOSITORY, COMMIT, {
    'pass/Dockerfile': DOCKERFILE,
    'pass/image-tests.yaml': fixture('passing.yaml'),
    'fail/Dockerfile': DOCKERFILE,
    'fail/image-tests.yaml': fixture('failing.yaml'),
    'invalid/Dockerfile': DOCKERFILE,
    'invalid/image-tests.yaml': fixture('invalid.yaml'),
    'none/Dockerfile': DOCKERFILE,
    'problems/Dockerfile': DOCKERFILE,
    'problems/image-tests.yaml':
      'schemaVersion: "2.0.0"\nmetadataTests:\n  user: app\ncommandTests:\n  - name: no command\n',
  });
  // The image does not say goodbye: the second test of failing.yaml fails, as podman finds.
  f.tester.failTest('commandTests[1]', GOODBYE);
  deps = {
    source: f.source,
    tester: f.tester,
    reports: f.reports,
    records: f.records,
    clock: f.clock,
    timeLimitMs: 30_000,
  };
});

/** The deps with a log that keeps every line it is given. */
function logged(over: Partial<RunImageTestsDeps> = {}): { deps: RunImageTestsDeps; lines: string[] } {
  const lines: string[] = [];
  return { deps: { ...deps, ...over, log: (line) => lines.push(line) }, lines };
}

/** A build of `<dir>/Dockerfile` that has reached `building`, and its Build Completed event. */
async function built(dir: string, rebuild?: string) {
  const definition = `${dir}/Dockerfile`;
  const buildId = rebuild ? `rebuild-${dir}` : `build-${dir}`;
  await f.records.enqueue({
    buildId,
    repository: REPOSITORY,
    definition,
    commit: COMMIT,
    correlationId: 'push-1',
    ...(rebuild ? { rebuild } : {}),
  });
  await f.records.transition(buildId, 'building');
  return buildCompleted({ buildId, commit: COMMIT, definition, imageRef: APP, configDigest: CONFIG });
}

describe('runImageTests', () => {
  it('passes a suite the image meets, saves its JUnit report and leaves the build in testing', async () => {
    const event = await runImageTests(await built('pass'), deps);
    expect(ImageTestedEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ time: f.clock.now().toISOString() });
    expect(event.detail).toMatchObject({
      buildId: 'build-pass',
      passed: true,
      configDigest: CONFIG,
      summary: { tests: 2, failures: 0, skipped: 0 },
      failures: [],
      junitPath: f.reports.pathOf('build-pass'),
    });
    const xml = f.reports.saved.get('build-pass') ?? '';
    expect(xml).toContain('tests="2" failures="0"');
    expect(xml).toContain('name="commandTests[0] says hello"');
    expect(xml).toContain(`image tests of pass/Dockerfile at ${COMMIT.slice(0, 12)}`);
    expect((await f.records.get('build-pass'))?.state).toBe('testing');
    expect(f.tester.requests).toMatchObject([{ image: APP, timeLimitMs: 30_000 }]);
    expect(f.tester.requests[0]?.suite.commandTests.map((t) => t.name)).toEqual(['says hello']);
  });

  it('fails a suite the image does not meet, naming the failing assertion, and fails the build', async () => {
    const { deps: withLog, lines } = logged();
    const event = await runImageTests(await built('fail'), withLog);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 2, failures: 1 } });
    expect(event.detail.failures).toEqual([
      { name: 'commandTests[1] says goodbye', message: GOODBYE, suite: 'commandTests' },
    ]);
    const junitPath = f.reports.pathOf('build-fail');
    expect(event.detail.junitPath).toBe(junitPath);
    expect(f.reports.saved.get('build-fail')).toContain('<failure message="expectedOutput[0]');
    // The record's error is the line `drydock builds` shows: it names the test and its broken assertion.
    const error = `1 of 2 image tests failed: commandTests[1] "says goodbye": ${GOODBYE}`;
    expect(await f.records.get('build-fail')).toMatchObject({ state: 'failed', error });
    // The log gets one line per call: the run, the tester's lines with each broken assertion, the outcome, the report.
    expect(lines).toEqual([
      `drydock: testing ${APP} with fail/image-tests.yaml (2 tests)`,
      expect.stringMatching(/^started drydock-test-[0-9a-f]+ from .* \(no network\)$/),
      'PASS commandTests[0] says hello (0 ms)',
      'FAIL commandTests[1] says goodbye (0 ms)',
      `  ${GOODBYE}`,
      expect.stringMatching(/^removed drydock-test-[0-9a-f]+$/),
      `drydock: ${error}`,
      `drydock: JUnit report: ${junitPath}`,
    ]);
  });

  it('keeps the error of many failed tests to one short line that counts the others', async () => {
    const long = 'y'.repeat(1000);
    const tester: ImageTester = {
      test: async () => ({
        image: APP,
        passed: false,
        tests: 3,
        failed: 3,
        durationMs: 5,
        results: [0, 1, 2].map((i) => ({
          kind: 'commandTests' as const,
          id: `commandTests[${i}]`,
          name: `test\n${i}`,
          passed: false,
          failures: [`could not run: ${long}\nsecond line`, 'exitCode: expected 0, got 1'],
          durationMs: 1,
        })),
      }),
    };
    const event = await runImageTests(await built('pass'), { ...deps, tester });
    // One line per assertion in the event, however many lines an assertion's text had.
    expect(event.detail.failures[0]?.message.split('\n')).toEqual([
      `could not run: ${long} second line`,
      'exitCode: expected 0, got 1',
    ]);
    const error = (await f.records.get('build-pass'))?.error ?? '';
    expect(error).not.toContain('\n');
    expect(error.length).toBeLessThanOrEqual(300);
    expect(error).toMatch(
      /^3 of 3 image tests failed: commandTests\[0\] "test\\n0": could not run: y+…; and 2 more$/,
    );
  });

  it('names the first failures of 5,000 failed tests in an event under 64 KiB, counting them all; the JUnit report keeps every one', async () => {
    const huge = 'z'.repeat(4096);
    const tester: ImageTester = {
      test: async () => ({
        image: APP,
        passed: false,
        tests: 5000,
        failed: 5000,
        durationMs: 5,
        results: Array.from({ length: 5000 }, (_, i) => ({
          kind: 'commandTests' as const,
          id: `commandTests[${i}]`,
          name: i === 0 ? `first ${'\u0001'.repeat(4096)}` : `test ${i}`,
          passed: false,
          failures: [`expectedOutput[0]: "ok" not found in stdout "${huge}"`],
          durationMs: 1,
        })),
      }),
    };
    const event = await runImageTests(await built('pass'), { ...deps, tester });
    expect(ImageTestedEvent.parse(event)).toEqual(event);
    expect(new TextEncoder().encode(JSON.stringify(event)).length).toBeLessThan(64 * 1024);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 5000, failures: 5000 } });
    const { failures } = event.detail;
    expect(failures[0]?.name.startsWith('commandTests[0] first')).toBe(true);
    expect(failures[0]?.message).toMatch(
      /^expectedOutput\[0\]: "ok" not found in stdout "z+ … \[\d+ bytes cut\]$/,
    );
    expect(failures[1]?.name).toBe('commandTests[1] test 1');
    const more = failures.at(-1);
    expect(more?.name).toBe(`and ${5000 - (failures.length - 1)} more failed tests`);
    expect(more?.message).toBe(`every failure is in the JUnit report ${event.detail.junitPath}`);
    expect(f.reports.saved.get('build-pass')).toContain('commandTests[4999] test 4999');
  });

  it('fails an invalid image-tests.yaml with its schema problem as the failure, without running anything', async () => {
    const { deps: withLog, lines } = logged();
    const event = await runImageTests(await built('invalid'), withLog);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 1, failures: 1 } });
    expect(event.detail.failures).toEqual([
      {
        name: 'invalid/image-tests.yaml',
        message: 'line 4, column 5: commandTests[0].command: is required',
        suite: 'image-tests',
      },
    ]);
    expect(event.detail.junitPath).toBeUndefined();
    expect(f.reports.saved.size).toBe(0);
    expect(f.tester.requests).toEqual([]);
    expect(await f.records.get('build-invalid')).toMatchObject({
      state: 'failed',
      error: 'invalid invalid/image-tests.yaml: line 4, column 5: commandTests[0].command: is required',
    });
    expect(lines).toEqual([
      'drydock: invalid/image-tests.yaml is invalid (1 problem); no image test ran and the image is not published:',
      'drydock:   line 4, column 5: commandTests[0].command: is required',
    ]);
  });

  it('names the file of an invalid image-tests.yaml once and counts its other problems', async () => {
    const event = await runImageTests(await built('problems'), deps);
    const [failure] = event.detail.failures;
    expect(failure?.name).toBe('problems/image-tests.yaml');
    expect(failure?.message).not.toContain('problems/image-tests.yaml');
    expect(failure?.message.split('\n')).toEqual([
      'line 5, column 5: commandTests[0].command: is required',
      'line 3, column 3: metadataTests: unknown key "metadataTests"',
    ]);
    expect((await f.records.get('build-problems'))?.error).toBe(
      'invalid problems/image-tests.yaml: line 5, column 5: commandTests[0].command: is required; and 1 more',
    );
  });

  it('passes with 0 tests and a note in the report when the definition has no image-tests.yaml', async () => {
    const { deps: withLog, lines } = logged();
    const event = await runImageTests(await built('none'), withLog);
    expect(event.detail).toMatchObject({ passed: true, summary: { tests: 0, failures: 0 }, failures: [] });
    expect(f.reports.saved.get('build-none')).toContain('(no none/image-tests.yaml: nothing tested)');
    expect(f.tester.requests).toEqual([]);
    expect(lines).toEqual([
      'drydock: no none/image-tests.yaml beside none/Dockerfile: no image tests to run, which passes',
    ]);
  });

  it('throws a sandbox fault for the worker, saying so in the log and leaving the build in testing', async () => {
    const { deps: withLog, lines } = logged();
    f.tester.scriptNext({ kind: 'sandbox-error', reason: 'the container did not start', retryable: true });
    const error = await runImageTests(await built('pass'), withLog).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTestSandboxError);
    expect(lines.at(-1)).toBe(
      `drydock: image tests could not run: cannot test ${APP}: the container did not start`,
    );
    expect((await f.records.get('build-pass'))?.state).toBe('testing');
    expect(f.reports.saved.size).toBe(0);
  });

  it('throws ImageTestInterruptedError when the pipeline stops, to run the tests again', async () => {
    const { deps: withLog, lines } = logged();
    const stopping = new AbortController();
    f.tester.scriptNext({ kind: 'hang' });
    const running = runImageTests(await built('pass'), { ...withLog, signal: stopping.signal }).catch(
      (e: unknown) => e,
    );
    while (f.tester.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
    expect(f.tester.requests[0]?.signal).toBe(stopping.signal);
    stopping.abort();
    expect(await running).toBeInstanceOf(ImageTestInterruptedError);
    expect(lines.at(-1)).toBe(
      'drydock: image tests interrupted: the pipeline is stopping; they run again at the next start',
    );
    expect((await f.records.get('build-pass'))?.state).toBe('testing');
  });

  it('gives a redelivered Build Completed the same event id and outcome, leaving a finished record alone', async () => {
    const event = await built('fail');
    const first = await runImageTests(event, deps);
    const failed = await f.records.get('build-fail');
    f.clock.advance(60_000);
    const second = await runImageTests(event, deps);
    expect(second.id).toBe(first.id);
    expect(second.detail).toEqual(first.detail);
    expect(await f.records.get('build-fail')).toEqual(failed);
  });

  it('finds image-tests.yaml beside the definition', () => {
    expect(imageTestsPathFor('Dockerfile')).toBe('image-tests.yaml');
    expect(imageTestsPathFor('services/api/Dockerfile')).toBe('services/api/image-tests.yaml');
  });
});

describe("runImageTests for a ban's rebuild", () => {
  it('carries the rebuild from Build Completed to Image Tested, with an id of its own', async () => {
    const rebuild = { banId: 'ban-1', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const completed = await built('none', 'ban-1#1');
    const event = await runImageTests({ ...completed, detail: { ...completed.detail, rebuild } }, deps);
    expect(ImageTestedEvent.parse(event)).toEqual(event);
    expect(event.detail).toMatchObject({ buildId: 'rebuild-none', passed: true, rebuild });
    const push = await runImageTests(await built('none'), deps);
    expect(push.detail).not.toHaveProperty('rebuild');
    expect(push.id).not.toBe(event.id);
  });
});
