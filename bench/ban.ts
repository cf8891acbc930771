// Measures planning a ban over a fleet-sized lineage: the affected set, the ordered rebuild plan and the band-aid
// batches, in the real SQLite lineage store; the fleet (ECS on AWS) is simulated by an array of containers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStateDatabase } from '../adapters/local/sqlite-database.js';
import { SqliteLineageStore } from '../adapters/local/sqlite-lineage-store.js';
import { type PlanBanInput, planBan } from '../core/ban/plan-ban.js';
import type { ImagePublishedEvent } from '../core/events/image-published.js';
import { validatePolicy } from '../core/policy/parse-policy.js';
import { definitionKey, type PlannedRebuild } from '../core/ports/ban-store.js';
import type { RunningContainer } from '../core/ports/fleet.js';

const DEFINITIONS = [100, 900, 3000, 6000]; // per level: ops bases, runtimes, frameworks, apps (10,000)
const HISTORY = 10; // images per definition: 100,000 in all
const CONTAINERS = 50_000;
const HOSTS = 2_000;
const SQS_BATCH = 10;
const SSM_HOSTS = 50;
// Ten root tags: ops bases are spread over them, so a ban of one affects about a tenth of everything.
const ROOTS = [
  'busybox:1.36.0',
  'busybox:1.36.1',
  'debian:12',
  'debian:11',
  'alpine:3.19',
  'alpine:3.20',
  'ubuntu:22.04',
  'ubuntu:24.04',
  'node:20',
  'python:3.12',
].map((t) => `docker.io/library/${t}`);
const BANNED = 'busybox:1.36.0';

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const hex = (s: string, algorithm = 'sha256') => createHash(algorithm).update(s).digest('hex');
const digest = (name: string) => `sha256:${hex(name)}`;
const LEVEL_NAMES = ['ops', 'runtime', 'framework', 'app'];
const defName = (level: number, i: number) => `${LEVEL_NAMES[level]}-${i}`;
const repoOf = (level: number, i: number) => `${LEVEL_NAMES[level]}s/team-${i % 250}`;
const imageName = (level: number, i: number, k: number) => `${defName(level, i)}-v${k}`;

const policy = validatePolicy({
  version: 1,
  allowed: [
    { image: 'busybox', versions: '^1' },
    { image: 'registry.local/**', tags: ['*'] },
  ],
  bandAids: [
    {
      id: 'close-port',
      description: 'close a port',
      command: ['/bin/sh', '-c', 'echo closing "$1"', 'sh', '{{port}}'],
      params: { port: { pattern: '[0-9]{1,5}', description: 'TCP port' } },
      appliesTo: ['registry.local/**'],
    },
    {
      id: 'apps-only',
      description: 'apps only',
      command: ['/bin/true'],
      appliesTo: ['registry.local/apps/**'],
    },
  ],
});

/** The image records of the synthetic lineage, in publish order (history version by version). */
function* lineageEvents(): Generator<ImagePublishedEvent> {
  for (let k = 0; k < HISTORY; k++) {
    for (let level = 0; level < DEFINITIONS.length; level++) {
      for (let i = 0; i < DEFINITIONS[level]!; i++) {
        let bases: { name: string; digest: string }[];
        if (level === 0) {
          // A third of the ops bases on the banned tag moved to 1.36.1 in their newest image; the tag's digest
          // moved every few versions, so the ban by tag must cover several digests.
          let root = ROOTS[i % ROOTS.length]!;
          if (root.endsWith(':1.36.0') && k === HISTORY - 1 && i % 30 === 0) root = ROOTS[1]!;
          bases = [{ name: root, digest: digest(`${root}#${Math.floor(k / 4)}`) }];
        } else {
          const parents = DEFINITIONS[level - 1]!;
          const p = i % parents;
          bases = [
            {
              name: `registry.local/${repoOf(level - 1, p)}:${defName(level - 1, p)}`,
              digest: digest(imageName(level - 1, p, k)),
            },
          ];
        }
        const name = imageName(level, i, k);
        yield {
          id: `published-${name}`,
          source: 'drydock',
          detailType: 'Image Published',
          time: '2026-12-01T09:00:00Z',
          detail: {
            ref: `registry.local/${repoOf(level, i)}:${hex(name, 'sha1').slice(0, 12)}@${digest(name)}`,
            digest: digest(name),
            configDigest: digest(`${name}#config`),
            bases,
            definition: `${defName(level, i)}/Dockerfile`,
            repository: repoOf(level, i),
            commit: hex(name, 'sha1'),
          },
        };
      }
    }
  }
}

/** 50,000 containers on 2,000 hosts, mostly of newest images, some of the version before; half known by config digest only. */
function fleet(): RunningContainer[] {
  const out: RunningContainer[] = [];
  const total = DEFINITIONS.reduce((s, n) => s + n, 0);
  for (let j = 0; j < CONTAINERS; j++) {
    const d = (j * 7919) % total;
    let level = 0;
    let i = d;
    while (i >= DEFINITIONS[level]!) i -= DEFINITIONS[level++]!;
    const name = imageName(level, i, j % 5 === 0 ? HISTORY - 2 : HISTORY - 1);
    out.push({
      id: `c${j}`,
      name: `c${j}`,
      // Hosts by hash, so that which host runs what does not line up with which definitions a ban affects.
      host: `host-${String(Number.parseInt(hex(`host-of-${j}`).slice(0, 8), 16) % HOSTS).padStart(4, '0')}`,
      image: `registry.local/${repoOf(level, i)}:${hex(name, 'sha1').slice(0, 12)}`,
      ...(j % 2 === 0 ? { imageDigest: digest(name) } : {}),
      configDigest: digest(`${name}#config`),
      startedAt: '2026-12-01T10:00:00Z',
    });
  }
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.id.localeCompare(b.id));
}

/** SQS SendMessageBatch calls to dispatch rebuilds: a child is sent only after its bases publish, so wave by wave. */
function rebuildCalls(rebuilds: readonly PlannedRebuild[]): { calls: number; floor: number; sent: number } {
  const sent = rebuilds.filter((r) => r.reportReason === undefined);
  const wave = new Map<string, number>();
  for (const r of sent) {
    // The plan is in start order, so every base's wave is known before its children's.
    const w = Math.max(0, ...r.waitsFor.map((k) => (wave.get(k) ?? -1) + 1));
    wave.set(definitionKey(r.repository, r.definition), w);
  }
  const sizes = new Map<number, number>();
  for (const w of wave.values()) sizes.set(w, (sizes.get(w) ?? 0) + 1);
  const calls = [...sizes.values()].reduce((s, n) => s + Math.ceil(n / SQS_BATCH), 0);
  return { calls, floor: Math.ceil(sent.length / SQS_BATCH), sent: sent.length };
}

async function planOnly(dir: string): Promise<void> {
  const db = openStateDatabase(join(dir, 'state.db'));
  const lineage = new SqliteLineageStore(db);
  const running = fleet();
  const ports = {
    lineage,
    fleet: { running: async () => running },
    tags: async () => ['1.35.0', '1.36.0', '1.36.1', '1.37.0', '2.0.0'],
  };
  const input: PlanBanInput = {
    ban: {
      ref: BANNED,
      reason: 'CVE-2026-0001',
      replacement: 'busybox:1.36.1',
      bandAids: [
        { id: 'close-port', params: { port: '8443' } },
        { id: 'apps-only', params: {} },
      ],
    },
    policy,
  };
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await planBan(input, ports);
  const planMs = performance.now() - t;
  const cpuUsed = process.cpuUsage(cpu);
  const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (!result.ok) throw new Error(result.error);
  const plan = result.plan;
  const t2 = performance.now();
  await planBan(input, ports);
  const warmMs = performance.now() - t2;

  // The plan must be right, not only fast: bases before children, targets only of affected images.
  const at = new Map(plan.rebuilds.map((r, n) => [definitionKey(r.repository, r.definition), n]));
  for (const [n, r] of plan.rebuilds.entries())
    for (const w of r.waitsFor)
      if ((at.get(w) ?? Number.POSITIVE_INFINITY) >= n) throw new Error(`rebuild ${n} before its base`);
  const affectedDigests = new Set(plan.affected.flatMap((a) => [a.digest, a.configDigest]));
  for (const b of plan.bandAids)
    for (const batch of b.batches) {
      if (new Set(batch.map((c) => c.host)).size > SSM_HOSTS)
        throw new Error('a batch addresses more than 50 hosts');
      for (const c of batch)
        if (!affectedDigests.has(c.configDigest)) throw new Error(`${c.id} is not of an affected image`);
    }

  const rebuild = rebuildCalls(plan.rebuilds);
  const ssm = plan.bandAids.map((b) => b.batches.length);
  const ssmFloor = plan.bandAids.map((b) =>
    Math.ceil(new Set(b.batches.flat().map((c) => c.host)).size / SSM_HOSTS),
  );
  const calls = rebuild.calls + ssm.reduce((s, n) => s + n, 0);
  const floor = rebuild.floor + ssmFloor.reduce((s, n) => s + n, 0);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const images = DEFINITIONS.reduce((s, n) => s + n, 0) * HISTORY;
  const targets = plan.bandAids.map((b) => b.batches.flat().length);
  console.log(
    `plan: ban ${plan.ref} over ${images} images: ${plan.affected.length} affected (${round((100 * plan.affected.length) / images, 1)}%), ` +
      `${plan.rebuilds.length} rebuilds (${rebuild.sent} to send, ${plan.rebuilds.length - rebuild.sent} reported), ${plan.skipped.length} skipped (moved on), ` +
      `${plan.teams.length} teams, ${plan.containers.reduce((s, h) => s + h.containers.length, 0)} affected containers on ${plan.containers.length} hosts`,
  );
  console.log(
    `band-aids: ${plan.bandAids.map((b, n) => `${b.bandAidId} ${targets[n]} containers in ${b.batches.length} SendCommand batches`).join('; ')}`,
  );
  console.log(
    `time: ${round(planMs, 0)} ms cold (${round(cpuMs, 0)} ms of CPU; load average ${round(loadavg()[0]!, 1)} on ${availableParallelism()} cores), ${round(warmMs, 0)} ms warm; memory: rss ${round(rssBefore / 2 ** 20, 0)} MB before, ` +
      `peak ${round(peakRss / 2 ** 20, 0)} MB sampled during the plan, ${round(maxRssMb, 0)} MB max rss of the planning process`,
  );
  console.log(
    `api calls: ${rebuild.calls} SQS SendMessageBatch (floor ${rebuild.floor}; rebuilds go in dependency waves) + ${ssm.join(' + ')} SSM SendCommand (floor ${ssmFloor.join(' + ')}) = ${calls}, floor ${floor} (${round(calls / floor, 3)}×)`,
  );
  db.close();
  console.log(
    JSON.stringify({
      images,
      affected: plan.affected.length,
      plan_ms: round(planMs, 0),
      peak_mb: round(maxRssMb, 0),
      calls,
      floor,
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--plan') {
    await planOnly(process.argv[3]!);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'drydock-bench-ban-'));
  try {
    const db = openStateDatabase(join(dir, 'state.db'));
    const lineage = new SqliteLineageStore(db);
    const t = performance.now();
    let recorded = 0;
    // Many records per transaction (each record's own becomes a savepoint), or the setup would take minutes.
    db.connection.exec('BEGIN');
    for (const event of lineageEvents()) {
      await lineage.record(event);
      if (++recorded % 5000 === 0) db.connection.exec('COMMIT; BEGIN');
    }
    db.connection.exec('COMMIT');
    console.log(
      `lineage: ${recorded} images of ${DEFINITIONS.reduce((s, n) => s + n, 0)} definitions, ${DEFINITIONS.length} levels, recorded in ${round((performance.now() - t) / 1000, 1)} s`,
    );
    db.close();
    // The plan runs in a process of its own, so that its peak memory is the plan's, not the setup's.
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--plan', dir],
      {
        stdio: 'inherit',
      },
    );
    if (child.status !== 0) throw new Error(`the planning process failed (${child.status ?? child.signal})`);
  } finally {
    if (process.env.BENCH_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
