import { beforeEach, describe, expect, it } from 'vitest';
import { openStateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { BAN_ID, liftBan, publishBan } from '../../../core/ban/publish-ban.js';
import { type DrydockEvent, type ImagePublishedEvent, parseEvent } from '../../../core/events/index.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { Policy } from '../../../core/policy/schema.js';
import type { Fleet } from '../../../core/ports/fleet.js';
import type { PolicyBan, PolicyChange, PolicyStore } from '../../../core/ports/policy-store.js';
import { defaultLocalPolicy } from '../../../runtime/local/policy-store.js';
import { commit, digest } from '../../contracts/sample-events.js';
import { MemoryBanStore } from '../../fixtures/ban/memory-ban-store.js';

const REGISTRY = '127.0.0.1:5000';
const BANNED = `${REGISTRY}/base/busybox:1.36.0`;
const REPLACEMENT = `${REGISTRY}/base/busybox:1.36.1`;
const POLICY = `${defaultLocalPolicy(REGISTRY)}
bandAids:
  - id: kill-service
    description: stop a service in the container
    command: ["/bin/kill", "-s", "TERM", "{{pid}}"]
    params:
      pid: { pattern: "[0-9]{1,7}" }
    appliesTo: ["${REGISTRY}/apps/**"]
`;

/** A policy store in memory that records every change, as a core test's fake of the port. */
class MemoryPolicyStore implements PolicyStore {
  readonly changes: { kind: 'add' | 'remove'; what: PolicyBan | string; change: PolicyChange }[] = [];
  banned: PolicyBan[] = [];
  version = 1;
  constructor(private readonly policy: Policy) {}
  async current(): Promise<Policy> {
    return this.policy;
  }
  async addBan(ban: PolicyBan, change: PolicyChange) {
    this.changes.push({ kind: 'add', what: ban, change });
    if (!this.banned.some((b) => b.banId === ban.banId)) {
      this.banned.push(ban);
      this.version++;
    }
    return { version: this.version, sha256: 'x' };
  }
  async removeBan(banId: string, change: PolicyChange) {
    this.changes.push({ kind: 'remove', what: banId, change });
    if (this.banned.some((b) => b.banId === banId)) {
      this.banned = this.banned.filter((b) => b.banId !== banId);
      this.version++;
    }
    return { version: this.version, sha256: 'x' };
  }
}

function image(name: string, base: { name: string; digest: string }): ImagePublishedEvent {
  return {
    id: `published-${name}`,
    source: 'drydock',
    detailType: 'Image Published',
    time: '2026-12-01T10:00:00Z',
    detail: {
      ref: `${REGISTRY}/apps/${name}:${commit(name).slice(0, 12)}`,
      digest: digest(name),
      configDigest: digest(`${name}-config`),
      bases: [base],
      definition: `${name}/Dockerfile`,
      repository: name,
      commit: commit(name),
    },
  };
}

const noContainers: Pick<Fleet, 'running'> = { running: async () => [] };

let bans: MemoryBanStore;
let policy: MemoryPolicyStore;
let published: DrydockEvent[];
let ports: Parameters<typeof publishBan>[1];
const clock = { now: () => new Date('2026-12-07T18:00:00.000Z') };

beforeEach(async () => {
  const db = openStateDatabase(':memory:');
  const lineage = new SqliteLineageStore(db);
  await lineage.record(image('shop', { name: BANNED, digest: digest('busybox-1.36.0') }));
  bans = new MemoryBanStore({ clock });
  policy = new MemoryPolicyStore(parsePolicy(POLICY));
  published = [];
  let n = 0;
  ports = {
    bans,
    policy,
    bus: { publish: async (events) => void published.push(...events) },
    clock,
    plan: { lineage, fleet: noContainers, tags: async () => ['1.36.0', '1.36.1'] },
    newBanId: () => `ban-${String(++n).padStart(12, '0')}`,
  };
});

const request = {
  ref: 'busybox:1.36.0',
  reason: 'CVE-2026-1234',
  bandAids: [],
  by: 'root (ops token)',
};

describe('publishBan', () => {
  it('records the ban, writes it into the policy, and publishes Base Image Banned once', async () => {
    const result = await publishBan({ ...request, ref: BANNED, replacement: REPLACEMENT }, ports);
    expect(result).toMatchObject({ ok: true, dryRun: false, created: true, policyVersion: { version: 2 } });
    if (!result.ok || result.dryRun) throw new Error('unreachable');
    expect(result.ban).toMatchObject({ banId: 'ban-000000000001', ref: BANNED, state: 'active' });
    expect(result.plan.affected.map((a) => a.repository)).toEqual(['shop']);
    expect(policy.banned).toEqual([
      { banId: 'ban-000000000001', image: BANNED, reason: 'CVE-2026-1234', replacement: REPLACEMENT },
    ]);
    expect(policy.changes[0]?.change).toEqual({
      by: 'root (ops token)',
      at: '2026-12-07T18:00:00.000Z',
      why: 'CVE-2026-1234',
    });
    expect(published).toHaveLength(1);
    const parsed = parseEvent(published[0]);
    expect(parsed.ok).toBe(true);
    expect(published[0]).toMatchObject({
      detailType: 'Base Image Banned',
      detail: { banId: 'ban-000000000001', ref: BANNED, replacement: REPLACEMENT, by: 'root (ops token)' },
    });
  });

  it('returns the ban in force for the same ban twice, and publishes the same event id again', async () => {
    const first = await publishBan(request, ports);
    const second = await publishBan({ ...request, reason: 'again' }, ports);
    expect(second).toMatchObject({
      ok: true,
      created: false,
      ban: { banId: 'ban-000000000001', reason: 'CVE-2026-1234' },
    });
    expect(first.ok && !first.dryRun && first.ban.banId).toBe('ban-000000000001');
    expect(await bans.list()).toHaveLength(1);
    expect(policy.banned).toHaveLength(1);
    expect(published.map((e) => e.id)).toEqual([published[0]?.id, published[0]?.id]);
    expect(published[1]).toEqual(published[0]);
  });

  it('normalises the ref like the policy does', async () => {
    const result = await publishBan({ ...request, ref: 'busybox:1.36.0' }, ports);
    expect(result.ok && !result.dryRun && result.ban.ref).toBe('docker.io/library/busybox:1.36.0');
  });

  it('plans a dry run and changes nothing', async () => {
    const result = await publishBan({ ...request, ref: BANNED, dryRun: true }, ports);
    expect(result).toMatchObject({ ok: true, dryRun: true, plan: { ref: BANNED } });
    expect(await bans.list()).toEqual([]);
    expect(policy.changes).toEqual([]);
    expect(published).toEqual([]);
  });

  it('makes a random ban id of 12 hex digits when none is given', async () => {
    const { newBanId: _, ...random } = ports;
    const result = await publishBan(request, random);
    expect(result.ok && !result.dryRun && result.ban.banId).toMatch(BAN_ID);
  });

  it.each([
    ['a ref that does not parse', { ref: 'Busybox:::1' }, 'ref'],
    ['an empty ref', { ref: '  ' }, 'ref'],
    ['an empty reason', { reason: ' ' }, 'reason'],
    ['a reason with an escape sequence', { reason: 'CVE \u001b[2J' }, 'reason'],
    ['a reason with a line break', { reason: 'CVE\nforged: line' }, 'reason'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
    ['a by with a line break', { by: 'root\n(ops token)' }, 'by'],
  ])('refuses %s, naming the field, and changes nothing', async (_, change, field) => {
    const result = await publishBan({ ...request, ...change }, ports);
    expect(result).toMatchObject({ ok: false, code: 'invalid-request', field });
    expect(await bans.list()).toEqual([]);
    expect(policy.changes).toEqual([]);
    expect(published).toEqual([]);
  });

  it.each([
    ['an unknown band-aid', { bandAids: [{ id: 'reboot-host', params: {} }] }, /reboot-host/],
    [
      'a band-aid parameter that does not match',
      { bandAids: [{ id: 'kill-service', params: { pid: '1; reboot' } }] },
      /pid/,
    ],
    ['a band-aid missing its parameter', { bandAids: [{ id: 'kill-service', params: {} }] }, /pid/],
    ['a replacement the policy does not allow', { replacement: 'docker.io/library/alpine:3.20' }, /alpine/],
  ])('refuses %s with the plan error and changes nothing', async (_, change, message) => {
    const result = await publishBan({ ...request, ref: BANNED, ...change }, ports);
    expect(result).toMatchObject({ ok: false, code: 'invalid-ban' });
    expect(!result.ok && result.error).toMatch(message);
    expect(await bans.list()).toEqual([]);
    expect(policy.changes).toEqual([]);
    expect(published).toEqual([]);
  });

  it('accepts a band-aid with a good parameter and records it on the ban and the event', async () => {
    const use = { id: 'kill-service', params: { pid: '42' } };
    const result = await publishBan({ ...request, ref: BANNED, bandAids: [use] }, ports);
    expect(result.ok && !result.dryRun && result.ban.bandAids).toEqual([use]);
    expect(published[0]).toMatchObject({ detail: { bandAids: [use] } });
  });

  it('reports an empty plan for a ban of an image nothing uses, and still bans it', async () => {
    const result = await publishBan({ ...request, ref: `${REGISTRY}/base/busybox:1.35.0` }, ports);
    expect(result).toMatchObject({ ok: true, created: true, plan: { affected: [], rebuilds: [] } });
  });
});

describe('liftBan', () => {
  it('lifts by id: the store, the policy and a Base Image Unbanned event', async () => {
    await publishBan({ ...request, ref: BANNED }, ports);
    const result = await liftBan('ban-000000000001', 'alice (ops token)', ports);
    expect(result).toMatchObject({
      ok: true,
      lifted: true,
      ban: { state: 'lifted', liftedBy: 'alice (ops token)' },
    });
    expect(policy.banned).toEqual([]);
    expect(published.map((e) => e.detailType)).toEqual(['Base Image Banned', 'Base Image Unbanned']);
    expect(parseEvent(published[1]).ok).toBe(true);
    expect(published[1]).toMatchObject({
      detail: { banId: 'ban-000000000001', ref: BANNED, by: 'alice (ops token)' },
    });
  });

  it('lifts the active ban of a ref, normalised', async () => {
    await publishBan(request, ports);
    const result = await liftBan('busybox:1.36.0', 'root (ops token)', ports);
    expect(result).toMatchObject({
      ok: true,
      lifted: true,
      ban: { ref: 'docker.io/library/busybox:1.36.0' },
    });
  });

  it('lifts a lifted ban again harmlessly, with the same event id', async () => {
    await publishBan(request, ports);
    await liftBan('ban-000000000001', 'root (ops token)', ports);
    const again = await liftBan('ban-000000000001', 'bob (ops token)', ports);
    expect(again).toMatchObject({ ok: true, lifted: false, ban: { liftedBy: 'root (ops token)' } });
    expect(published[2]).toEqual(published[1]);
  });

  it('refuses an unknown id and a ref with no active ban, changing nothing', async () => {
    expect(await liftBan('ban-0123456789ab', 'root (ops token)', ports)).toMatchObject({
      ok: false,
      code: 'unknown-ban',
      error: 'no ban ban-0123456789ab; drydock bans lists them',
    });
    expect(await liftBan('busybox:1.36.0', 'root (ops token)', ports)).toMatchObject({
      ok: false,
      code: 'unknown-ban',
      error: 'no active ban of docker.io/library/busybox:1.36.0; drydock bans lists them',
    });
    expect(await liftBan('Not A Ref', 'root (ops token)', ports)).toMatchObject({ ok: false, field: 'ref' });
    expect(policy.changes).toEqual([]);
    expect(published).toEqual([]);
  });

  it('lets a new ban of a ref follow a lifted one', async () => {
    await publishBan(request, ports);
    await liftBan('busybox:1.36.0', 'root (ops token)', ports);
    const again = await publishBan(request, ports);
    expect(again).toMatchObject({ ok: true, created: true, ban: { banId: 'ban-000000000002' } });
  });
});
