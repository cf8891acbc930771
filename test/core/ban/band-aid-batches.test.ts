import { describe, expect, it } from 'vitest';
import { batchByHosts, containersByHost } from '../../../core/ban/band-aid-batches.js';
import type { RunningContainer } from '../../../core/ports/fleet.js';

const c = (id: string, host: string): RunningContainer => ({
  id,
  name: id,
  host,
  image: 'registry.local/x:1',
  configDigest: `sha256:${'f'.repeat(64)}`,
  startedAt: '2026-12-07T00:00:00Z',
});

describe('band-aid batches', () => {
  it('groups containers by host, hosts sorted', () => {
    const grouped = containersByHost([c('1', 'b'), c('2', 'a'), c('3', 'b')]);
    expect(grouped.map((g) => [g.host, g.containers.map((x) => x.id)])).toEqual([
      ['a', ['2']],
      ['b', ['1', '3']],
    ]);
  });

  it('never splits a host across batches and never exceeds the host limit', () => {
    const list = Array.from({ length: 7 }, (_, i) => [c(`${i}a`, `h${i}`), c(`${i}b`, `h${i}`)]).flat();
    const batches = batchByHosts(list, 3);
    expect(batches.map((b) => [...new Set(b.map((x) => x.host))])).toEqual([
      ['h0', 'h1', 'h2'],
      ['h3', 'h4', 'h5'],
      ['h6'],
    ]);
    expect(batches.flat()).toHaveLength(14);
  });

  it('makes no batch for no containers', () => expect(batchByHosts([])).toEqual([]));
});
