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
    const event = await runImageTests(await built('fail'), deps);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 2, failures: 1 } });
    expect(event.detail.failures).toEqual([
      {
        name: 'commandTests[1] says goodbye',
        message: 'expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"',
        suite: 'commandTests',
      },
    ]);
    expect(await readFile(event.detail.junitPath ?? '', 'utf8')).toContain(
      '<failure message="expectedOutput[0]',
    );
    expect(await records.get('build-fail')).toMatchObject({
      state: 'failed',
      error: '1 of 2 image tests failed',
    });
  });

  it('fails an invalid image-tests.yaml with its schema problem as the failure, without running anything', async () => {
    const event = await runImageTests(await built('invalid'), deps);
    expect(event.detail).toMatchObject({ passed: false, summary: { tests: 1, failures: 1 } });
    expect(event.detail.failures).toHaveLength(1);
    expect(event.detail.failures[0]).toMatchObject({
      name: 'invalid/image-tests.yaml',
      suite: 'image-tests',
    });
    expect(event.detail.failures[0]?.message).toMatch(
      /line 4, column 5: commandTests\[0\]\.command: is required/,
    );
    expect(event.detail.junitPath).toBeUndefined();
    expect((await records.get('build-invalid'))?.state).toBe('failed');
  });

  it('passes with 0 tests and a note in the report when the definition has no image-tests.yaml', async () => {
    const event = await runImageTests(await built('none'), deps);
    expect(event.detail).toMatchObject({ passed: true, summary: { tests: 0, failures: 0 }, failures: [] });
    expect(await readFile(event.detail.junitPath ?? '', 'utf8')).toContain(
      '(no none/image-tests.yaml: nothing tested)',
    );
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
