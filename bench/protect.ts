// npm run bench:protect — time to protection and time to remediation of a ban on the real local pipeline.
// `drydock start` runs as a child process on a fresh state dir; three definitions are pushed through the
// post-receive hook (an ops base on busybox 1.36.0, an app on that base, an app directly on busybox 1.36.0),
// 50 fleet containers of the two apps are started on 5 hosts, and a band-aid is approved in the policy. Then
// `drydock ban busybox:1.36.0 --replacement 1.36.1 --band-aid …`, while a loop runs `drydock admit <old image>`
// as anyone outside the pipeline would, to see when admission starts refusing.
// Figures: protection = the ban's protectedAt − at (admission refuses every affected image and every band-aid
// run has ended), also the first refusal seen from outside; remediation = remediatedAt − at; band-aid runs.
// --band-aid-concurrency N sets the band-aid's maxConcurrency (default 10, the policy's default).
// Containers and the state dir are removed at the end, also on failure or Ctrl-C. Last line is one JSON object:
// {"containers":…, "protection_ms":…, "remediation_ms":…, "band_aids":…}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BanDetail, BaseSummary } from '../runtime/local/api-types.js';
import {
  extendPolicy,
  fleetPodman as fleetPodmanOf,
  opsBaseAdmission,
  publishOpsBaseAndApps,
  removeBanScenario,
  stampBandAid,
  stateCli,
} from '../test/helpers/ban-scenario.js';
import { type DrydockProcess, startDrydock, waitFor } from '../test/helpers/drydock-process.js';

const HOSTS = 5;
const PER_IMAGE_PER_HOST = 5;
const TARGET_PROTECTION_MS = 10_000;
const argv = process.argv.slice(2);
const concurrencyFlag = argv.indexOf('--band-aid-concurrency');
const bandAidConcurrency = concurrencyFlag >= 0 ? Number(argv[concurrencyFlag + 1]) : 10;
if (!Number.isInteger(bandAidConcurrency) || bandAidConcurrency < 1)
  throw new Error(`--band-aid-concurrency wants a whole number ≥ 1, not ${argv[concurrencyFlag + 1]}`);

const root = mkdtempSync(join(tmpdir(), 'drydock-bench-protect-'));
const state = join(root, 'state');
let daemon: DrydockProcess | undefined;

const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d;
const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

const cli = stateCli(state);
const fleetPodman = (args: readonly string[]) => fleetPodmanOf(state, args, 120_000);

let cleaned = false;
async function cleanUp(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  await removeBanScenario(state, daemon);
  rmSync(root, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

/** The most runs whose [startedAt, finishedAt] overlap at one moment. */
function peakConcurrency(runs: BanDetail['bandAidRuns']): number {
  const edges = runs
    .filter((r) => r.startedAt && r.finishedAt)
    .flatMap((r) => [
      [ms(r.startedAt), 1],
      [ms(r.finishedAt), -1],
    ])
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    now += delta ?? 0;
    peak = Math.max(peak, now);
  }
  return peak;
}

try {
  const started = performance.now();
  daemon = await startDrydock(state, [], 120_000);
  const live = daemon;
  const host = live.info.registry;
  await waitFor(
    'the seeded bases',
    async () => {
      const { bases } = await live.api.get<{ bases: BaseSummary[] }>('/api/bases');
      return bases.length >= 2 ? bases : undefined;
    },
    180_000,
  );
  console.log(
    `drydock protect bench on ${state} (registry ${host}); started and seeded in ${round((performance.now() - started) / 1000, 1)} s`,
  );

  // Ops admit the base they build, and approve the band-aid (a typed parameter, never a shell string).
  const valid = await extendPolicy(state, [
    ...opsBaseAdmission(host),
    'bandAids:',
    ...stampBandAid(host, { maxConcurrency: bandAidConcurrency, maxErrors: 5 }),
  ]);
  if (valid.code !== 0) throw new Error(`the extended policy is not valid:\n${valid.stdout}${valid.stderr}`);

  // Three definitions: an ops base on busybox 1.36.0, an app on it, an app directly on busybox 1.36.0.
  const pushStarted = performance.now();
  const { opsBase, web, api } = await publishOpsBaseAndApps(live, state, root);
  console.log(
    `3 definitions published in ${round((performance.now() - pushStarted) / 1000, 1)} s: ${opsBase.ref}, ${web.ref}, ${api.ref}`,
  );

  // 50 containers: 5 of each app on each of 5 hosts.
  const fleetStarted = performance.now();
  for (let h = 1; h <= HOSTS; h++) {
    for (const image of [web, api]) {
      const out = await cli(
        ['fleet', 'start'],
        image.ref,
        '--host',
        `host-${h}`,
        '--count',
        String(PER_IMAGE_PER_HOST),
        '--',
        'sleep',
        '3600',
      );
      if (out.code !== 0) throw new Error(`fleet start ${image.ref} on host-${h}: ${out.stderr}`);
    }
  }
  const fleet = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as {
    container: string;
  }[];
  const containers = fleet.length;
  const fleetMs = performance.now() - fleetStarted;
  console.log(
    `${containers} containers on ${HOSTS} hosts started in ${round(fleetMs / 1000, 1)} s (${round(fleetMs / containers)} ms each)`,
  );

  // What one `podman exec` costs on this machine with nothing else running: the floor of a band-aid run.
  const execMs: number[] = [];
  for (const c of fleet.slice(0, 5)) {
    const t = performance.now();
    const out = fleetPodman(['exec', c.container, 'true']);
    if (out.status !== 0) throw new Error(`podman exec ${c.container} true: ${out.stderr}`);
    execMs.push(performance.now() - t);
  }
  console.log(`one podman exec alone (no other load): p50 ${round(percentile(execMs, 50))} ms`);

  // Admission as seen from outside: `drydock admit` of the deepest old image, again and again from before the ban.
  const before = await cli(['admit'], web.ref);
  if (before.code !== 0) throw new Error(`admit ${web.ref} before the ban: ${before.stdout}${before.stderr}`);
  let probing = true;
  let firstDeny: { probeStart: number; probeEnd: number } | undefined;
  const probeMs: number[] = [];
  let probeError: Error | undefined;
  const prober = (async () => {
    while (probing && !firstDeny) {
      const probeStart = Date.now();
      const answer = await cli(['admit'], web.ref);
      const probeEnd = Date.now();
      probeMs.push(probeEnd - probeStart);
      if (answer.code === 1) firstDeny = { probeStart, probeEnd };
      else if (answer.code !== 0) throw new Error(`admit failed (${answer.code}): ${answer.stderr}`);
    }
  })().catch((error: Error) => {
    probeError = error;
  });

  const banCalled = Date.now();
  const banned = await cli(
    ['ban', `${host}/base/busybox:1.36.0`],
    '--reason',
    'CVE-2026-0001: bench',
    '--replacement',
    `${host}/base/busybox:1.36.1`,
    '--band-aid',
    'stamp-containers',
    '--param',
    'note=patched',
    '--format',
    'json',
  );
  const banReturned = Date.now();
  if (banned.code !== 0) throw new Error(`drydock ban: ${banned.stderr}`);
  const banId = (JSON.parse(banned.stdout) as { ban: { banId: string } }).ban.banId;

  const done = await waitFor(
    'the ban to be remediated and protection complete',
    async () => {
      const detail = await live.api.get<BanDetail>(`/api/bans/${banId}`);
      return detail.remediatedAt && detail.protectedAt ? detail : undefined;
    },
    600_000,
  );
  await waitFor(
    'admission to refuse the old image',
    async () => {
      if (probeError) throw probeError;
      return firstDeny;
    },
    30_000,
  );
  probing = false;
  await prober;

  const at = ms(done.at);
  const protectionMs = ms(done.protectedAt) - at;
  const remediationMs = ms(done.remediatedAt) - at;
  const runs = done.bandAidRuns;
  const ended = runs.filter((r) => r.finishedAt);
  const byState = runs.reduce<Record<string, number>>((acc, r) => {
    acc[r.state] = (acc[r.state] ?? 0) + 1;
    return acc;
  }, {});
  const durations = runs.map((r) => r.durationMs ?? 0);
  const firstRun = Math.min(...runs.map((r) => ms(r.startedAt)));
  const lastRun = Math.max(...ended.map((r) => ms(r.finishedAt)));
  const seenDeny = firstDeny as { probeStart: number; probeEnd: number } | undefined;

  console.log(`\nban ${banId} (${done.images.length} images marked, ${done.rebuilds.length} rebuilds)`);
  console.log(
    `  drydock ban (CLI) called → returned     ${pad(banReturned - banCalled)} ms  (the ban's at is ${at - banCalled} ms after the call)`,
  );
  console.log(`  at → plannedAt (images marked)          ${pad(ms(done.plannedAt) - at)} ms`);
  if (seenDeny)
    console.log(
      `  at → first drydock admit deny (outside) ${pad(seenDeny.probeEnd - at)} ms  (that probe started ${seenDeny.probeStart - at} ms after at; a probe takes p50 ${percentile(probeMs, 50)} ms)`,
    );
  console.log(`  at → first band-aid run started         ${pad(firstRun - at)} ms`);
  console.log(`  at → last band-aid run ended            ${pad(lastRun - at)} ms`);
  console.log(
    `  at → protectedAt                        ${pad(protectionMs)} ms  (target < ${TARGET_PROTECTION_MS} ms: ${protectionMs < TARGET_PROTECTION_MS ? 'met' : 'NOT met'})`,
  );
  console.log(`  at → remediatedAt                       ${pad(remediationMs)} ms`);
  console.log(
    `band-aid runs: ${runs.length} (${Object.entries(byState)
      .map(([s, n]) => `${n} ${s}`)
      .join(
        ', ',
      )}); each p50 ${percentile(durations, 50)} ms, p95 ${percentile(durations, 95)} ms, max ${Math.max(...durations)} ms; ` +
      `maxConcurrency ${bandAidConcurrency}, peak overlapping runs ${peakConcurrency(runs)}; ` +
      `one podman exec alone p50 ${round(percentile(execMs, 50))} ms; ` +
      `${runs.length} runs over ${lastRun - firstRun} ms = ${round((lastRun - firstRun) / Math.max(1, runs.length))} ms per container`,
  );
  console.log('rebuilds (published after the ban, ms):');
  for (const r of [...done.rebuilds].sort((a, b) => ms(a.updatedAt) - ms(b.updatedAt)))
    console.log(
      `  ${`${r.repository}/${r.definition}`.padEnd(24)} depth ${r.depth} ${r.state.padEnd(10)} ${pad(ms(r.updatedAt) - at)}  ${r.newRef ?? r.reason ?? ''}`,
    );
  const show = await cli(['ban', 'show', banId]);
  console.log(`\n$ drydock ban show ${banId}\n${show.stdout.trimEnd()}`);

  await cleanUp();
  console.log(
    JSON.stringify({
      containers,
      protection_ms: protectionMs,
      remediation_ms: remediationMs,
      band_aids: byState.succeeded ?? 0,
      band_aid_runs: runs.length,
      admit_deny_ms: seenDeny ? seenDeny.probeEnd - at : null,
      band_aid_concurrency: bandAidConcurrency,
      podman_exec_ms: round(percentile(execMs, 50)),
      target_protection_ms: TARGET_PROTECTION_MS,
      met: protectionMs < TARGET_PROTECTION_MS,
    }),
  );
} catch (error) {
  console.error(`bench:protect failed: ${(error as Error).stack ?? error}`);
  if (daemon)
    console.error(
      `drydock start printed (last 40 lines):\n${daemon.output().split('\n').slice(-40).join('\n')}`,
    );
  await cleanUp().catch(() => undefined);
  process.exitCode = 1;
}

function pad(n: number): string {
  return String(n).padStart(6);
}
