import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqlitePolicyVersions } from '../../../adapters/local/sqlite-policy-versions.js';
import { PolicyValidationError } from '../../../core/errors.js';
import { evaluateImage } from '../../../core/policy/evaluate-image.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { PolicyBan, PolicyChange } from '../../../core/ports/policy-store.js';
import { FilePolicyStore } from '../../../runtime/local/file-policy-store.js';
import {
  defaultLocalPolicy,
  ensurePolicyFile,
  readPolicyFile,
  watchedPolicy,
} from '../../../runtime/local/policy-store.js';

const HOST = '127.0.0.1:5000';
const dirs: string[] = [];
const closers: (() => void)[] = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-policy-store-'));
  dirs.push(dir);
  const path = await ensurePolicyFile(dir, HOST);
  const db = openStateDatabase(join(dir, 'state.db'));
  closers.push(() => db.close());
  const versions = new SqlitePolicyVersions(db);
  versions.record(readFileSync(path, 'utf8'), path);
  return { dir, path, versions, store: new FilePolicyStore(path, versions) };
}

const ban: PolicyBan = {
  banId: 'ban-0001',
  image: `${HOST}/base/busybox:1.36.0`,
  reason: 'CVE-2026-0001',
  replacement: `${HOST}/base/busybox:1.36.1`,
};
const change: PolicyChange = { by: 'root', at: '2026-12-07T18:00:00.000Z', why: 'CVE-2026-0001' };

describe('FilePolicyStore', () => {
  it('writes the ban into policy.yaml and records a version naming who, when and why', async () => {
    const { path, versions, store } = await setup();
    const before = readFileSync(path, 'utf8');
    const version = await store.addBan(ban, change);
    expect(version.version).toBe(2);
    const text = readFileSync(path, 'utf8');
    expect(parsePolicy(text).banned).toEqual([
      {
        image: ban.image,
        reason: ban.reason,
        replacement: ban.replacement,
        id: 'ban-0001',
        by: 'root',
        at: change.at,
      },
    ]);
    // Every line of the file before is still there: comments included.
    expect(before.split('\n').every((line) => text.split('\n').includes(line))).toBe(true);
    expect(versions.latest()).toMatchObject({
      version: 2,
      sha256: version.sha256,
      source: 'ban ban-0001 by root at 2026-12-07T18:00:00.000Z: CVE-2026-0001',
    });
    expect(versions.text(2)).toBe(text);
    expect((await store.current()).banned.map((b) => b.id)).toEqual(['ban-0001']);
  });

  it('changes nothing when the same ban is added twice', async () => {
    const { path, versions, store } = await setup();
    const first = await store.addBan(ban, change);
    const text = readFileSync(path, 'utf8');
    const { mtimeMs } = statSync(path);
    expect(await store.addBan(ban, { ...change, why: 'again' })).toEqual(first);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(statSync(path).mtimeMs).toBe(mtimeMs);
    expect(versions.history().length).toBe(2);
  });

  it('lifts a ban by id as a new version and gives back the text before it', async () => {
    const { path, versions, store } = await setup();
    const before = readFileSync(path, 'utf8');
    await store.addBan(ban, change);
    const lifted = await store.removeBan('ban-0001', {
      by: 'ops',
      at: '2026-12-07T19:00:00.000Z',
      why: 'fixed',
    });
    expect(lifted.version).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(versions.latest()?.source).toBe('unban ban-0001 by ops at 2026-12-07T19:00:00.000Z: fixed');
    expect(await store.removeBan('ban-0001', change)).toEqual(lifted);
    expect(await store.removeBan('ban-nope', change)).toEqual(lifted);
  });

  it('keeps the mode and the owner of the file', async () => {
    const { path, store } = await setup();
    chmodSync(path, 0o640);
    if (process.getuid?.() === 0) chownSync(path, 65534, 65534);
    await store.addBan(ban, change);
    const s = statSync(path);
    expect(s.mode & 0o7777).toBe(0o640);
    if (process.getuid?.() === 0) expect([s.uid, s.gid]).toEqual([65534, 65534]);
  });

  it('refuses a ban the policy cannot take and leaves file and versions as they were', async () => {
    const { dir, path, versions, store } = await setup();
    const before = readFileSync(path, 'utf8');
    await expect(store.addBan({ ...ban, replacement: `${HOST}/base/busybox:9.9` }, change)).rejects.toThrow(
      /banned\[0\]\.replacement: .*busybox:9\.9 is not allowed by the whitelist/,
    );
    await expect(store.addBan({ ...ban, banId: 'x' }, change)).rejects.toBeInstanceOf(PolicyValidationError);
    await expect(store.addBan(ban, { ...change, at: 'now' })).rejects.toThrow(/banned\[0\]\.at/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(versions.history().length).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to edit a hand-edited file that does not validate', async () => {
    const { path, versions, store } = await setup();
    writeFileSync(path, 'version: 1\nallowed: [{ image: x }]\n');
    await expect(store.addBan(ban, change)).rejects.toBeInstanceOf(PolicyValidationError);
    expect(readFileSync(path, 'utf8')).toBe('version: 1\nallowed: [{ image: x }]\n');
    expect(versions.history().length).toBe(1);
  });

  it('serialises concurrent writers: twenty bans at once all land', async () => {
    const { dir, path, versions, store } = await setup();
    const ids = Array.from({ length: 20 }, (_, i) => `ban-${String(i).padStart(4, '0')}`);
    await Promise.all(
      ids.map((banId, i) =>
        store.addBan({ banId, image: `${HOST}/base/busybox:0.${i}`, reason: `r${i}` }, change),
      ),
    );
    expect(
      parsePolicy(readFileSync(path, 'utf8'))
        .banned.map((b) => b.id)
        .sort(),
    ).toEqual(ids);
    expect(versions.history(50).length).toBe(21);
    await Promise.all(ids.map((banId) => store.removeBan(banId, change)));
    expect(readFileSync(path, 'utf8')).toBe(defaultLocalPolicy(HOST));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed write does not stop the next one', async () => {
    const { store } = await setup();
    await expect(store.addBan({ ...ban, banId: 'bad id' }, change)).rejects.toThrow();
    await expect(store.addBan(ban, change)).resolves.toMatchObject({ version: 2 });
  });

  it('is read by the watched policy the gate uses, from the next call on, without a second version', async () => {
    const { path, versions, store } = await setup();
    const recorded: string[] = [];
    const policy = watchedPolicy(
      path,
      await readPolicyFile(path),
      (error) => {
        throw error;
      },
      (text) => recorded.push(versions.record(text, path).version.source),
    );
    const from = `${HOST}/base/busybox:1.36.0`;
    const judge = async () =>
      evaluateImage(
        { text: from, kind: 'from', line: 1, column: 6, start: 5, end: 5 + from.length },
        await policy(),
        {
          project: 'shop',
          now: new Date('2026-12-07T18:30:00Z'),
        },
      );
    expect((await policy()).banned).toEqual([]);
    expect((await judge()).outcome).toBe('allowed');
    await store.addBan(ban, change);
    expect((await policy()).banned).toMatchObject([{ id: 'ban-0001', image: ban.image }]);
    expect(await judge()).toMatchObject({ outcome: 'substituted', to: ban.replacement, rule: 'banned[0]' });
    // A ban lifted and another without a replacement: the gate now refuses the base.
    await store.removeBan('ban-0001', change);
    await store.addBan({ ...ban, banId: 'ban-0002', replacement: undefined }, change);
    expect(await judge()).toMatchObject({ outcome: 'denied', code: 'banned' });
    // Each text the watcher applied was the version the store had recorded, with who, when and why.
    expect(recorded).toEqual([
      path,
      'ban ban-0001 by root at 2026-12-07T18:00:00.000Z: CVE-2026-0001',
      'ban ban-0002 by root at 2026-12-07T18:00:00.000Z: CVE-2026-0001',
    ]);
    expect(versions.history().length).toBe(4);
    const inForce = new FilePolicyStore(path, versions, { inForce: policy });
    expect((await inForce.current()).banned).toMatchObject([{ id: 'ban-0002' }]);
  });
});
