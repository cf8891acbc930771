import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { FileBuildLogs } from '../../../adapters/local/file-build-logs.js';
import { FileTestReports } from '../../../adapters/local/file-test-reports.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../../adapters/local/git-build-context.js';
import { GitDefinitionSource } from '../../../adapters/local/git-definition-source.js';
import { PodmanImageTester } from '../../../adapters/local/podman-image-tester.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { EVENT_RULES } from '../../../core/events/rules.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { systemClock } from '../../../core/ports/clock.js';
import { LocalEventBus } from '../../../runtime/local/local-event-bus.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { pipelineHandlers } from '../../../runtime/local/pipeline-handlers.js';
import {
  buildCompleted,
  createPipelineState,
  type PipelineState,
  REPOSITORY,
} from '../../fixtures/pipeline/pipeline-state.js';

let state: PipelineState;

beforeAll(async () => {
  state = await createPipelineState();
}, 60_000);
afterAll(async () => {
  await state?.cleanup();
});

describe('pipelineHandlers', () => {
  it('ends a build whose tests cannot run for good (the image is gone): record failed, Build Failed for the team', async () => {
    const { db, containerEnv, reposRoot, dir } = state;
    const commit = await state.commit({
      'app/Dockerfile': 'FROM localhost/base/busybox:1.36.0\n',
      'app/image-tests.yaml':
        'schemaVersion: 2.0.0\ncommandTests:\n  - name: runs true\n    command: "true"\n',
    });
    const records = new SqliteBuildRecords(db);
    const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000 });
    const log = new SqliteEventLog(db);
    const bus = new LocalEventBus(log, queues, EVENT_RULES);
    const logs = new FileBuildLogs(dir);
    const handlers = pipelineHandlers({
      bus,
      clock: systemClock,
      policy: async () => parsePolicy('version: 1\n'),
      source: new GitDefinitionSource(reposRoot),
      build: {
        context: new GitBuildContext(reposRoot),
        builder: new BuildahBuildService({ env: containerEnv.env }),
        workspace: tempBuildWorkspaces(join(dir, 'tmp')),
        logSink: (id) => logs.open(id),
        timeoutMs: 60_000,
      },
      registry: new BuildahImageRegistry({
        host: '127.0.0.1:1',
        credential: { username: 'drydock-pipeline', secret: 'unused' },
        containerEnv,
      }),
      records,
      tester: new PodmanImageTester({ env: containerEnv.env }),
      reports: new FileTestReports(dir),
      lineage: new SqliteLineageStore(db),
      testTimeLimitMs: 30_000,
      notify: async () => undefined,
    });
    const buildId = 'build-gone';
    await records.enqueue({
      buildId,
      repository: REPOSITORY,
      definition: 'app/Dockerfile',
      commit,
      correlationId: 'c-1',
    });
    await records.transition(buildId, 'building');
    const event = buildCompleted({
      buildId,
      commit,
      definition: 'app/Dockerfile',
      imageRef: 'localhost/drydock-build/never-built:latest',
      configDigest: `sha256:${'0'.repeat(64)}`,
    });

    await handlers.test?.(event);

    const record = await records.get(buildId);
    expect(record?.state).toBe('failed');
    expect(record?.error).toMatch(/^test: /);
    const logged = (await log.readAfter(0, 100)).map((l) => l.event);
    const failed = logged.find((e) => e.detailType === 'Build Failed');
    expect(failed?.detail).toMatchObject({ buildId, stage: 'test', definition: 'app/Dockerfile' });
    // The failure goes to the team, like a failed build.
    expect(await queues.notify?.depth()).toMatchObject({ visible: 1 });
  }, 60_000);
});
