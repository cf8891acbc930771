import { describe, expect, it } from 'vitest';
import { renderBanDetail, renderBanPlan } from '../../../cli/format/ban-text.js';
import type { BanPlan } from '../../../core/ban/ban-plan.js';
import type { BanDetail } from '../../../runtime/local/api-types.js';
import { commit, digest } from '../../contracts/sample-events.js';

// git takes any byte but NUL and "/" in a file name, and a push's definition path reaches the lineage as written:
// this one retitles the operator's terminal, clears it, and starts a line that looks like drydock's own.
const EVIL = 'web\u001b]0;owned\u0007\u001b[2J\n  ops/base/Dockerfile: NOT REBUILT\u009b31m/Dockerfile';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const R = '127.0.0.1:5000';

const plan: BanPlan = {
  ref: `${R}/base/busybox:1.36.0`,
  reason: 'CVE-2026-1234',
  affected: [
    {
      digest: digest('shop'),
      configDigest: digest('shop-config'),
      ref: `${R}/apps/shop/web:abc`,
      repository: 'shop',
      definition: EVIL,
      depth: 1,
      commit: commit('shop'),
      publishedAt: '2026-12-01T00:00:00Z',
    },
  ],
  rebuilds: [
    {
      repository: 'shop',
      definition: EVIL,
      commit: commit('shop'),
      of: digest('shop'),
      ofRef: `${R}/apps/shop/web:abc`,
      depth: 1,
      waitsFor: [`shop\u0000${EVIL}`],
      substitutions: [],
      runningContainers: 0,
      reportReason: `a base it waits for is not rebuilt (shop ${EVIL})`,
    },
  ],
  skipped: [
    { repository: 'shop', definition: EVIL, reason: `its newest image is not built on it (${EVIL})` },
  ],
  teams: ['shop'],
  containers: [],
  bandAids: [],
} as unknown as BanPlan;

const detail: BanDetail = {
  banId: 'ban-0a1b2c3d4e5f',
  ref: plan.ref,
  reason: 'CVE-2026-1234',
  bandAids: [],
  by: 'root (ops token)',
  at: '2026-12-07T18:00:00.000Z',
  state: 'active',
  images: [
    {
      digest: digest('shop'),
      configDigest: digest('shop-config'),
      ref: `${R}/apps/shop/web:abc`,
      repository: 'shop',
      definition: EVIL,
      depth: 1,
    },
  ],
  rebuilds: [
    {
      banId: 'ban-0a1b2c3d4e5f',
      repository: 'shop',
      definition: EVIL,
      commit: commit('shop'),
      number: 1,
      of: digest('shop'),
      state: 'failed',
      reason: `build failed: ${EVIL}`,
    },
  ],
  bandAidRuns: [],
  progress: { images: 1, rebuilds: { failed: 1 }, bandAids: {} },
} as unknown as BanDetail;

describe("a team's definition path in the ban text", () => {
  it('reaches the dry run with no control character and no line of its own', () => {
    const text = renderBanPlan(plan);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('owned');
    expect(text.split('\n').filter((l) => l.startsWith('  ops/base/Dockerfile'))).toEqual([]);
  });

  it('reaches drydock ban show with no control character and no line of its own', () => {
    const text = renderBanDetail(detail, { now: new Date('2026-12-07T18:10:00.000Z'), colour: false });
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('owned');
    expect(text.split('\n').filter((l) => l.startsWith('  ops/base/Dockerfile'))).toEqual([]);
  });
});
