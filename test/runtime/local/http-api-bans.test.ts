// The ban endpoints of the API over real HTTP, with a real SQLite ban store, the policy file and the bus: only
// the ops token may ban or unban, and a refused request changes nothing (store, policy bytes, event log).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePublishedEvent } from '../../../core/events/index.js';
import type { BanDetail, BanPublished, BanSummary, ImageSummary } from '../../../runtime/local/api-types.js';
import { BANNED_DIGEST, type BanApiHarness, startBanApiHarness } from '../../helpers/ban-api.js';

let h: BanApiHarness;
let shop: ImagePublishedEvent;

beforeAll(async () => {
  h = await startBanApiHarness();
  shop = await h.record('shop');
  await h.record('unrelated', {
    name: `${h.pipeline.registryHost}/base/busybox:1.36.1`,
    digest: BANNED_DIGEST.replace(/.$/, '0'),
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const json = { 'content-type': 'application/json' };
const banBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    ref: h.banned,
    reason: 'CVE-2026-1234',
    replacement: h.replacement,
    user: 'root',
    ...extra,
  });

/** What a refused request must leave as it was. */
async function snapshot() {
  return {
    bans: await h.bans.list(),
    policy: readFileSync(h.policyFile),
    events: (await h.events()).map((e) => e.id),
  };
}

describe('who may ban', () => {
  it.each([
    ['no token', null, {}, 401],
    ['a wrong token', 'f'.repeat(64), {}, 401],
    ['the read token', 'READ', {}, 403],
    ['the ops token in the query string', null, { query: true }, 401],
    ['the ops token as a cookie', null, { cookie: true }, 401],
  ])(
    'refuses a ban with %s and changes nothing',
    async (_, token, how: { query?: boolean; cookie?: boolean }, status) => {
      const before = await snapshot();
      const answer = await h.call(
        'POST',
        how.query ? `/api/bans?access_token=${h.tokens.ops}` : '/api/bans',
        {
          token: token === 'READ' ? h.tokens.read : token,
          headers: { ...json, ...(how.cookie ? { cookie: `token=${h.tokens.ops}` } : {}) },
          body: banBody(),
        },
      );
      expect(answer.status).toBe(status);
      expect(await snapshot()).toEqual(before);
      expect(before.bans).toEqual([]);
    },
  );

  it('refuses a dry run with the read token too (a POST), but lets it preview with GET', async () => {
    expect(
      (
        await h.call('POST', '/api/bans', {
          token: h.tokens.read,
          headers: json,
          body: banBody({ dryRun: true }),
        })
      ).status,
    ).toBe(403);
    const preview = await h.call('GET', `/api/bans/plan?ref=${encodeURIComponent(h.banned)}`, {
      token: h.tokens.read,
    });
    expect(preview.status).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, plan: { ref: h.banned } });
    expect(
      (await h.call('GET', `/api/bans/plan?ref=${encodeURIComponent(h.banned)}`, { token: null })).status,
    ).toBe(401);
  });
});

describe('bad ban requests', () => {
  it.each([
    ['an unknown key', { ref: 'x', reason: 'y', runAs: 'root' }, /unknown field\(s\) "runAs"/],
    ['a missing reason', { ref: 'busybox:1.36.0' }, /reason: /],
    ['a reason that is not a string', { ref: 'busybox:1.36.0', reason: 7 }, /reason: /],
    [
      'an unknown key in a band-aid',
      { ref: 'x', reason: 'y', bandAids: [{ id: 'kill-service', argv: ['/bin/sh'] }] },
      /bandAids\[0\]: unknown field\(s\) "argv"/,
    ],
    [
      'a user that is not a login name',
      { ref: 'x', reason: 'y', user: 'root (ops token)\nforged' },
      /user: must be a login name/,
    ],
    [
      'a reason over 500 characters',
      { ref: 'busybox:1.36.0', reason: 'x'.repeat(501) },
      /^reason is 501 characters; at most 500$/,
    ],
    [
      'a reason with an escape sequence',
      { ref: 'busybox:1.36.0', reason: 'CVE \u001b[2J' },
      /^reason must not contain control characters/,
    ],
    ['a ref that does not parse', { ref: 'Not::A Ref', reason: 'y' }, /^ref: cannot ban/],
    ['an unknown band-aid', { ref: 'busybox:1.36.0', reason: 'y', bandAids: [{ id: 'reboot' }] }, /reboot/],
    [
      'a bad band-aid parameter',
      {
        ref: 'busybox:1.36.0',
        reason: 'y',
        bandAids: [{ id: 'kill-service', params: { pid: '$(reboot)' } }],
      },
      /pid/,
    ],
    [
      'a replacement the policy does not allow',
      { ref: 'busybox:1.36.0', reason: 'y', replacement: 'alpine:3.20' },
      /alpine/,
    ],
  ])('answers 400 for %s, naming it, and changes nothing', async (_, body, message) => {
    const before = await snapshot();
    const answer = await h.call('POST', '/api/bans', { headers: json, body: JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 413 for a huge body and changes nothing', async () => {
    const before = await snapshot();
    const answer = await h.call('POST', '/api/bans', {
      headers: json,
      body: banBody({ reason: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(answer.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 for a body that is not JSON, and 415 for one that is not application/json', async () => {
    expect((await h.call('POST', '/api/bans', { headers: json, body: '{"ref":' })).status).toBe(400);
    expect(
      (await h.call('POST', '/api/bans', { headers: { 'content-type': 'text/plain' }, body: banBody() }))
        .status,
    ).toBe(415);
  });

  it('answers 400 for an unknown plan query parameter and for a param before any band-aid', async () => {
    const ref = encodeURIComponent(h.banned);
    const unknown = await h.call('GET', `/api/bans/plan?ref=${ref}&argv=%2Fbin%2Fsh`);
    expect(unknown.status).toBe(400);
    expect(unknown.json().error).toMatch(/unknown query parameter "argv"/);
    const orphan = await h.call('GET', `/api/bans/plan?ref=${ref}&param=pid%3D1`);
    expect(orphan.status).toBe(400);
    expect(orphan.json().error).toMatch(/must follow the bandAid/);
  });
});

describe('a ban and its lift', () => {
  let banId: string;

  it('previews a ban with a band-aid and its parameter, in query order, changing nothing', async () => {
    const before = await snapshot();
    const answer = await h.call(
      'GET',
      `/api/bans/plan?ref=${encodeURIComponent(h.banned)}&replacement=${encodeURIComponent(h.replacement)}&bandAid=kill-service&param=pid%3D42`,
    );
    expect(answer.status).toBe(200);
    const { plan } = answer.json() as { plan: BanPublished['plan'] };
    expect(plan.affected.map((a) => a.repository)).toEqual(['shop']);
    expect(plan.rebuilds.map((r) => r.repository)).toEqual(['shop']);
    expect(plan.teams).toEqual(['shop']);
    expect(await snapshot()).toEqual(before);
  });

  it('bans with the ops token: 201, the store, the policy file and one event, recorded as the user and the token', async () => {
    const answer = await h.call('POST', '/api/bans', { headers: json, body: banBody() });
    expect(answer.status).toBe(201);
    const published = answer.json() as unknown as BanPublished;
    expect(published).toMatchObject({
      dryRun: false,
      created: true,
      ban: { ref: h.banned, by: 'root (ops token)' },
    });
    banId = published.ban.banId;
    expect(banId).toMatch(/^ban-[0-9a-f]{12}$/);
    expect(published.plan.affected).toHaveLength(1);
    expect((await h.bans.list()).map((b) => b.banId)).toEqual([banId]);
    const policy = readFileSync(h.policyFile, 'utf8');
    expect(policy).toContain(banId);
    expect(policy).toContain('CVE-2026-1234');
    const banned = (await h.events()).filter((e) => e.detailType === 'Base Image Banned');
    expect(banned).toHaveLength(1);
    expect(banned[0]).toMatchObject({ detail: { banId, ref: h.banned, by: 'root (ops token)' } });
  });

  it('answers the same ban again with 200 and created: false, changing nothing', async () => {
    const before = await snapshot();
    const answer = await h.call('POST', '/api/bans', { headers: json, body: banBody({ reason: 'again' }) });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ created: false, ban: { banId, reason: 'CVE-2026-1234' } });
    expect(await snapshot()).toEqual(before);
  });

  it('lists bans and shows one to the read token, with progress and times', async () => {
    // The ban step (another worker, not running here) marks what the plan found.
    const { digest, configDigest, ref, repository, definition } = shop.detail;
    await h.bans.markUnsupported(banId, [{ digest, configDigest, ref, repository, definition, depth: 1 }]);
    const list = await h.call('GET', '/api/bans', { token: h.tokens.read });
    expect(list.status).toBe(200);
    expect((list.json().bans as BanSummary[]).map((b) => b.banId)).toEqual([banId]);
    await h.bans.stamp(
      banId,
      'protectedAt',
      new Date(Date.parse((await h.bans.get(banId))!.at) + 1500).toISOString(),
    );
    const show = await h.call('GET', `/api/bans/${banId}`, { token: h.tokens.read });
    expect(show.status).toBe(200);
    const detail = show.json() as unknown as BanDetail;
    expect(detail).toMatchObject({
      banId,
      state: 'active',
      timeToProtectionMs: 1500,
      progress: { images: 1 },
    });
    expect(detail.timeToRemediationMs).toBeUndefined();
    expect(detail.images.map((i) => i.repository)).toEqual(['shop']);
    const unknown = await h.call('GET', '/api/bans/ban-000000000000', { token: h.tokens.read });
    expect(unknown.status).toBe(404);
  });

  it('shows an image the ban marks as unsupported, with the ban and its reason, and the others supported', async () => {
    const answer = await h.call('GET', '/api/images', { token: h.tokens.read });
    const images = answer.json().images as ImageSummary[];
    const shop = images.find((i) => i.repository === 'shop');
    const other = images.find((i) => i.repository === 'unrelated');
    expect(shop).toMatchObject({
      status: 'unsupported',
      supported: false,
      unsupportedBy: [{ banId, reason: 'CVE-2026-1234' }],
    });
    expect(other).toMatchObject({ status: 'supported', supported: true, unsupportedBy: [] });
  });

  it.each([
    ['no token', null, 401],
    ['a wrong token', 'f'.repeat(64), 401],
    ['the read token', 'READ', 403],
  ])('refuses a lift with %s and changes nothing', async (_, token, status) => {
    const before = await snapshot();
    const answer = await h.call('POST', `/api/bans/${banId}/lift`, {
      token: token === 'READ' ? h.tokens.read : token,
      headers: json,
      body: '{"user":"mallory"}',
    });
    expect(answer.status).toBe(status);
    expect(await snapshot()).toEqual(before);
    expect((await h.bans.get(banId))?.state).toBe('active');
  });

  it('refuses a lift of an unknown ban with 404 and a body with extra keys with 400', async () => {
    expect(
      (await h.call('POST', '/api/bans/ban-000000000000/lift', { headers: json, body: '{}' })).status,
    ).toBe(404);
    const extra = await h.call('POST', `/api/bans/${banId}/lift`, {
      headers: json,
      body: '{"user":"root","force":true}',
    });
    expect(extra.status).toBe(400);
    expect(extra.json().error).toMatch(/"force"/);
  });

  it('lifts with the ops token by the ref: the store, the policy, one event, and the image supported again', async () => {
    const answer = await h.call('POST', `/api/bans/${encodeURIComponent(h.banned)}/lift`, {
      headers: json,
      body: '{"user":"alice"}',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      lifted: true,
      ban: { banId, state: 'lifted', liftedBy: 'alice (ops token)' },
    });
    expect(readFileSync(h.policyFile, 'utf8')).not.toContain(banId);
    expect((await h.events()).filter((e) => e.detailType === 'Base Image Unbanned')).toHaveLength(1);
    const images = (await h.call('GET', '/api/images')).json().images as ImageSummary[];
    expect(images.every((i) => i.supported)).toBe(true);
    const again = await h.call('POST', `/api/bans/${banId}/lift`, { headers: json, body: '{}' });
    expect(again.json()).toMatchObject({ lifted: false });
  });
});
