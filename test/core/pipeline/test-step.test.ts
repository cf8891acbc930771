import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTestReports } from '../../../adapters/local/file-test-reports.js';
import { GitDefinitionSource } from '../../../adapters/local/git-definition-source.js';
import { PodmanImageTester } from '../../../adapters/local/podman-image-tester.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { ImageTestedEvent } from '../../../core/events/image-tested.js';
import {
  imageTestsPathFor,
  type RunImageTestsDeps,
  runImageTests,
} from '../../../core/pipeline/test-step.js';
import { systemClock } from '../../../core/ports/clock.js';
import type { ImageTester } from '../../../core/ports/image-tester.js';
import {
  buildCompleted,
  createPipelineState,
  type PipelineState,
  pipelineFixture,
  REPOSITORY,
} from '../../fixtures/pipeline/pipeline-state.js';

const APP = 'localhost/apps/payments:build-1';
let state: PipelineState;
let deps: RunImageTestsDeps;
let records: SqliteBuildRecords;
let commit: string;
let configDigest: string;

beforeAll(async () => {
  state = await createPipelineState();
  await state.buildBase();
  configDigest = await state.buildApp(APP);
  const dockerfile = 'FROM localhost/base/busybox:1.36.0\nCOPY hello.txt /app/hello.txt\n';
  commit = await state.commit({
    'pass/Dockerfile': dockerfile,
    'pass/image-tests.yaml': await pipelineFixture('passing.yaml'),
    'fail/Dockerfile': dockerfile,
    'fail/image-tests.yaml': await pipelineFixture('failing.yaml'),
    'invalid/Dockerfile': dockerfile,
    'invalid/image-tests.yaml': await pipelineFixture('invalid.yaml'),
    'none/Dockerfile': dockerfile,
    'many/Dockerfile': dockerfile,
    'many/image-tests.yaml': await pipelineFixture('passing.yaml'),
    'problems/Dockerfile': dockerfile,
    'problems/image-tests.yaml':
      'schemaVersion: "2.0.0"\nmetadataTests:\n  user: app\ncommandTests:\n  - name: no command\n',
  });
  records = new SqliteBuildRecords(state.db);
  deps = {
    source: new GitDefinitionSource(state.reposRoot),
    tester: new PodmanImageTester({ env: state.containerEnv.env }),
    reports: new FileTestReports(state.dir),
    records,
    clock: systemClock,
    timeLimitMs: 30_000,
  };
}, 90_000);

afterAll(async () => {
  await state?.cleanup();
});

/** The deps with a log that keeps every line it is given. */
function logged(over: Partial<RunImageTestsDeps> = {}): { deps: RunImageTestsDeps; lines: string[] } {
  const lines: string[] = [];
  return { deps: { ...deps, ...over, log: (line) => lines.push(line) }, lines };
}

/** A build of `<dir>/Dockerfile` that has reached `building`, and its Build Completed event. */
async function built(dir: string) {
  const definition = `${dir}/Dockerfile`;
  const buildId = `build-${dir}`;
  await records.enqueue({ buildId, repository: REPOSITORY, definition, commit, correlationId: 'push-1' });
  await records.transition(buildId, 'building');
  return buildCompleted({ buildId, commit, definition, imageRef: APP, configDigest });
}

describe('runImageTests', () => {
  it('passes a suite the image meets, saves its JUnit report and leaves the build in testing', async () => {
    const event = await runImageTests(await built('pass'), deps);
    expect(ImageTestedEvent.parse(event)).toEqual(event);
    expect(event.detail).toMatchObject({
      buildId: 'build-pass',
      passed: true,
      configDigest,
      summary: { tests: 2, failures: 0, skipped: 0 },
      failures: [],
      junitPath: join(state.dir, 'reports', 'build-pass.junit.xml'),
    });
    const xml = await readFile(event.detail.junitPath ?? '', 'utf8');
    expect(xml).toContain('tests="2" failures="0"');
    expect(xml).toContain('name="commandTests[0] says hello"');
    expect((await records.get('build-pass'))?.state).toBe('testing');
  });

  it('fails a suite the image does not meet, naming the failing assertion, and fails the build', async () => {
    const { deps: withLog, lines } = logged();
    const event = await runImageTests(await built('fail'), withLog);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 2, failures: 1 } });
    expect(event.detail.failures).toEqual([
      {
        name: 'commandTests[1] says goodbye',
        message: 'expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"',
        suite: 'commandTests',
      },
    ]);
    const junitPath = join(state.dir, 'reports', 'build-fail.junit.xml');
    expect(event.detail.junitPath).toBe(junitPath);
    expect(await readFile(junitPath, 'utf8')).toContain('<failure message="expectedOutput[0]');
    // The record's error is the line `drydock builds` shows: it names the test and its broken assertion.
    const error =
      '1 of 2 image tests failed: commandTests[1] "says goodbye": expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"';
    expect(await records.get('build-fail')).toMatchObject({ state: 'failed', error });
    // The log gets one line per call: the run, the tester's lines with each broken assertion, the outcome, the report.
    expect(lines.filter((l) => l.includes('\n'))).toEqual([]);
    expect(lines).toEqual([
      `drydock: testing ${APP} with fail/image-tests.yaml (2 tests)`,
      expect.stringMatching(/^started drydock-test-[0-9a-f]+ from .* \(no network\)$/),
      expect.stringMatching(/^PASS commandTests\[0\] says hello \(\d+ ms\)$/),
      expect.stringMatching(/^FAIL commandTests\[1\] says goodbye \(\d+ ms\)$/),
      '  expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"',
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
    const event = await runImageTests(await built('many'), { ...deps, tester });
    // One line per assertion in the event, however many lines an assertion's text had.
    expect(event.detail.failures[0]?.message.split('\n')).toEqual([
      `could not run: ${long} second line`,
      'exitCode: expected 0, got 1',
    ]);
    const error = (await records.get('build-many'))?.error ?? '';
    expect(error).not.toContain('\n');
    expect(error.length).toBeLessThanOrEqual(300);
    expect(error).toMatch(
      /^3 of 3 image tests failed: commandTests\[0\] "test\\n0": could not run: y+…; and 2 more$/,
    );
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
    expect(await records.get('build-invalid')).toMatchObject({
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
    const problems = failure?.message.split('\n') ?? [];
    expect(problems).toEqual([
      'line 5, column 5: commandTests[0].command: is required',
      'line 3, column 3: metadataTests: unknown key "metadataTests"',
    ]);
    expect((await records.get('build-problems'))?.error).toBe(
      'invalid problems/image-tests.yaml: line 5, column 5: commandTests[0].command: is required; and 1 more',
    );
  });

  it('passes with 0 tests and a note in the report when the definition has no image-tests.yaml', async () => {
    const { deps: withLog, lines } = logged();
    const event = await runImageTests(await built('none'), withLog);
    expect(event.detail).toMatchObject({ passed: true, summary: { tests: 0, failures: 0 }, failures: [] });
    expect(await readFile(event.detail.junitPath ?? '', 'utf8')).toContain(
      '(no none/image-tests.yaml: nothing tested)',
    );
    expect(lines).toEqual([
      'drydock: no none/image-tests.yaml beside none/Dockerfile: no image tests to run, which passes',
    ]);
  });

  it('gives a redelivered Build Completed the same event id and outcome', async () => {
    const event = buildCompleted({
      buildId: 'build-pass',
      commit,
      definition: 'pass/Dockerfile',
      imageRef: APP,
      configDigest,
    });
    const [first, second] = [await runImageTests(event, deps), await runImageTests(event, deps)];
    expect(second.id).toBe(first.id);
    expect({ ...second.detail, summary: undefined }).toEqual({ ...first.detail, summary: undefined });
  });

  it('finds image-tests.yaml beside the definition', () => {
    expect(imageTestsPathFor('Dockerfile')).toBe('image-tests.yaml');
    expect(imageTestsPathFor('services/api/Dockerfile')).toBe('services/api/image-tests.yaml');
  });
});

describe("runImageTests for a ban's rebuild", () => {
  it('carries the rebuild from Build Completed to Image Tested, with an id of its own', async () => {
    const definition = 'none/Dockerfile';
    const buildId = 'rebuild-none';
    await records.enqueue({
      buildId,
      repository: REPOSITORY,
      definition,
      commit,
      correlationId: 'push-1',
      rebuild: 'ban-1#1',
    });
    await records.transition(buildId, 'building');
    const rebuild = { banId: 'ban-1', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const completed = buildCompleted({ buildId, commit, definition, imageRef: APP, configDigest });
    const event = await runImageTests({ ...completed, detail: { ...completed.detail, rebuild } }, deps);
    expect(ImageTestedEvent.parse(event)).toEqual(event);
    expect(event.detail).toMatchObject({ buildId, passed: true, rebuild });
    const push = await runImageTests(await built('none'), deps);
    expect(push.detail).not.toHaveProperty('rebuild');
    expect(push.id).not.toBe(event.id);
  });
});
