import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyValidationError } from '../../../core/errors.js';
import { RULES } from '../../../core/lint/rules/index.js';
import { evaluateImage, type Policy, parsePolicy } from '../../../core/policy/index.js';
import {
  DEFAULT_BASE_VERSIONS,
  DEFAULT_ENFORCED_RULES,
  defaultLocalPolicy,
  ensurePolicyFile,
  POLICY_FILE,
  readPolicyFile,
  watchedPolicy,
} from '../../../runtime/local/policy-store.js';

const HOST = '127.0.0.1:5000';
const now = new Date('2026-05-01T12:00:00Z');
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-policy-'));
  dirs.push(dir);
  return dir;
}

/** What the policy says about one FROM reference, as `allowed` or the deny code. */
function outcome(policy: Policy, text: string): string {
  const v = evaluateImage(
    { text, kind: 'from', line: 1, column: 6, start: 5, end: 5 + text.length },
    policy,
    {
      project: 'shop',
      now,
    },
  );
  return v.outcome === 'denied' ? v.code : v.outcome;
}

/** A policy that admits only busybox `tag` from the local registry. */
const onlyTag = (tag: string) =>
  `version: 1\ntrustedRegistries: ["${HOST}"]\nallowed:\n  - image: ${HOST}/base/busybox\n    tags: ["${tag}"]\n`;

describe('defaultLocalPolicy', () => {
  const policy = parsePolicy(defaultLocalPolicy(HOST));

  it('validates and trusts only the pipeline registry', () => {
    expect(policy.trustedRegistries).toEqual([HOST]);
  });

  // Security rules a team may waive with a reason; every other DD1xx at warning or error must be enforced.
  const WAIVABLE: Record<string, string> = {
    DD101: 'a root final user is hardening advice: images that drop privileges in their entrypoint are fine',
    DD113: 'an SSH server may be the product (sftp, bastion); DD116 enforces its configuration',
    DD122: 'an index update alone is build hygiene, not security',
  };

  it('enforces every DD1xx security rule, so no team config can silence one', () => {
    const security = RULES.filter(
      (r) => r.id.startsWith('DD1') && (r.level === 'error' || r.level === 'warning') && !(r.id in WAIVABLE),
    ).map((r) => r.id);
    expect(security).toEqual(expect.arrayContaining(['DD106', 'DD115', 'DD121']));
    expect(policy.gate.enforce).toEqual(expect.arrayContaining(security));
    expect(DEFAULT_ENFORCED_RULES).toEqual(policy.gate.enforce);
  });

  it('names only rules that exist and are not waivable', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const id of policy.gate.enforce) {
      expect(ids.has(id), id).toBe(true);
      expect(WAIVABLE[id], id).toBeUndefined();
    }
  });

  it.each(DEFAULT_BASE_VERSIONS.map((v) => [`${HOST}/base/busybox:${v}`]))('admits %s', (ref) => {
    expect(outcome(policy, ref)).toBe('allowed');
  });

  it('requires a digest-pinned seeded base to have its digest listed, and admits it once it is', () => {
    const digest = `sha256:${'5'.repeat(64)}`;
    const pinned = `${HOST}/base/busybox:1.36.1@${digest}`;
    expect(policy.requireDigestListed).toBe(true);
    expect(outcome(policy, pinned)).toBe('not-whitelisted');
    const listed = defaultLocalPolicy(HOST).replace(
      '    note: ops-built',
      `    digests: ["${digest}"]\n    note: ops-built`,
    );
    expect(outcome(parsePolicy(listed), pinned)).toBe('allowed');
    expect(outcome(parsePolicy(listed), `${HOST}/base/busybox:1.36.1`)).toBe('allowed');
  });

  it.each([
    [`${HOST}/base/busybox:1.36.2`, 'not-whitelisted'],
    [`${HOST}/base/busybox:1.36`, 'not-whitelisted'],
    [`${HOST}/base/busybox:1.36.0-musl`, 'not-whitelisted'],
    [`${HOST}/base/busybox`, 'not-whitelisted'],
    [`${HOST}/base/debian:bookworm`, 'not-whitelisted'],
    [`${HOST}/apps/busybox:1.36.0`, 'not-whitelisted'],
    ['busybox:1.36.0', 'untrusted-registry'],
    ['127.0.0.1:5001/base/busybox:1.36.0', 'untrusted-registry'],
    ['localhost:5000/base/busybox:1.36.0', 'untrusted-registry'],
  ])('denies %s (%s)', (ref, code) => {
    expect(outcome(policy, ref)).toBe(code);
  });
});

describe('ensurePolicyFile', () => {
  it('writes the default policy for the registry when the state dir has none', async () => {
    const dir = tempDir();
    const path = await ensurePolicyFile(dir, HOST);
    expect(path).toBe(join(dir, POLICY_FILE));
    expect(readFileSync(path, 'utf8')).toBe(defaultLocalPolicy(HOST));
  });

  it('never overwrites a policy someone edited', async () => {
    const dir = tempDir();
    const path = join(dir, POLICY_FILE);
    writeFileSync(path, onlyTag('1.35.0'));
    await ensurePolicyFile(dir, HOST);
    await ensurePolicyFile(dir, '127.0.0.1:6000');
    expect(readFileSync(path, 'utf8')).toBe(onlyTag('1.35.0'));
  });

  it('fails when the state dir does not exist', async () => {
    await expect(ensurePolicyFile(join(tempDir(), 'missing'), HOST)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('readPolicyFile', () => {
  it('names the file and every problem of an invalid policy', async () => {
    const path = join(tempDir(), POLICY_FILE);
    writeFileSync(path, 'version: 2\nallowed: nope\n');
    const error = await readPolicyFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as Error).message).toContain(`${path}: invalid policy (`);
  });
});

describe('watchedPolicy', () => {
  function watched(text = onlyTag('1.36.0')) {
    const path = join(tempDir(), POLICY_FILE);
    writeFileSync(path, text);
    const problems: Error[] = [];
    const applied: string[] = [];
    const policy = watchedPolicy(
      path,
      parsePolicy(text),
      (e) => problems.push(e),
      (appliedText) => applied.push(appliedText),
    );
    return { path, problems, applied, policy };
  }

  it('reads the file again after it changes', async () => {
    const { path, problems, policy } = watched();
    expect(outcome(await policy(), `${HOST}/base/busybox:1.36.0`)).toBe('allowed');
    writeFileSync(path, onlyTag('1.37.0'));
    const next = await policy();
    expect(outcome(next, `${HOST}/base/busybox:1.37.0`)).toBe('allowed');
    expect(outcome(next, `${HOST}/base/busybox:1.36.0`)).toBe('not-whitelisted');
    expect(problems).toEqual([]);
  });

  it('keeps the last valid policy and reports an invalid edit once', async () => {
    const { path, problems, policy } = watched();
    await policy();
    writeFileSync(path, `${onlyTag('1.37.0')}allowd: []\n`);
    for (let i = 0; i < 3; i++) {
      expect(outcome(await policy(), `${HOST}/base/busybox:1.36.0`)).toBe('allowed');
      expect(outcome(await policy(), `${HOST}/base/busybox:1.37.0`)).toBe('not-whitelisted');
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(PolicyValidationError);
    expect(problems[0]?.message).toContain('allowd');
    // Fixing the edit applies it.
    writeFileSync(path, onlyTag('1.37.0'));
    expect(outcome(await policy(), `${HOST}/base/busybox:1.37.0`)).toBe('allowed');
    expect(problems).toHaveLength(1);
  });

  it('keeps the policy in force while the file is deleted, and reads it once it is back', async () => {
    const { path, problems, policy } = watched();
    await policy();
    rmSync(path);
    expect(outcome(await policy(), `${HOST}/base/busybox:1.36.0`)).toBe('allowed');
    expect(outcome(await policy(), `${HOST}/base/busybox:1.36.0`)).toBe('allowed');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'ENOENT' });
    writeFileSync(path, onlyTag('1.36.0'));
    expect(outcome(await policy(), `${HOST}/base/busybox:1.36.0`)).toBe('allowed');
    writeFileSync(path, onlyTag('1.37.0'));
    expect(outcome(await policy(), `${HOST}/base/busybox:1.37.0`)).toBe('allowed');
    expect(problems).toHaveLength(1);
  });

  it('tells each text it applies, and not an invalid one', async () => {
    const { path, applied, policy } = watched();
    await policy();
    await policy();
    writeFileSync(path, 'version: 1\nallowed: nope\n');
    await policy();
    writeFileSync(path, onlyTag('1.37.0'));
    await policy();
    expect(applied).toEqual([onlyTag('1.36.0'), onlyTag('1.37.0')]);
  });
});
