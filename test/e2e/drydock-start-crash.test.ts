// Crash safety of `drydock start` for real: SIGKILL while a build runs, start again, and the work completes
// with exactly one image for the (definition, commit).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BaseSummary, BuildSummary, ImageSummary } from '../../runtime/local/api-types.js';
import {
  type DrydockProcess,
  drydock,
  pushFiles,
  removeState,
  startDrydock,
  waitFor,
} from '../helpers/drydock-process.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'drydock-crash-'));
const state = join(root, 'state');
// The daemon's own temp dir is under root too: the build it is killed in leaves its scratch dir
// (drydock-build-*, made in os.tmpdir()) behind, and removeState(root) removes it with the rest.
const tmp = join(root, 'tmp');
mkdirSync(tmp);
const env = { ...process.env, TMPDIR: tmp };
let daemon: DrydockProcess | undefined;

afterAll(async () => {
  await daemon?.stop();
  await removeState(root);
});

describe('drydock start killed mid-build', () => {
  it('finishes the build after a restart and publishes exactly one image', async () => {
    daemon = await startDrydock(state, [], 60_000, env);
    const first = daemon;
    await waitFor('the seeded bases', async () => {
      const { bases } = await first.api.get<{ bases: BaseSummary[] }>('/api/bases');
      return bases.length === 2 ? bases : undefined;
    });
    const host = first.info.registry;
    const created = await drydock(['repo', 'create', 'shop', '--state', state]);
    const remote = created.stdout.trim().split('\n').at(-1) ?? '';
    const commit = pushFiles(join(root, 'work'), remote, {
      'slow/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nRUN sleep 4 && echo built > /built.txt\nUSER 65534\n`,
    });

    const building = await waitFor('the build to start', async () => {
      const { builds } = await first.api.get<{ builds: BuildSummary[] }>('/api/builds');
      return builds.find((b) => b.commit === commit && b.state === 'building');
    });
    first.child.kill('SIGKILL');
    await first.exited;

    daemon = await startDrydock(state, [], 60_000, env);
    const second = daemon;
    expect(second.info.registry).toBe(host);
    const image = await waitFor(
      'the image after the restart',
      async () => {
        const { images } = await second.api.get<{ images: ImageSummary[] }>('/api/images');
        return images.find((i) => i.commit === commit);
      },
      90_000,
    );
    expect(second.output()).toMatch(/resuming \d+ messages? a previous run left in flight/);

    const { builds } = await second.api.get<{ builds: BuildSummary[] }>('/api/builds');
    const mine = builds.filter((b) => b.commit === commit);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ buildId: building.buildId, state: 'published', attempts: 2 });
    const { images } = await second.api.get<{ images: ImageSummary[] }>('/api/images');
    expect(images.filter((i) => i.definition === 'slow/Dockerfile')).toEqual([image]);
    const { stdout } = await run('skopeo', [
      'list-tags',
      '--tls-verify=false',
      `docker://${host}/apps/shop/slow`,
    ]);
    expect((JSON.parse(stdout) as { Tags: string[] }).Tags).toEqual([commit.slice(0, 12)]);
  }, 180_000);
});
