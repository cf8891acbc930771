// The test step on real parts: the definition's image-tests.yaml read from a bare git repository, run by podman
// against a buildah-built image, the JUnit report written to the state dir. What the step decides (records, invalid
// or missing tests files, log lines, redelivery) is tested on fakes in test/core/pipeline/test-step.test.ts; here
// only what podman alone can show.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTestReports } from '../../adapters/local/file-test-reports.js';
import { GitDefinitionSource } from '../../adapters/local/git-definition-source.js';
import { PodmanImageTester } from '../../adapters/local/podman-image-tester.js';
import { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import { type RunImageTestsDeps, runImageTests } from '../../core/pipeline/test-step.js';
import { systemClock } from '../../core/ports/clock.js';
import {
  buildCompleted,
  createPipelineState,
  type PipelineState,
  pipelineFixture,
  REPOSITORY,
} from '../fixtures/pipeline/pipeline-state.js';

const APP = 'localhost/apps/payments:build-1';
// A team's test that would pass only if the sandbox had a network interface besides loopback.
const SANDBOX_TESTS = `schemaVersion: "2.0.0"
commandTests:
  - name: sees only loopback
    command: ls
    args: ["/sys/class/net"]
    expectedOutput: ["^lo\\\\s*$"]
`;
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
    'sandbox/Dockerfile': dockerfile,
    'sandbox/image-tests.yaml': SANDBOX_TESTS,
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

describe('runImageTests with podman', () => {
  it('passes a suite the image meets and writes its JUnit report to the state dir', async () => {
    const event = await runImageTests(await built('pass'), deps);
    expect(event.detail).toMatchObject({ passed: true, summary: { tests: 2, failures: 0 } });
    expect(event.detail.junitPath).toBe(join(state.dir, 'reports', 'build-pass.junit.xml'));
    expect(await readFile(event.detail.junitPath ?? '', 'utf8')).toContain('tests="2" failures="0"');
    expect((await records.get('build-pass'))?.state).toBe('testing');
  });

  it("fails a suite the image does not meet with podman's observation, in the event, the record and the log", async () => {
    const lines: string[] = [];
    const event = await runImageTests(await built('fail'), { ...deps, log: (l) => lines.push(l) });
    const observed = 'expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"';
    expect(event.detail.failures).toEqual([
      { name: 'commandTests[1] says goodbye', message: observed, suite: 'commandTests' },
    ]);
    expect(await records.get('build-fail')).toMatchObject({
      state: 'failed',
      error: `1 of 2 image tests failed: commandTests[1] "says goodbye": ${observed}`,
    });
    expect(lines).toContain(`  ${observed}`);
    expect(lines.filter((l) => l.includes('\n'))).toEqual([]);
  });

  it("runs a team's tests in a sandbox with no network interface but loopback", async () => {
    const event = await runImageTests(await built('sandbox'), deps);
    expect(event.detail.failures).toEqual([]);
    expect(event.detail).toMatchObject({ passed: true, summary: { tests: 1 } });
  });
});
