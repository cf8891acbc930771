// Measures the SQLite state store: queue throughput and the transitive lineage query the ban response rests on.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStateDatabase } from '../adapters/local/sqlite-database.js';
import { SqliteLineageStore } from '../adapters/local/sqlite-lineage-store.js';
import { SqliteWorkQueue } from '../adapters/local/sqlite-work-queue.js';
import type { ImagePublishedEvent } from '../core/events/image-published.js';

const MESSAGES = 10_000;
const IMAGES = 10_000;
const BATCH = 10;

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const hex = (s: string, algorithm = 'sha256') => createHash(algorithm).update(s).digest('hex');
const digest = (name: string) => `sha256:${hex(name)}`;
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const median = (xs: number[]) => percentile(xs, 50);

const dir = mkdtempSync(join(tmpdir(), 'drydock-bench-state-'));
try {
  const db = openStateDatabase(join(dir, 'state.db'));

  // Queue: one transaction per send (as the bus sends), claims in batches, one ack per message.
  const queue = new SqliteWorkQueue<{ n: number }>(db, { name: 'build' });
  let t = performance.now();
  for (let n = 0; n < MESSAGES; n++) await queue.send({ n }, { dedupId: `job-${n}` });
  const sendMs = performance.now() - t;

  const claimMs: number[] = [];
  let ackMs = 0;
  let received = 0;
  t = performance.now();
  for (;;) {
    const c = performance.now();
    const batch = await queue.receive({ max: BATCH });
    claimMs.push(performance.now() - c);
    if (batch.length === 0) break;
    received += batch.length;
    const a = performance.now();
    for (const m of batch) await queue.ack(m.receiptHandle);
    ackMs += performance.now() - a;
  }
  const drainMs = performance.now() - t;
  if (received !== MESSAGES) throw new Error(`received ${received} of ${MESSAGES}`);
  const claimTotal = claimMs.reduce((s, x) => s + x, 0);
  console.log(
    `queue: ${MESSAGES} sends in ${round(sendMs, 0)} ms (${round((sendMs * 1000) / MESSAGES, 1)} µs each); ` +
      `claim ${BATCH} at a time: p50 ${round(median(claimMs), 3)} ms, p99 ${round(percentile(claimMs, 99), 3)} ms; ` +
      `${MESSAGES} acks in ${round(ackMs, 0)} ms; drained in ${round(drainMs, 0)} ms ` +
      `(${round(MESSAGES / ((sendMs + drainMs) / 1000), 0)} messages/s end to end)`,
  );

  // Lineage: debian → 10 OS bases → 90 ops bases → 900 runtimes (every tenth built on two, a diamond) → apps.
  const lineage = new SqliteLineageStore(db);
  const levels: string[][] = [['debian']];
  const widths = [10, 90, 900, IMAGES - 1000];
  let recorded = 0;
  t = performance.now();
  widths.forEach((width, level) => {
    const parents = levels[level]!;
    const names: string[] = [];
    for (let i = 0; i < width; i++) {
      const name = `l${level + 1}-${i}`;
      const bases = [parents[i % parents.length]!];
      if (level === 2 && i % 10 === 0 && parents.length > 1) bases.push(parents[(i + 1) % parents.length]!);
      const event: ImagePublishedEvent = {
        id: `published-${name}`,
        source: 'drydock',
        detailType: 'Image Published',
        time: '2025-03-14T09:00:00Z',
        detail: {
          ref: `registry.local/${name}@${digest(name)}`,
          digest: digest(name),
          configDigest: digest(`${name}-config`),
          bases: bases.map((b) => ({ name: `registry.local/${b}:1`, digest: digest(b) })),
          definition: `${name}/Dockerfile`,
          repository: 'bench/images',
          commit: hex(name, 'sha1'),
        },
      };
      void lineage.record(event);
      names.push(name);
      recorded++;
    }
    levels.push(names);
  });
  const recordMs = performance.now() - t;

  const timeQuery = async (root: string, runs = 7) => {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const q = performance.now();
      count = (await lineage.imagesBuiltOn(digest(root))).length;
      times.push(performance.now() - q);
    }
    return { count, ms: median(times) };
  };
  const all = await timeQuery('debian');
  const osBase = await timeQuery('l1-0');
  const runtime = await timeQuery('l3-0');
  if (all.count !== recorded) throw new Error(`lineage found ${all.count} of ${recorded}`);
  console.log(
    `lineage: ${recorded} images recorded in ${round(recordMs, 0)} ms (${round((recordMs * 1000) / recorded, 1)} µs each); ` +
      `imagesBuiltOn, median of 7: whole tree ${all.count} images in ${round(all.ms, 2)} ms, ` +
      `one OS base ${osBase.count} in ${round(osBase.ms, 2)} ms, one runtime ${runtime.count} in ${round(runtime.ms, 3)} ms`,
  );
  db.close();

  console.log(
    JSON.stringify({
      messages: MESSAGES,
      send_us: round((sendMs * 1000) / MESSAGES, 1),
      claim_batch: BATCH,
      claim_p50_ms: round(median(claimMs), 3),
      claim_p99_ms: round(percentile(claimMs, 99), 3),
      claim_total_ms: round(claimTotal, 0),
      ack_us: round((ackMs * 1000) / MESSAGES, 1),
      messages_per_s: round(MESSAGES / ((sendMs + drainMs) / 1000), 0),
      images: recorded,
      record_us: round((recordMs * 1000) / recorded, 1),
      lineage_all_ms: round(all.ms, 2),
      lineage_all_count: all.count,
      lineage_os_base_ms: round(osBase.ms, 2),
      lineage_os_base_count: osBase.count,
      lineage_runtime_ms: round(runtime.ms, 3),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
