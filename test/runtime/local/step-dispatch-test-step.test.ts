import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { FileBuildLogs } from '../../../adapters/local/file-build-logs.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { EVENT_RULES } from '../../../core/events/rules.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { LocalEventBus } from '../../../runtime/local/local-event-bus.js';
import { localStepPorts } from '../../../runtime/local/local-ports.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { queueHandlers } from '../../../runtime/local/step-dispatch.js';
import {
  buildCompleted,
  createPipelineState,
  type PipelineState,
  pipelineFixture,
  REPOSITORY,
} from '../../fixtures/pipeline/pipeline-state.js';

let state: PipelineState;

beforeAll(async () => {
  state = await createPipelineState();
}, 60_000);
afterAll(async () => {
  await state?.cleanup();
});

/** The queues' handlers over the local ports on the state dir (buildah, podman, git, SQLite, files), and their stores. */
function pipeline() {
  const { db, containerEnv, dir } = state;
  const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000 });
  const log = new SqliteEventLog(db);
  const bus = new LocalEventBus(log, queues, EVENT_RULES);
  const ports = localStepPorts(
    {
      stateDir: dir,
      db,
      bus,
      registry: new BuildahImageRegistry({
        host: '127.0.0.1:1',
        credential: { username: 'drydock-pipeline', secret: 'unused' },
        containerEnv,
      }),
      credential: { username: 'drydock-pipeline', secret: 'unused' },
      containerEnv,
      stopping: new AbortController().signal,
    },
    { policy: async () => parsePolicy('version: 1\n'), buildTimeoutMs: 60_000, testTimeLimitMs: 30_000 },
  );
  const handlers = queueHandlers(Object.keys(queues), ports);
  const logs = new FileBuildLogs(dir);
  return { records: ports.records, queues, log, logs, handlers };
}

/** A build of `definition` at `commit` that has reached `building`, its log begun as the build step leaves it. */
async function building(
  p: ReturnType<typeof pipeline>,
  buildId: string,
  definition: string,
  commit: string,
): Promise<string> {
  await p.records.enqueue({ buildId, repository: REPOSITORY, definition, commit, correlationId: 'c-1' });
  await p.records.transition(buildId, 'building');
  const log = p.logs.open(buildId);
  log.write('drydock: base localhost/base/busybox:1.36.0 is sha256:0000');
  log.write('STEP 1/2: FROM localhost/base/busybox:1.36.0');
  await log.close();
  return p.logs.pathOf(buildId);
}

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n');

describe('the test step as the local workers run it', () => {
  it('ends a build whose tests cannot run for good (the image is gone): record failed, Build Failed for the team', async () => {
    const commit = await state.commit({
      'app/Dockerfile': 'FROM localhost/base/busybox:1.36.0\n',
      'app/image-tests.yaml':
        'schemaVersion: 2.0.0\ncommandTests:\n  - name: runs true\n    command: "true"\n',
    });
    const p = pipeline();
    const buildId = 'build-gone';
    const logPath = await building(p, buildId, 'app/Dockerfile', commit);
    const event = buildCompleted({
      buildId,
      commit,
      definition: 'app/Dockerfile',
      imageRef: 'localhost/drydock-build/never-built:latest',
      configDigest: `sha256:${'0'.repeat(64)}`,
    });

    await p.handlers.test?.(event);

    const record = await p.records.get(buildId);
    expect(record?.state).toBe('failed');
    expect(record?.error).toMatch(/^test: /);
    const logged = (await p.log.readAfter(0, 100)).map((l) => l.event);
    const failed = logged.find((e) => e.detailType === 'Build Failed');
    expect(failed?.detail).toMatchObject({ buildId, stage: 'test', definition: 'app/Dockerfile' });
    // The failure goes to the team, like a failed build.
    expect(await p.queues.notify?.depth()).toMatchObject({ visible: 1 });
    // …and the build's log says why.
    expect((await lines(logPath)).at(-2)).toMatch(/^drydock: image tests could not run: cannot test /);
  }, 60_000);

  it("appends the test run to the build's log: each test, each broken assertion, the outcome and the report", async () => {
    await state.buildBase();
    const image = 'localhost/apps/payments:handlers-1';
    const configDigest = await state.buildApp(image);
    const commit = await state.commit({
      'tested/Dockerfile': 'FROM localhost/base/busybox:1.36.0\nCOPY hello.txt /app/hello.txt\n',
      'tested/image-tests.yaml': await pipelineFixture('failing.yaml'),
    });
    const p = pipeline();
    const buildId = 'build-tested';
    const logPath = await building(p, buildId, 'tested/Dockerfile', commit);

    await p.handlers.test?.(
      buildCompleted({ buildId, commit, definition: 'tested/Dockerfile', imageRef: image, configDigest }),
    );

    const error =
      '1 of 2 image tests failed: commandTests[1] "says goodbye": expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"';
    expect(await p.records.get(buildId)).toMatchObject({ state: 'failed', error });
    expect(await lines(logPath)).toEqual([
      'drydock: base localhost/base/busybox:1.36.0 is sha256:0000',
      'STEP 1/2: FROM localhost/base/busybox:1.36.0',
      `drydock: testing ${image} with tested/image-tests.yaml (2 tests)`,
      expect.stringMatching(/^started drydock-test-[0-9a-f]+ from .* \(no network\)$/),
      expect.stringMatching(/^PASS commandTests\[0\] says hello \(\d+ ms\)$/),
      expect.stringMatching(/^FAIL commandTests\[1\] says goodbye \(\d+ ms\)$/),
      '  expectedOutput[0]: "goodbye" not found in stdout "hello from the app\\n"',
      expect.stringMatching(/^removed drydock-test-[0-9a-f]+$/),
      `drydock: ${error}`,
      `drydock: JUnit report: ${join(state.dir, 'reports', `${buildId}.junit.xml`)}`,
      '',
    ]);
  }, 90_000);

  it("says in the build's log when there is no image-tests.yaml and every problem of an invalid one", async () => {
    const commit = await state.commit({
      'untested/Dockerfile': 'FROM localhost/base/busybox:1.36.0\n',
      'invalid/Dockerfile': 'FROM localhost/base/busybox:1.36.0\n',
      'invalid/image-tests.yaml': await pipelineFixture('invalid.yaml'),
    });
    const p = pipeline();
    const configDigest = `sha256:${'0'.repeat(64)}`;
    const imageRef = 'localhost/drydock-build/not-run:latest';
    const untested = await building(p, 'build-untested', 'untested/Dockerfile', commit);
    const invalid = await building(p, 'build-invalid', 'invalid/Dockerfile', commit);

    for (const [buildId, definition] of [
      ['build-untested', 'untested/Dockerfile'],
      ['build-invalid', 'invalid/Dockerfile'],
    ] as const) {
      await p.handlers.test?.(buildCompleted({ buildId, commit, definition, imageRef, configDigest }));
    }

    expect((await lines(untested)).slice(2)).toEqual([
      'drydock: no untested/image-tests.yaml beside untested/Dockerfile: no image tests to run, which passes',
      '',
    ]);
    expect((await lines(invalid)).slice(2)).toEqual([
      'drydock: invalid/image-tests.yaml is invalid (1 problem); no image test ran and the image is not published:',
      'drydock:   line 4, column 5: commandTests[0].command: is required',
      '',
    ]);
    expect(await p.records.get('build-invalid')).toMatchObject({
      state: 'failed',
      error: 'invalid invalid/image-tests.yaml: line 4, column 5: commandTests[0].command: is required',
    });
  }, 60_000);
});
