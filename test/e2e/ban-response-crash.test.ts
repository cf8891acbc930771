// The ban response survives SIGKILLs of `drydock start`: killed three times while band-aids run one container
// at a time and rebuilds are in the pipeline, each time started again on the same state dir. Nothing affected
// is missed, nothing is rebuilt twice, no band-aid runs twice (each run appends a line to a file in its
// container, so a second run would show as a second line), and runs still to come are not lost with a batch
// that ran out of receives. Then, on the restarted daemon: a ban of an image nothing uses is an empty plan,
// reported as such; a band-aid that hangs is ended at its time limit and recorded as failed; one a killed
// daemon left running in a container is ended at the restart.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BanDetail, BaseSummary, BuildSummary, ImageSummary } from '../../runtime/local/api-types.js';
import {
  extendPolicy,
  fleetPodman as fleetPodmanOf,
  opsBaseAdmission,
  publishedImage as publishedImageOf,
  pushRepo,
  removeBanScenario,
  SLEEPER,
  stateCli,
} from '../helpers/ban-scenario.js';
import { type DrydockProcess, startDrydock, waitFor } from '../helpers/drydock-process.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'drydock-ban-crash-'));
const state = join(root, 'state');
// The killed daemon leaves its build scratch dirs (made in os.tmpdir()) behind: keep them under root.
const tmp = join(root, 'tmp');
mkdirSync(tmp);
const env = { ...process.env, TMPDIR: tmp };
let daemon: DrydockProcess;

const cli = stateCli(state);
const imagesOf = async () => (await daemon.api.get<{ images: ImageSummary[] }>('/api/images')).images;
const buildsOf = async () =>
  (await daemon.api.get<{ builds: BuildSummary[] }>('/api/builds?limit=200')).builds;
const banOf = (banId: string) => daemon.api.get<BanDetail>(`/api/bans/${banId}`);

const publishedImage = (repository: string, definition: string, commit: string) =>
  publishedImageOf(daemon, repository, definition, commit, 300_000);
const fleetPodman = (args: readonly string[]) => fleetPodmanOf(state, args);

// The lines the band-aid appended in a container: one per run that reached its end.
function bandAidLines(container: string): string[] {
  const read = fleetPodman(['exec', container, 'cat', '/tmp/band-aid']);
  if (read.status !== 0) return [];
  return read.stdout.split('\n').filter((l) => l !== '');
}

async function tagsOf(repository: string): Promise<string[]> {
  const { stdout } = await run('skopeo', [
    'list-tags',
    '--tls-verify=false',
    `docker://${daemon.info.registry}/apps/${repository}`,
  ]);
  return (JSON.parse(stdout) as { Tags: string[] }).Tags.filter((t) => !t.endsWith('.unsupported'));
}

/** A RUN that sleeps `seconds` only on the replacement base (whose /etc/os-release says 1.36.1): in a rebuild. */
const SLOW_ON_REPLACEMENT = (seconds: number) =>
  `if grep -q '^VERSION_ID="1.36.1"' /etc/os-release; then sleep ${seconds}; fi`;

let host: string;
let opsCommit: string;
let shopCommit: string;
let hangImage: ImageSummary;
let hangBase: ImageSummary;

beforeAll(async () => {
  daemon = await startDrydock(state, [], 60_000, env);
  await waitFor('the seeded bases', async () => {
    const { bases } = await daemon.api.get<{ bases: BaseSummary[] }>('/api/bases');
    return bases.length === 2 ? bases : undefined;
  });
  host = daemon.info.registry;
}, 180_000);

afterAll(async () => {
  await removeBanScenario(state, daemon, root);
});

describe('drydock start killed in the middle of a ban', () => {
  it('after each restart, marks every affected image, publishes each rebuild once and runs every band-aid once at most', async () => {
    // One container at a time, two seconds each: the kill lands between band-aid runs. One rebuild at a time:
    // it lands while a rebuild is in the pipeline.
    const valid = await extendPolicy(state, [
      ...opsBaseAdmission(host),
      `  - image: ${host}/apps/ops/quiet`,
      '    tags: ["*"]',
      '    note: another ops base image',
      'response:',
      '  maxConcurrentRebuilds: 1',
      'bandAids:',
      '  - id: slow-stamp',
      '    description: takes its time, then appends a line to a file in the container',
      '    command: ["/bin/sh", "-c", "sleep 3; echo \\"$1\\" >> /tmp/band-aid", "band-aid", "{{note}}"]',
      '    params:',
      '      note: { pattern: "[a-z0-9-]{1,32}" }',
      `    appliesTo: ["${host}/apps/**"]`,
      '    timeoutSeconds: 30',
      '    maxConcurrency: 1',
      '    maxErrors: 2',
      '  - id: hang',
      '    description: never ends',
      '    command: ["/bin/sleep", "600"]',
      `    appliesTo: ["${host}/apps/**"]`,
      '    timeoutSeconds: 1',
      '  - id: hang-long',
      '    description: never ends, and may run for five minutes',
      '    command: ["/bin/sleep", "601"]',
      `    appliesTo: ["${host}/apps/**"]`,
      '    timeoutSeconds: 300',
    ]);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);

    opsCommit = await pushRepo(state, root, 'ops', {
      // Each rebuild of the ops base and the apps takes seconds, so that the kills land while one runs. The
      // rebuilds are on busybox 1.36.1 (the replacement); the pushes' builds, on 1.36.0, need not wait.
      'base/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nRUN ${SLOW_ON_REPLACEMENT(5)} && echo ops > /etc/ops-base\nUSER 65534\n`,
      'quiet/Dockerfile': `FROM ${host}/base/busybox:1.36.1\nRUN echo quiet > /etc/quiet-base\nUSER 65534\n`,
    });
    const opsBase = await publishedImage('ops', 'base/Dockerfile', opsCommit);
    hangBase = await publishedImage('ops', 'quiet/Dockerfile', opsCommit);
    shopCommit = await pushRepo(state, root, 'shop', {
      'web/Dockerfile': `FROM ${opsBase.ref}\nRUN ${SLOW_ON_REPLACEMENT(3)}\n${SLEEPER}`,
      'api/Dockerfile': `FROM ${host}/base/busybox:1.36.0\nRUN ${SLOW_ON_REPLACEMENT(5)} && echo api > /etc/api\n${SLEEPER}`,
      'hang/Dockerfile': `FROM ${hangBase.ref}\n${SLEEPER}`,
    });
    const web = await publishedImage('shop', 'web/Dockerfile', shopCommit);
    const api = await publishedImage('shop', 'api/Dockerfile', shopCommit);
    hangImage = await publishedImage('shop', 'hang/Dockerfile', shopCommit);

    for (const image of [web, api]) {
      for (const hostName of ['host-a', 'host-b', 'host-c', 'host-e', 'host-f']) {
        const started = await cli(['fleet', 'start'], image.ref, '--host', hostName, '--', 'sleep', '3600');
        expect(started.code, started.stderr).toBe(0);
      }
    }
    const hangStarted = await cli(
      ['fleet', 'start'],
      hangImage.ref,
      '--host',
      'host-d',
      '--',
      'sleep',
      '3600',
    );
    expect(hangStarted.code, hangStarted.stderr).toBe(0);
    const fleet = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as {
      container: string;
      image: string;
    }[];
    expect(fleet).toHaveLength(11);
    const affectedContainers = fleet.filter((c) => c.image === web.ref || c.image === api.ref);

    const banned = await cli(
      ['ban'],
      `${host}/base/busybox:1.36.0`,
      '--reason',
      'CVE-2026-0002: crash me',
      '--replacement',
      `${host}/base/busybox:1.36.1`,
      '--band-aid',
      'slow-stamp',
      '--param',
      'note=patched',
      '--format',
      'json',
    );
    expect(banned.code, banned.stderr).toBe(0);
    const banId = (JSON.parse(banned.stdout) as { ban: { banId: string } }).ban.banId;

    // Some band-aid runs ended, one is running, a rebuild is in the pipeline: kill.
    const first = daemon;
    const atKill = await waitFor(
      'a band-aid running after another ended, and a rebuild dispatched',
      async () => {
        const detail = await banOf(banId);
        const ended = detail.bandAidRuns.filter((r) => r.state === 'succeeded').length;
        const running = detail.bandAidRuns.filter((r) => r.state === 'running');
        const building = detail.rebuilds.some((r) => r.state === 'dispatched');
        return ended >= 1 && running.length === 1 && building ? detail : undefined;
      },
      120_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const runningAtKill = new Set(
      atKill.bandAidRuns.filter((r) => r.state === 'running').map((r) => r.containerId),
    );
    const endedAtKill = atKill.bandAidRuns.filter((r) => r.state === 'succeeded').map((r) => r.containerId);
    console.log(
      `killed with rebuilds ${atKill.rebuilds.map((r) => `${r.definition}:${r.state}`).join(', ')}; band-aids ${atKill.bandAidRuns.map((r) => r.state).join(', ')}`,
    );

    daemon = await startDrydock(state, [], 60_000, env);
    expect(daemon.info.registry).toBe(host);
    expect(daemon.output()).toMatch(/1 band-aid run a previous run left running marked interrupted/);

    // Killed again while the child's rebuild, started on its base's new digest after the first restart, is in
    // the pipeline.
    const second = daemon;
    const atSecondKill = await waitFor(
      "the child's rebuild dispatched",
      async () => {
        const detail = await banOf(banId);
        const child = detail.rebuilds.find((r) => r.definition === 'web/Dockerfile');
        return child?.state === 'dispatched' ? detail : undefined;
      },
      300_000,
    );
    second.child.kill('SIGKILL');
    await second.exited;
    console.log(
      `killed again with rebuilds ${atSecondKill.rebuilds.map((r) => `${r.definition}:${r.state}`).join(', ')}; band-aids ${atSecondKill.bandAidRuns.map((r) => r.state).join(', ')}`,
    );
    for (const r of atSecondKill.bandAidRuns) if (r.state === 'running') runningAtKill.add(r.containerId);
    daemon = await startDrydock(state, [], 60_000, env);

    // And a third time while band-aid runs are still to come: the batch has now been received three times (a
    // crash in its middle counts as one), which is all a message gets before it is dead-lettered.
    const third = daemon;
    const atThirdKill = await waitFor(
      'a band-aid running with more to come, after the second restart',
      async () => {
        const detail = await banOf(banId);
        const running = detail.bandAidRuns.some((r) => r.state === 'running');
        const pending = detail.bandAidRuns.some((r) => r.state === 'pending');
        return running && pending ? detail : undefined;
      },
      60_000,
    );
    third.child.kill('SIGKILL');
    await third.exited;
    for (const r of atThirdKill.bandAidRuns) if (r.state === 'running') runningAtKill.add(r.containerId);
    const firstOutput = first.output() + second.output() + third.output();
    daemon = await startDrydock(state, [], 60_000, env);
    const done = await waitFor(
      'the ban to be remediated and protection complete after the restart',
      async () => {
        const detail = await banOf(banId);
        return detail.remediatedAt && detail.protectedAt ? detail : undefined;
      },
      600_000,
    );

    // Every affected image is marked, the same set a run without a crash gives.
    expect(done.images.map((m) => m.digest).sort()).toEqual([opsBase.digest, web.digest, api.digest].sort());
    const images = await imagesOf();
    for (const digest of [opsBase.digest, web.digest, api.digest]) {
      expect(images.find((i) => i.digest === digest)?.status).toBe('unsupported');
    }
    expect(images.find((i) => i.digest === hangImage.digest)?.status).toBe('supported');

    // Each rebuild is published once: one build record per (ban, definition), tags -r1 only.
    expect(done.rebuilds.map((r) => [r.repository, r.definition, r.state, r.number]).sort()).toEqual(
      [
        ['ops', 'base/Dockerfile', 'published', 1],
        ['shop', 'api/Dockerfile', 'published', 1],
        ['shop', 'web/Dockerfile', 'published', 1],
      ].sort(),
    );
    const builds = await buildsOf();
    for (const r of done.rebuilds) {
      const forDefinition = builds.filter(
        (b) => b.repository === r.repository && b.definition === r.definition && b.commit === r.commit,
      );
      // The push's build and the rebuild's, nothing more.
      expect(forDefinition.map((b) => b.state)).toEqual(['published', 'published']);
      expect(forDefinition.filter((b) => b.buildId === r.buildId)).toHaveLength(1);
    }
    expect((await tagsOf('ops/base')).sort()).toEqual(
      [opsCommit.slice(0, 12), `${opsCommit.slice(0, 12)}-r1`].sort(),
    );
    expect((await tagsOf('shop/web')).sort()).toEqual(
      [shopCommit.slice(0, 12), `${shopCommit.slice(0, 12)}-r1`].sort(),
    );
    expect((await tagsOf('shop/api')).sort()).toEqual(
      [shopCommit.slice(0, 12), `${shopCommit.slice(0, 12)}-r1`].sort(),
    );
    // The child built on the base's one rebuild.
    const opsRebuild = done.rebuilds.find((r) => r.definition === 'base/Dockerfile');
    const webRebuilt = (await imagesOf()).find(
      (i) => i.digest === done.rebuilds.find((r) => r.definition === 'web/Dockerfile')?.newDigest,
    );
    expect(webRebuilt?.bases.map((b) => b.digest)).toContain(opsRebuild?.newDigest);

    // No band-aid ran twice: the run the kill interrupted is recorded so and not run again; the others ran
    // once each, also those that had not started at the kill.
    expect(done.bandAidRuns).toHaveLength(affectedContainers.length);
    const byContainer = new Map(done.bandAidRuns.map((r) => [r.containerId, r]));
    expect(
      done.bandAidRuns
        .filter((r) => r.state === 'interrupted')
        .map((r) => r.containerId)
        .sort(),
    ).toEqual([...runningAtKill].sort());
    for (const container of affectedContainers) {
      const lines = bandAidLines(container.container);
      const recorded = byContainer.get(container.container);
      if (runningAtKill.has(container.container)) {
        expect(recorded?.reason).toMatch(/not run again/);
        expect(lines.length, `${container.container} (interrupted)`).toBeLessThanOrEqual(1);
      } else {
        expect(recorded?.state, container.container).toBe('succeeded');
        expect(lines, container.container).toEqual(['patched']);
      }
    }
    for (const id of endedAtKill) {
      expect(byContainer.get(id)?.finishedAt).toBe(
        atKill.bandAidRuns.find((r) => r.containerId === id)?.finishedAt,
      );
    }
    expect(bandAidLines(fleet.find((c) => c.image === hangImage.ref)?.container ?? '')).toEqual([]);

    // Nothing was retried into a failure or dead-lettered on the way.
    const troubles = (firstOutput + daemon.output()).split('\n').filter((l) => /dead-letter|failed/i.test(l));
    expect(troubles).toEqual([]);

    // Protection time is recorded and shown.
    expect(done.timeToProtectionMs).toBeGreaterThan(0);
    const show = await cli(['ban', 'show', banId]);
    expect(show.stdout).toMatch(/protection\s+\d/);
    expect(show.stdout).toMatch(/remediation\s+\d/);
  }, 1_200_000);

  it('reports a ban of an image nothing uses as an empty plan, protected and remediated at once', async () => {
    const args = [`${host}/base/busybox:1.35.0`, '--reason', 'CVE-2026-0003: nobody uses it'];
    const dry = await cli(['ban', ...args, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/No published image is built on it: nothing is marked, rebuilt or band-aided/);
    const real = await cli(['ban', ...args]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(
      /No published image is built on it: nothing is marked, rebuilt or band-aided/,
    );
    const banId = /(ban-[0-9a-z-]+)/.exec(real.stdout)?.[1] ?? '';
    const detail = await waitFor('the empty ban to be planned', async () => {
      const d = await banOf(banId);
      return d.plannedAt ? d : undefined;
    });
    expect(detail).toMatchObject({ images: [], rebuilds: [], bandAidRuns: [] });
    // Protected and remediated as it was planned: nothing to wait for.
    expect(detail.timeToProtectionMs).toBeLessThan(5000);
    expect(Date.parse(detail.protectedAt ?? '')).toBeLessThanOrEqual(
      Date.parse(detail.plannedAt ?? '') + 100,
    );
    expect(Date.parse(detail.remediatedAt ?? '')).toBeLessThanOrEqual(
      Date.parse(detail.plannedAt ?? '') + 100,
    );
    const show = await cli(['ban', 'show', banId]);
    expect(show.stdout).toMatch(/protection\s+\d/);
    expect(show.stdout).toMatch(/remediation\s+\d/);
  }, 120_000);

  it('ends a band-aid that hangs at its time limit, records it failed, and leaves the container running', async () => {
    const banned = await cli(
      ['ban'],
      hangBase.ref,
      '--reason',
      'the quiet base is withdrawn',
      '--band-aid',
      'hang',
      '--format',
      'json',
    );
    expect(banned.code, banned.stderr).toBe(0);
    const banId = (JSON.parse(banned.stdout) as { ban: { banId: string } }).ban.banId;
    const started = Date.now();
    const detail = await waitFor(
      'the hanging band-aid to end',
      async () => {
        const d = await banOf(banId);
        return d.protectedAt ? d : undefined;
      },
      60_000,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(detail.bandAidRuns).toHaveLength(1);
    const [hung] = detail.bandAidRuns;
    expect(hung).toMatchObject({ state: 'failed', reason: 'ended at its time limit of 1 s' });
    expect(hung?.durationMs).toBeLessThan(15_000);
    const inspect = fleetPodman(['inspect', '--format', '{{.State.Running}}', hung?.containerId ?? '']);
    expect(inspect.stdout.trim(), inspect.stderr).toBe('true');
    // Nothing of the band-aid is left running in the container.
    const ps = fleetPodman(['exec', hung?.containerId ?? '', 'ps', '-o', 'args']);
    expect(ps.stdout).not.toContain('sleep 600');
  }, 120_000);

  it('ends, at the restart, a band-aid a killed drydock start left running in a container', async () => {
    const lifted = await cli(['unban'], hangBase.ref);
    expect(lifted.code, lifted.stderr).toBe(0);
    const banned = await cli(
      ['ban'],
      hangBase.ref,
      '--reason',
      'the quiet base is withdrawn again',
      '--band-aid',
      'hang-long',
      '--format',
      'json',
    );
    expect(banned.code, banned.stderr).toBe(0);
    const banId = (JSON.parse(banned.stdout) as { ban: { banId: string } }).ban.banId;
    const running = await waitFor('the long band-aid to run', async () => {
      const d = await banOf(banId);
      return d.bandAidRuns.find((r) => r.state === 'running');
    });
    const inContainer = () => fleetPodman(['exec', running.containerId, 'ps', '-o', 'args']).stdout;
    await waitFor('sleep 601 in the container', async () =>
      inContainer().includes('sleep 601') ? true : undefined,
    );
    const killed = daemon;
    killed.child.kill('SIGKILL');
    await killed.exited;

    daemon = await startDrydock(state, [], 60_000, env);
    const detail = await waitFor('the ban to be protected after the restart', async () => {
      const d = await banOf(banId);
      return d.protectedAt ? d : undefined;
    });
    expect(detail.bandAidRuns).toMatchObject([{ containerId: running.containerId, state: 'interrupted' }]);
    // The run is over for drydock, and in the container too: it is not left to run out its 300 s.
    expect(inContainer()).not.toContain('sleep 601');
    const inspect = fleetPodman(['inspect', '--format', '{{.State.Running}}', running.containerId]);
    expect(inspect.stdout.trim(), inspect.stderr).toBe('true');
  }, 180_000);
});
