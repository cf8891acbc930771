import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import type { BanPlan } from '../../../core/ban/ban-plan.js';
import { type PlanBanPorts, type PlanBanRequest, planBan } from '../../../core/ban/plan-ban.js';
import type { ImagePublishedEvent } from '../../../core/events/image-published.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';
import { definitionKey } from '../../../core/ports/ban-store.js';
import type { RunningContainer } from '../../../core/ports/fleet.js';
import { TempState } from '../../contracts/local-state.js';
import { commit, digest } from '../../contracts/sample-events.js';

const BUSYBOX = 'docker.io/library/busybox';
const ALPINE = 'docker.io/library/alpine';

const policy = (extra: Record<string, unknown> = {}) =>
  validatePolicy({
    version: 1,
    allowed: [
      { image: 'busybox', versions: '^1' },
      { image: 'alpine', tags: ['*'] },
      { image: 'registry.local/**', tags: ['*'] },
    ],
    bandAids: [
      {
        id: 'close-port',
        description: 'close a port',
        command: ['/bin/sh', '-c', 'echo "$1"', 'sh', '{{port}}'],
        params: { port: { pattern: '[0-9]{1,5}', description: 'TCP port' } },
        appliesTo: ['registry.local/team/**'],
      },
      {
        id: 'ops-only',
        description: 'ops images only',
        command: ['/bin/true'],
        appliesTo: ['registry.local/ops/**'],
      },
    ],
    ...extra,
  });

/** An image of `repository`'s `definition` built on the given bases (name → digest). */
function image(
  name: string,
  repository: string,
  bases: readonly { name: string; digest: string }[],
  definition = `${name}/Dockerfile`,
): ImagePublishedEvent {
  return {
    id: `published-${name}`,
    source: 'drydock',
    detailType: 'Image Published',
    time: '2026-12-01T09:00:00Z',
    detail: {
      ref: `registry.local/${repository}:${name}`,
      digest: digest(name),
      configDigest: digest(`${name}-config`),
      bases: [...bases],
      definition,
      repository,
      commit: commit(name),
    },
  };
}
const on = (name: string) => ({ name: `registry.local/ops/bases:${name}`, digest: digest(name) });
const busybox = (tag: string, pulled = `busybox-${tag}`) => ({
  name: `${BUSYBOX}:${tag}`,
  digest: digest(pulled),
});

function container(
  id: string,
  host: string,
  name: string,
  repository: string,
  byConfigOnly = false,
): RunningContainer {
  return {
    id,
    name: id,
    host,
    image: `registry.local/${repository}:${name}`,
    ...(byConfigOnly ? {} : { imageDigest: digest(name) }),
    configDigest: digest(`${name}-config`),
    startedAt: '2026-12-01T10:00:00Z',
  };
}

let state: TempState;
let lineage: SqliteLineageStore;
let fleet: RunningContainer[];
let tags: Record<string, string[]>;
let tagCalls: string[];
const ports = (): PlanBanPorts => ({
  lineage,
  fleet: { running: async () => fleet },
  tags: async (name) => {
    tagCalls.push(name);
    return tags[name] ?? [];
  },
});
const request = (ref: string, more: Partial<PlanBanRequest> = {}): PlanBanRequest => ({
  ref,
  reason: 'CVE-2026-0001',
  bandAids: [],
  ...more,
});
async function plan(req: PlanBanRequest, p = policy()): Promise<BanPlan> {
  const result = await planBan({ ban: req, policy: p, now: new Date('2026-12-07T00:00:00Z') }, ports());
  if (!result.ok) throw new Error(result.error);
  return result.plan;
}
const keyOf = (r: { repository: string; definition: string }) => definitionKey(r.repository, r.definition);

beforeEach(async () => {
  state = new TempState();
  lineage = new SqliteLineageStore(state.open());
  fleet = [];
  tags = {};
  tagCalls = [];
  // busybox:1.36.0 → ops base → app-on-ops; busybox:1.36.0 → app-direct; alpine → unrelated.
  await lineage.record(image('ops-base', 'ops/bases', [busybox('1.36.0')]));
  await lineage.record(image('app-on-ops', 'team/one', [on('ops-base')]));
  await lineage.record(image('app-direct', 'team/two', [busybox('1.36.0')]));
  await lineage.record(
    image('unrelated', 'team/other', [{ name: `${ALPINE}:3.20`, digest: digest('alpine') }]),
  );
});
afterEach(() => state.close());

describe('planBan: the affected set', () => {
  it('finds every image built on the banned tag, transitively, by depth', async () => {
    const p = await plan(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }));
    expect(p.ref).toBe(`${BUSYBOX}:1.36.0`);
    expect(p.affected.map((a) => a.depth)).toEqual([1, 1, 2]);
    expect(p.affected.slice(0, 2).map((a) => a.digest)).toEqual(
      [digest('ops-base'), digest('app-direct')].sort(),
    );
    expect(p.affected.find((a) => a.repository === 'team/one')).toMatchObject({
      digest: digest('app-on-ops'),
      configDigest: digest('app-on-ops-config'),
      commit: commit('app-on-ops'),
    });
    expect(p.teams).toEqual(['ops/bases', 'team/one', 'team/two']);
  });

  it('covers every digest a banned tag pointed to, but a digest ban only that digest', async () => {
    // The tag moved: a second image was built on busybox:1.36.0 when it pointed at other content.
    await lineage.record(image('app-moved', 'team/three', [busybox('1.36.0', 'busybox-1.36.0-rebuilt')]));
    const byTag = await plan(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }));
    expect(byTag.affected.map((a) => a.repository)).toContain('team/three');
    const byDigest = await plan(request(digest('busybox-1.36.0-rebuilt'), { replacement: 'busybox:1.36.1' }));
    expect(byDigest.affected.map((a) => a.repository)).toEqual(['team/three']);
  });

  it('covers every tag of a name glob and nothing of another repository', async () => {
    await lineage.record(image('app-musl', 'team/three', [busybox('1.35.0-musl')]));
    const p = await plan(request('busybox', { replacement: 'alpine:3.20' }));
    expect(p.affected.map((a) => a.repository).sort()).toEqual([
      'ops/bases',
      'team/one',
      'team/three',
      'team/two',
    ]);
  });

  it('plans nothing, and says so, for a ban of an image nothing uses', async () => {
    fleet = [container('c1', 'host-a', 'unrelated', 'team/other')];
    const p = await plan(request('debian:12', { bandAids: [{ id: 'close-port', params: { port: '443' } }] }));
    expect(p).toMatchObject({ affected: [], rebuilds: [], skipped: [], teams: [], containers: [] });
    expect(p.bandAids.map((b) => b.batches)).toEqual([[]]);
  });
});

describe('planBan: rebuilds', () => {
  it('rebuilds each affected definition at its newest commit, children waiting for their base', async () => {
    const p = await plan(
      request('busybox:1.36.0', { replacement: 'busybox:1.36.1', banId: 'ban-0123456789ab' }),
    );
    const ops = p.rebuilds.find((r) => r.repository === 'ops/bases')!;
    const child = p.rebuilds.find((r) => r.repository === 'team/one')!;
    const direct = p.rebuilds.find((r) => r.repository === 'team/two')!;
    expect(p.rebuilds).toHaveLength(3);
    expect(ops).toMatchObject({
      commit: commit('ops-base'),
      of: digest('ops-base'),
      ofRef: 'registry.local/ops/bases:ops-base',
      depth: 1,
      waitsFor: [],
      substitutions: [
        {
          from: `${BUSYBOX}:1.36.0`,
          to: `${BUSYBOX}:1.36.1`,
          rule: `ban ban-0123456789ab: its replacement ${BUSYBOX}:1.36.1`,
        },
      ],
    });
    // The new digest of the ops base is known only once it is rebuilt: the rebuild step substitutes it then.
    expect(child).toMatchObject({ depth: 2, waitsFor: [keyOf(ops)], substitutions: [] });
    expect(child.reportReason).toBeUndefined();
    expect(direct.substitutions.map((s) => s.to)).toEqual([`${BUSYBOX}:1.36.1`]);
    expect(p.rebuilds.indexOf(ops)).toBeLessThan(p.rebuilds.indexOf(child));
  });

  it('starts definitions with more running containers first, but never before their bases', async () => {
    fleet = [
      container('c1', 'host-a', 'app-on-ops', 'team/one'),
      container('c2', 'host-a', 'app-on-ops', 'team/one'),
      container('c3', 'host-b', 'app-on-ops', 'team/one', true),
      container('c4', 'host-b', 'app-direct', 'team/two'),
      container('c5', 'host-b', 'unrelated', 'team/other'),
    ];
    const p = await plan(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }));
    expect(p.rebuilds.map((r) => [r.repository, r.runningContainers])).toEqual([
      ['team/two', 1],
      ['ops/bases', 0],
      ['team/one', 3],
    ]);
    expect(p.containers.map((h) => [h.host, h.containers.map((c) => c.id)])).toEqual([
      ['host-a', ['c1', 'c2']],
      ['host-b', ['c3', 'c4']],
    ]);
  });

  it('skips a definition whose newest image has moved on to an allowed base', async () => {
    await lineage.record(image('app-direct-v2', 'team/two', [busybox('1.36.1')], 'app-direct/Dockerfile'));
    const p = await plan(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }));
    expect(p.rebuilds.map((r) => r.repository)).toEqual(['ops/bases', 'team/one']);
    expect(p.skipped).toEqual([
      {
        repository: 'team/two',
        definition: 'app-direct/Dockerfile',
        reason: expect.stringContaining('registry.local/team/two:app-direct-v2 is not built on'),
      },
    ]);
  });

  it("uses the policy's substitution rule when there is no replacement", async () => {
    const p = await plan(
      request('busybox:1.36.0'),
      policy({ substitutions: [{ from: 'busybox:1.36.0', to: 'busybox:1.36.2', reason: 'patched' }] }),
    );
    expect(p.rebuilds.find((r) => r.repository === 'team/two')?.substitutions).toEqual([
      {
        from: `${BUSYBOX}:1.36.0`,
        to: `${BUSYBOX}:1.36.2`,
        rule: expect.stringMatching(/substitutions\[0\] \(patched\)/),
      },
    ]);
    expect(tagCalls).toEqual([]);
  });

  it('skips a substitution rule whose target the ban covers too, and takes the newest allowed tag of the major line', async () => {
    tags[BUSYBOX] = [
      '1.35.0',
      '1.36.0',
      '1.36.2',
      '1.37.0',
      '1.37.0-musl',
      '1.38.0-rc1',
      '2.0.0',
      'latest',
      'bookworm',
    ];
    const p = await plan(
      request('busybox:1.36*'),
      policy({ substitutions: [{ from: 'busybox:1.36.0', to: 'busybox:1.36.2', reason: 'patched' }] }),
    );
    const sub = p.rebuilds.find((r) => r.repository === 'team/two')?.substitutions;
    expect(sub).toEqual([
      { from: `${BUSYBOX}:1.36.0`, to: `${BUSYBOX}:1.37.0`, rule: expect.stringContaining('newest tag') },
    ]);
    // One registry lookup per repository, however many definitions need it.
    expect(tagCalls).toEqual([BUSYBOX]);
  });

  it('takes only a tag the policy allows for that repository, keeping the variant', async () => {
    await lineage.record(image('app-musl', 'team/three', [busybox('1.36.0-musl')]));
    tags[BUSYBOX] = ['1.36.0-musl', '1.36.1-musl', '1.36.9', '1.37.0-musl'];
    const strict = policy({
      allowed: [
        { image: 'busybox', tags: ['1.36.1-musl', '1.36.9'] },
        { image: 'registry.local/**', tags: ['*'] },
      ],
    });
    const p = await plan(request('busybox:1.36.0*'), strict);
    expect(p.rebuilds.find((r) => r.repository === 'team/three')?.substitutions.map((s) => s.to)).toEqual([
      `${BUSYBOX}:1.36.1-musl`,
    ]);
    expect(p.rebuilds.find((r) => r.repository === 'team/two')?.substitutions.map((s) => s.to)).toEqual([
      `${BUSYBOX}:1.36.9`,
    ]);
  });

  it("takes a tag allowed by the team's own exception for that team only", async () => {
    tags[BUSYBOX] = ['1.36.0', '1.36.5'];
    const p = await plan(
      request('busybox:1.36.0'),
      policy({
        allowed: [{ image: 'registry.local/**', tags: ['*'] }],
        exceptions: [
          { project: 'team/two', image: 'busybox', tags: ['1.36.5'], expires: '2027-01-01', reason: 'r' },
        ],
      }),
    );
    expect(p.rebuilds.find((r) => r.repository === 'team/two')?.substitutions.map((s) => s.to)).toEqual([
      `${BUSYBOX}:1.36.5`,
    ]);
    expect(p.rebuilds.find((r) => r.repository === 'ops/bases')?.reportReason).toContain('no tag of');
  });

  it('reports a definition with no approved base, and the children waiting for it', async () => {
    tags[BUSYBOX] = ['1.36.0', '2.0.0'];
    const p = await plan(request('busybox:1.36.0'));
    const ops = p.rebuilds.find((r) => r.repository === 'ops/bases');
    const child = p.rebuilds.find((r) => r.repository === 'team/one');
    expect(ops?.reportReason).toMatch(/no tag of docker.io\/library\/busybox in major line 1/);
    expect(ops?.substitutions).toEqual([]);
    expect(child?.reportReason).toContain(
      'a base it waits for is not rebuilt (ops/bases ops-base/Dockerfile)',
    );
  });

  it('reports a child whose base definition is skipped rather than letting it wait forever', async () => {
    // The ops base moved on (its newest image is on 1.36.1), but the app is still on the old ops base.
    await lineage.record(image('ops-base-v2', 'ops/bases', [busybox('1.36.1')], 'ops-base/Dockerfile'));
    const p = await plan(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }));
    expect(p.skipped.map((s) => s.repository)).toEqual(['ops/bases']);
    const child = p.rebuilds.find((r) => r.repository === 'team/one');
    expect(child?.waitsFor).toEqual([]);
    expect(child?.reportReason).toContain('is not rebuilt');
  });
});

describe('planBan: band-aids', () => {
  it('targets running containers of affected images that appliesTo matches, and no other', async () => {
    fleet = [
      container('c1', 'host-a', 'app-on-ops', 'team/one'),
      container('c2', 'host-b', 'app-direct', 'team/two', true),
      container('c3', 'host-a', 'unrelated', 'team/other'),
      container('c4', 'host-c', 'ops-base', 'ops/bases'),
    ];
    const p = await plan(
      request('busybox:1.36.0', {
        replacement: 'busybox:1.36.1',
        bandAids: [
          { id: 'close-port', params: { port: '8080' } },
          { id: 'ops-only', params: {} },
        ],
      }),
    );
    const [closePort, opsOnly] = p.bandAids;
    expect(closePort).toMatchObject({
      bandAidId: 'close-port',
      params: { port: '8080' },
      argv: ['/bin/sh', '-c', 'echo "$1"', 'sh', '8080'],
      timeoutMs: 60_000,
    });
    expect(closePort?.batches.map((b) => b.map((c) => c.id))).toEqual([['c1', 'c2']]);
    expect(opsOnly?.batches.map((b) => b.map((c) => c.id))).toEqual([['c4']]);
  });

  it('batches targets by at most 50 hosts, keeping each host in one batch', async () => {
    for (let h = 0; h < 120; h++) {
      const host = `host-${String(h).padStart(3, '0')}`;
      fleet.push(
        container(`a${h}`, host, 'app-direct', 'team/two'),
        container(`b${h}`, host, 'app-on-ops', 'team/one'),
      );
    }
    const p = await plan(
      request('busybox:1.36.0', {
        replacement: 'busybox:1.36.1',
        bandAids: [{ id: 'close-port', params: { port: '1' } }],
      }),
    );
    const batches = p.bandAids[0]!.batches;
    expect(batches.map((b) => new Set(b.map((c) => c.host)).size)).toEqual([50, 50, 20]);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 40]);
    expect(batches[0]!.slice(0, 2).map((c) => c.id)).toEqual(['a0', 'b0']);
  });
});

describe('planBan: bad input changes nothing and says why', () => {
  const refused = async (req: PlanBanRequest, p = policy()) => {
    const result = await planBan({ ban: req, policy: p, now: new Date('2026-12-07T00:00:00Z') }, ports());
    expect(result.ok).toBe(false);
    return result.ok ? '' : result.error;
  };

  it.each([
    ['a ref that does not parse', request('busybox:1.36.0 && rm -rf /'), 'invalid image'],
    ['a wildcard in the registry host', request('*.io/busybox'), 'registry host'],
    [
      'an unknown band-aid',
      request('busybox:1.36.0', { bandAids: [{ id: 'rm-rf', params: {} }] }),
      'unknown band-aid',
    ],
    [
      'a parameter that does not match its pattern',
      request('busybox:1.36.0', { bandAids: [{ id: 'close-port', params: { port: '1; reboot' } }] }),
      'does not match',
    ],
    [
      'a parameter the band-aid does not declare',
      request('busybox:1.36.0', { bandAids: [{ id: 'close-port', params: { port: '1', cmd: 'id' } }] }),
      'has no parameter',
    ],
    [
      'a band-aid named twice',
      request('busybox:1.36.0', {
        bandAids: [
          { id: 'ops-only', params: {} },
          { id: 'ops-only', params: {} },
        ],
      }),
      'named twice',
    ],
    [
      'a replacement the whitelist does not allow',
      request('busybox:1.36.0', { replacement: 'debian:12' }),
      'not allowed',
    ],
    [
      'a replacement the ban covers itself',
      request('busybox:1.36*', { replacement: 'busybox:1.36.1' }),
      'covered by the ban',
    ],
    ['a replacement that is a glob', request('busybox:1.36.0', { replacement: 'busybox:*' }), 'replacement'],
  ])('refuses %s', async (_what, req, words) => {
    expect(await refused(req)).toContain(words);
  });

  it('refuses a replacement that another ban of the policy covers', async () => {
    const p = policy({ banned: [{ image: 'busybox:1.36.1', reason: 'also bad' }] });
    expect(await refused(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }), p)).toContain(
      'not allowed',
    );
  });

  it('judges the replacement without this very ban, when the policy holds it already', async () => {
    const p = policy({
      banned: [{ image: 'busybox:1.36.0', reason: 'written first', replacement: 'busybox:1.36.1' }],
    });
    const plan = await planBan(
      { ban: request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }), policy: p },
      ports(),
    );
    expect(plan.ok).toBe(true);
  });

  it("refuses a replacement allowed only by one team's exception", async () => {
    const p = policy({
      allowed: [{ image: 'registry.local/**', tags: ['*'] }],
      exceptions: [
        { project: 'team/two', image: 'busybox', tags: ['1.36.1'], expires: '2027-01-01', reason: 'r' },
      ],
    });
    expect(await refused(request('busybox:1.36.0', { replacement: 'busybox:1.36.1' }), p)).toContain(
      'not allowed',
    );
  });
});
