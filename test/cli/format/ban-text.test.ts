import { describe, expect, it } from 'vitest';
import {
  argvText,
  counts,
  duration,
  renderBanDetail,
  renderBanPlan,
  renderBans,
} from '../../../cli/format/ban-text.js';
import type { BanPlan } from '../../../core/ban/ban-plan.js';
import type { RunningContainer } from '../../../core/ports/fleet.js';
import type { BanDetail } from '../../../runtime/local/api-types.js';
import { commit, digest } from '../../contracts/sample-events.js';

const plain = { now: new Date('2026-12-07T18:10:00.000Z'), colour: false };
const R = '127.0.0.1:5000';

const container = (id: string, host: string): RunningContainer => ({
  id: id.repeat(12),
  name: `app-${id}`,
  host,
  image: `${R}/apps/shop:abc`,
  configDigest: digest(`${id}-config`),
  startedAt: '2026-12-07T17:00:00.000Z',
});

const plan: BanPlan = {
  ref: `${R}/base/busybox:1.36.0`,
  reason: 'CVE-2026-1234',
  replacement: `${R}/base/busybox:1.36.1`,
  affected: [
    {
      digest: digest('ops'),
      configDigest: digest('ops-config'),
      ref: `${R}/ops/base:1`,
      repository: 'ops',
      definition: 'base/Dockerfile',
      depth: 1,
      commit: commit('ops'),
      publishedAt: '2026-12-01T00:00:00Z',
    },
    {
      digest: digest('shop'),
      configDigest: digest('shop-config'),
      ref: `${R}/apps/shop:abc`,
      repository: 'shop',
      definition: 'Dockerfile',
      depth: 2,
      commit: commit('shop'),
      publishedAt: '2026-12-01T00:00:00Z',
    },
  ],
  rebuilds: [
    {
      repository: 'ops',
      definition: 'base/Dockerfile',
      commit: commit('ops'),
      of: digest('ops'),
      ofRef: `${R}/ops/base:1`,
      depth: 1,
      waitsFor: [],
      substitutions: [
        { from: `${R}/base/busybox:1.36.0`, to: `${R}/base/busybox:1.36.1`, rule: 'ban replacement' },
      ],
      runningContainers: 0,
    },
    {
      repository: 'shop',
      definition: 'Dockerfile',
      commit: commit('shop'),
      of: digest('shop'),
      ofRef: `${R}/apps/shop:abc`,
      depth: 2,
      waitsFor: ['ops\u0000base/Dockerfile'],
      substitutions: [],
      runningContainers: 2,
    },
  ],
  skipped: [{ repository: 'old', definition: 'Dockerfile', reason: 'its newest image is not affected' }],
  teams: ['ops', 'shop'],
  containers: [
    { host: 'host-a', containers: [container('a', 'host-a')] },
    { host: 'host-b', containers: [container('b', 'host-b')] },
  ],
  bandAids: [
    {
      bandAidId: 'kill-service',
      params: { pid: '42' },
      argv: ['/bin/sh', '-c', 'kill "$1"', 'sh', '42'],
      timeoutMs: 60_000,
      maxConcurrency: 10,
      maxErrors: 0,
      batches: [[container('a', 'host-a'), container('b', 'host-b')]],
    },
  ],
};

describe('renderBanPlan', () => {
  const text = renderBanPlan(plan);

  it('shows affected images by depth with their definitions', () => {
    expect(text).toMatch(
      /Affected images \(2\), by depth:\n +DEPTH +REF +DIGEST +DEFINITION\n +1 +\S+\/ops\/base:1 .* ops\/base\/Dockerfile\n +2 +\S+\/apps\/shop:abc .* shop\/Dockerfile\n/,
    );
  });

  it('shows each rebuild in order with the base it would use, or what it waits for', () => {
    expect(text).toContain(
      `  ops/base/Dockerfile at ${commit('ops').slice(0, 12)} (depth 1, 0 running containers)\n`,
    );
    expect(text).toContain(
      `      FROM ${R}/base/busybox:1.36.0 → ${R}/base/busybox:1.36.1  (ban replacement)\n`,
    );
    expect(text).toContain('      after ops/base/Dockerfile (built on its new digest)\n');
    expect(text).toContain('Not rebuilt (1):\n  old/Dockerfile: its newest image is not affected\n');
  });

  it('shows teams, running containers per host, and the band-aid argv as a shell would quote it', () => {
    expect(text).toContain('Teams to notify: ops, shop\n');
    expect(text).toContain('Running containers of affected images: 2 on 2 hosts\n  host-a: app-a (');
    expect(text).toContain(`  kill-service: /bin/sh -c 'kill "$1"' sh 42\n`);
    expect(text).toContain('in 2 containers, 1 batch; at most 10 at once, 0 errors; time limit 1m00s');
  });

  it('reports an empty plan', () => {
    expect(
      renderBanPlan({
        ...plan,
        affected: [],
        rebuilds: [],
        skipped: [],
        teams: [],
        containers: [],
        bandAids: [],
      }),
    ).toContain('No published image is built on it');
  });
});

const detail: BanDetail = {
  banId: 'ban-0a1b2c3d4e5f',
  ref: plan.ref,
  reason: 'CVE-2026-1234',
  bandAids: [{ id: 'kill-service', params: { pid: '42' } }],
  by: 'root (ops token)',
  at: '2026-12-07T18:00:00.000Z',
  state: 'active',
  protectedAt: '2026-12-07T18:00:04.200Z',
  timeToProtectionMs: 4200,
  images: [],
  rebuilds: [],
  bandAidRuns: [
    {
      banId: 'ban-0a1b2c3d4e5f',
      bandAidId: 'kill-service',
      containerId: 'c'.repeat(64),
      host: 'host-a',
      imageDigest: digest('shop'),
      state: 'failed',
      exitCode: 1,
      // A container's output tries to rewrite the operator's terminal.
      outputTail: 'starting\n\u001b]0;pwned\u0007\u001b[2Jkill: no such process\n',
      durationMs: 35,
    },
  ],
  progress: { images: 0, rebuilds: {}, bandAids: { failed: 1 } },
};

describe('renderBanDetail', () => {
  const text = renderBanDetail(detail, plain);

  it('shows the ban, its band-aids and its times', () => {
    expect(text).toContain('ban-0a1b2c3d4e5f  ACTIVE  ');
    expect(text).toContain('  band-aids     kill-service pid=42\n');
    expect(text).toContain('  protection    4.2s after the ban\n  remediation   not yet\n');
  });

  it("shows each band-aid run's exit code, duration and last output line, without the output's control characters", () => {
    expect(text).toContain('Band-aid runs: failed 1\n');
    expect(text).toMatch(
      /kill-service +host-a +c{12} +failed +1 +35ms +\?\]0;pwned\?\?\[2Jkill: no such process\n/,
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});

describe('renderBans and helpers', () => {
  it('lists bans with their times, or says how to publish one', () => {
    expect(renderBans([detail], plain)).toMatch(
      /ban-0a1b2c3d4e5f +active +\S+ +— +4\.2s +not yet +10m ago +CVE-2026-1234\n$/,
    );
    expect(renderBans([], plain)).toContain('drydock ban REF --reason TEXT');
  });

  it.each([
    [850, '850ms'],
    [12_300, '12.3s'],
    [245_000, '4m05s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('counts states largest first', () => {
    expect(counts({ waiting: 1, published: 3 })).toBe('published 3, waiting 1');
    expect(counts({})).toBe('none');
  });

  it('quotes argv elements a shell would split, and a quote inside one', () => {
    expect(argvText(['/bin/echo', "it's", 'a b', 'plain'])).toBe(`/bin/echo 'it'\\''s' 'a b' plain`);
  });
});
