import { definitionKey, type PlannedRebuild } from '../ports/ban-store.js';

const keyOf = (r: PlannedRebuild) => definitionKey(r.repository, r.definition);

// Among rebuilds free to start: more running containers first, then shallower, then by key (stable output).
function before(a: PlannedRebuild, b: PlannedRebuild): boolean {
  if (a.runningContainers !== b.runningContainers) return a.runningContainers > b.runningContainers;
  if (a.depth !== b.depth) return a.depth < b.depth;
  return keyOf(a) < keyOf(b);
}

/** A binary heap of the rebuilds free to start, so ordering n rebuilds costs n log n, not n². */
class ReadyHeap {
  private readonly items: PlannedRebuild[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: PlannedRebuild): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): PlannedRebuild {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && before(a[l]!, a[best]!)) best = l;
        if (r < a.length && before(a[r]!, a[best]!)) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best]!, a[i]!];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Orders rebuilds so that each comes after every rebuild it waits for (bases first), and among those free to
 * start, more running containers first, then shallower, then by key. A wait on a rebuild that is not in the
 * list does not hold anything back here (the plan reports such a child). Rebuilds caught in a cycle, which
 * content addressing rules out but a corrupt lineage could hold, come last with a report reason.
 */
export function orderRebuilds(rebuilds: readonly PlannedRebuild[]): PlannedRebuild[] {
  const byKey = new Map(rebuilds.map((r) => [keyOf(r), r]));
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const r of rebuilds) {
    const key = keyOf(r);
    const parents = [...new Set(r.waitsFor)].filter((p) => byKey.has(p) && p !== key);
    waiting.set(key, parents.length);
    for (const p of parents) {
      const list = children.get(p);
      if (list) list.push(key);
      else children.set(p, [key]);
    }
  }
  const ready = new ReadyHeap();
  for (const r of rebuilds) if (waiting.get(keyOf(r)) === 0) ready.push(r);
  const ordered: PlannedRebuild[] = [];
  while (ready.size > 0) {
    const next = ready.pop();
    ordered.push(next);
    for (const child of children.get(keyOf(next)) ?? []) {
      const left = (waiting.get(child) as number) - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(byKey.get(child)!);
    }
  }
  if (ordered.length < rebuilds.length) {
    const placed = new Set(ordered.map(keyOf));
    for (const r of rebuilds) {
      if (!placed.has(keyOf(r))) {
        ordered.push({
          ...r,
          reportReason: r.reportReason ?? 'its rebuild waits, through other rebuilds, on itself',
        });
      }
    }
  }
  return ordered;
}
