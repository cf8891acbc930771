import { describe, expect, it } from 'vitest';
import { orderRebuilds } from '../../../core/ban/rebuild-order.js';
import { definitionKey, type PlannedRebuild } from '../../../core/ports/ban-store.js';

const D = `sha256:${'c'.repeat(64)}`;
const key = (name: string) => definitionKey('repo', name);
const rebuild = (name: string, waitsFor: string[], runningContainers = 0, depth = 1): PlannedRebuild => ({
  repository: 'repo',
  definition: name,
  commit: 'a'.repeat(40),
  of: D,
  ofRef: `registry.local/repo:${name}`,
  depth,
  waitsFor: waitsFor.map(key),
  substitutions: [],
  runningContainers,
});
const names = (list: PlannedRebuild[]) => list.map((r) => r.definition);

describe('orderRebuilds', () => {
  it('puts bases before the images built on them, whatever their running containers', () => {
    const order = orderRebuilds([
      rebuild('app', ['ops'], 99, 2),
      rebuild('ops', [], 0),
      rebuild('lone', [], 5),
    ]);
    expect(names(order)).toEqual(['lone', 'ops', 'app']);
  });

  it('among rebuilds free to start: more running containers, then shallower, then by key', () => {
    const order = orderRebuilds([
      rebuild('d', [], 1, 3),
      rebuild('c', [], 1, 2),
      rebuild('b', [], 1, 2),
      rebuild('a', [], 0, 1),
      rebuild('e', [], 7, 4),
    ]);
    expect(names(order)).toEqual(['e', 'b', 'c', 'd', 'a']);
  });

  it('orders a diamond so the join comes after both sides', () => {
    const order = orderRebuilds([
      rebuild('top', ['left', 'right'], 50, 3),
      rebuild('right', ['root'], 0, 2),
      rebuild('left', ['root'], 9, 2),
      rebuild('root', [], 0, 1),
    ]);
    expect(names(order)).toEqual(['root', 'left', 'right', 'top']);
  });

  it('does not hold a rebuild back for a wait on a rebuild not in the plan', () => {
    expect(names(orderRebuilds([rebuild('app', ['gone'])]))).toEqual(['app']);
  });

  it('puts rebuilds caught in a cycle last, reported, instead of dropping or looping', () => {
    const order = orderRebuilds([rebuild('x', ['y']), rebuild('y', ['x']), rebuild('free', [])]);
    expect(names(order)).toEqual(['free', 'x', 'y']);
    expect(order.slice(1).every((r) => r.reportReason?.includes('on itself'))).toBe(true);
    expect(order[0]?.reportReason).toBeUndefined();
  });

  it('orders ten thousand rebuilds in a chain-heavy graph quickly', () => {
    const list: PlannedRebuild[] = [];
    for (let i = 0; i < 10_000; i++)
      list.push(rebuild(`n${i}`, i < 100 ? [] : [`n${i % 100}`], i % 7, i < 100 ? 1 : 2));
    const started = performance.now();
    const order = orderRebuilds(list.reverse());
    expect(performance.now() - started).toBeLessThan(2000);
    const at = new Map(order.map((r, i) => [r.definition, i]));
    for (const r of order)
      for (const w of r.waitsFor) expect(at.get(w.split('\u0000')[1]!)!).toBeLessThan(at.get(r.definition)!);
  });
});
