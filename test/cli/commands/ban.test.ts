// drydock ban / ban show / unban / bans / images, run through main() against a real API (real ban store,
// policy file and bus) found through runtime.json, as a running drydock start is found.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePublishedEvent } from '../../../core/events/index.js';
import type { BanSummary, ImageSummary } from '../../../runtime/local/api-types.js';
import { type BanApiHarness, startBanApiHarness } from '../../helpers/ban-api.js';
import { runCli } from '../../helpers/cli.js';

let h: BanApiHarness;
let shop: ImagePublishedEvent;

beforeAll(async () => {
  h = await startBanApiHarness();
  shop = await h.record('shop');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const cli = (argv: string[]) => runCli([...argv, '--state', h.dir]);
const unchanged = async () => ({
  bans: await h.bans.list(),
  policy: readFileSync(h.policyFile),
  events: (await h.events()).length,
});

describe('drydock ban --dry-run', () => {
  it('prints the impact: images by depth, rebuilds and their base, teams, containers, band-aid argv; nothing changes', async () => {
    const before = await unchanged();
    const r = await cli([
      'ban',
      h.banned,
      '--reason',
      'CVE-2026-1234',
      '--replacement',
      h.replacement,
      '--band-aid',
      'kill-service',
      '--param',
      'pid=42',
      '--dry-run',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Ban ${h.banned}\n  reason       CVE-2026-1234\n  replacement  ${h.replacement}\n`,
    );
    expect(r.stdout).toMatch(
      /Affected images \(1\), by depth:\n +DEPTH +REF +DIGEST +DEFINITION\n +1 +\S+\/apps\/shop:\S+ +[0-9a-f]{12} +shop\/shop\/Dockerfile\n/,
    );
    expect(r.stdout).toContain('Rebuilds (1), in start order:\n  shop/shop/Dockerfile at ');
    expect(r.stdout).toContain(`FROM ${h.banned} → ${h.replacement}`);
    expect(r.stdout).toContain('Teams to notify: shop\n');
    expect(r.stdout).toContain('Running containers of affected images: 0 on 0 hosts\n');
    expect(r.stdout).toContain('  kill-service: /bin/kill -s TERM 42\n');
    expect(r.stdout).toMatch(/Dry run: nothing changed\.\n$/);
    expect(await unchanged()).toEqual(before);
  });

  it('gives the plan as JSON', async () => {
    const r = await cli(['ban', h.banned, '--reason', 'x', '--dry-run', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, plan: { ref: h.banned, teams: ['shop'] } });
  });

  it('reports an empty plan for an image nothing uses', async () => {
    const r = await cli([
      'ban',
      `${h.pipeline.registryHost}/base/busybox:1.35.0`,
      '--reason',
      'x',
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'No published image is built on it: nothing is marked, rebuilt or band-aided.',
    );
  });
});

describe('drydock ban refusals', () => {
  it.each([
    [['--param', 'pid=1', '--band-aid', 'kill-service'], /a --param belongs to a --band-aid/],
    [['--band-aid', 'kill-service', '--param', 'pid'], /"pid" is not NAME=VALUE/],
    [['--band-aid', 'kill-service', '--param', 'pid=1', '--param', 'pid=2'], /pid is given twice/],
    [['--band-aid', 'reboot-host'], /reboot-host/],
    [['--band-aid', 'kill-service', '--param', 'pid=$(reboot)'], /pid/],
    [['--replacement', 'alpine:3.20'], /alpine/],
  ])('refuses %j with exit 2 and changes nothing', async (extra, message) => {
    const before = await unchanged();
    const r = await cli(['ban', h.banned, '--reason', 'CVE-2026-1234', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await unchanged()).toEqual(before);
  });

  it('needs a reason and a ref', async () => {
    const noReason = await cli(['ban', h.banned]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('ban needs --reason TEXT');
    expect((await cli(['ban', '--reason', 'x'])).stderr).toContain('ban needs a REF');
  });

  it('refuses a ref that does not parse', async () => {
    const r = await cli(['ban', 'Not::A Ref', '--reason', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^drydock: ref: cannot ban/);
  });
});

describe('drydock ban, bans, ban show, images, unban', () => {
  let banId: string;

  it('bans, recording this user with the ops token', async () => {
    const r = await cli(['ban', h.banned, '--reason', 'CVE-2026-1234', '--replacement', h.replacement]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const match = /^Banned \S+: (ban-[0-9a-f]{12}) \(policy version (\d+)\)\.\n/.exec(r.stdout);
    expect(match).not.toBeNull();
    banId = match![1]!;
    expect(r.stdout).toContain(
      `1 image(s) affected, 1 rebuild(s), 0 band-aid(s). Follow it with: drydock ban show ${banId}\n`,
    );
    expect((await h.bans.get(banId))?.by).toBe(`${userInfo().username} (ops token)`);
  });

  it('says a second ban of the same ref is the same ban', async () => {
    const r = await cli(['ban', h.banned, '--reason', 'again']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`is banned already: ${banId}`);
    expect(await h.bans.list()).toHaveLength(1);
  });

  it('lists bans as text and JSON', async () => {
    const text = await cli(['bans']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `^ID +STATE +REF +REPLACEMENT +PROTECTED +REMEDIATED +AGE +REASON\n${banId} +active +\\S+busybox:1\\.36\\.0 +\\S+busybox:1\\.36\\.1 +not yet +not yet +(just now|\\S+ ago) +CVE-2026-1234\n$`,
      ),
    );
    const json = JSON.parse((await cli(['bans', '--format', 'json'])).stdout) as BanSummary[];
    expect(json.map((b) => b.banId)).toEqual([banId]);
  });

  it('shows a ban with its marked images, rebuilds, band-aid runs and times', async () => {
    const { digest, configDigest, ref, repository, definition } = shop.detail;
    await h.bans.markUnsupported(banId, [{ digest, configDigest, ref, repository, definition, depth: 1 }]);
    const at = Date.parse((await h.bans.get(banId))!.at);
    await h.bans.stamp(banId, 'protectedAt', new Date(at + 2500).toISOString());
    const r = await cli(['ban', 'show', banId]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${banId}  ACTIVE  ${h.banned}\n  reason        CVE-2026-1234\n`);
    expect(r.stdout).toContain('  protection    2.5s after the ban\n  remediation   not yet\n');
    expect(r.stdout).toMatch(/Images marked unsupported: 1\n +DEPTH +REF +DIGEST\n +1 +\S+\/apps\/shop:/);
    expect(r.stdout).toContain('Band-aid runs: none\n');
    const json = JSON.parse((await cli(['ban', 'show', banId, '--format', 'json'])).stdout);
    expect(json).toMatchObject({ banId, timeToProtectionMs: 2500, progress: { images: 1 } });
    const unknown = await cli(['ban', 'show', 'ban-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no ban "ban-000000000000"');
  });

  it('shows the marked image UNSUPPORTED in drydock images, with the ban and reason', async () => {
    const r = await cli(['images']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`apps/shop:\\S+ +[0-9a-f]{12} +UNSUPPORTED .*${banId}: CVE-2026-1234\n`),
    );
    const json = JSON.parse((await cli(['images', '--format', 'json'])).stdout) as ImageSummary[];
    expect(json.find((i) => i.repository === 'shop')).toMatchObject({
      supported: false,
      unsupportedBy: [{ banId }],
    });
  });

  it('unbans by ref, then says a second unban by id changed nothing', async () => {
    const r = await cli(['unban', 'busybox:1.36.0'.replace(/^/, `${h.pipeline.registryHost}/base/`)]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Lifted ${banId} \\(\\S+\\); policy version \\d+\\.\n$`));
    expect(readFileSync(h.policyFile, 'utf8')).not.toContain(banId);
    const again = await cli(['unban', banId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was lifted already');
    const none = await cli(['unban', h.banned]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no active ban of ${h.banned}`);
    expect((await cli(['images'])).stdout).not.toContain('UNSUPPORTED');
  });
});

describe('drydock ban --help', () => {
  it('shows examples for ban, ban show, unban and bans', async () => {
    for (const argv of [['ban'], ['ban', 'show'], ['unban'], ['bans']]) {
      const r = await runCli([...argv, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
  });
});

describe('drydock ban of an image nothing uses', () => {
  it('says in words that nothing is affected, not "0 image(s) affected"', async () => {
    const r = await cli(['ban', `${h.pipeline.registryHost}/base/busybox:1.35.0`, '--reason', 'unused']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Banned \S+busybox:1\.35\.0: ban-[0-9a-f]{12} \(policy version \d+\)\.\n/);
    expect(r.stdout).toContain(
      'No published image is built on it: nothing is marked, rebuilt or band-aided.',
    );
    expect(r.stdout).not.toContain('0 image(s)');
  });
});
