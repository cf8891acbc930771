import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '../../../core/errors.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import {
  addBanToPolicyText,
  removeBanFromPolicyText,
  type WrittenBan,
} from '../../../core/policy/policy-bans.js';
import { defaultLocalPolicy } from '../../../runtime/local/policy-store.js';

const REGISTRY = '127.0.0.1:5000';
const local = defaultLocalPolicy(REGISTRY);
const ban: WrittenBan = {
  banId: 'ban-01abc',
  image: `${REGISTRY}/base/busybox:1.36.0`,
  reason: 'CVE-2026-0001: see #12',
  replacement: `${REGISTRY}/base/busybox:1.36.1`,
  by: 'root',
  at: '2026-12-07T18:00:00.000Z',
};

const commentLines = (text: string) => text.split('\n').filter((l) => l.trimStart().startsWith('#'));

describe('addBanToPolicyText', () => {
  it('adds a banned list to the default local policy, keeping every comment and entry', () => {
    const out = addBanToPolicyText(local, ban);
    const policy = parsePolicy(out);
    expect(policy.banned).toEqual([
      {
        image: `${REGISTRY}/base/busybox:1.36.0`,
        reason: 'CVE-2026-0001: see #12',
        replacement: `${REGISTRY}/base/busybox:1.36.1`,
        id: 'ban-01abc',
        by: 'root',
        at: '2026-12-07T18:00:00.000Z',
      },
    ]);
    const { banned: _, ...rest } = policy;
    const { banned: __, ...before } = parsePolicy(local);
    expect(rest).toEqual(before);
    for (const line of commentLines(local)) expect(out).toContain(line);
    // Only lines are added: the text before is the text after with the ban's lines taken out.
    const added = out.split('\n').filter((l) => !local.split('\n').includes(l));
    expect(local.split('\n').every((l) => out.split('\n').includes(l))).toBe(true);
    expect(added.join('\n')).toMatch(/^# Bans published with drydock ban[^\n]*\nbanned:\n {2}- image: /);
  });

  it('changes nothing when the ban id is there already', () => {
    const once = addBanToPolicyText(local, ban);
    expect(addBanToPolicyText(once, ban)).toBe(once);
    expect(addBanToPolicyText(once, { ...ban, reason: 'other words' })).toBe(once);
  });

  it('appends to an existing banned list and keeps its hand-written entries and comments', () => {
    const text = `version: 1
allowed:
  - image: debian
    tags: ["bookworm-slim", "buster*"]
banned: # hand-kept
  # Debian 10 is out of support
  - image: debian:buster*
    reason: Debian 10 is end of life
    replacement: debian:bookworm-slim # the LTS one
substitutions: []
`;
    const out = addBanToPolicyText(text, { ...ban, image: 'debian:stretch', replacement: undefined });
    expect(out).toBe(
      `${text.replace(
        'substitutions: []',
        `  - image: debian:stretch
    reason: "CVE-2026-0001: see #12"
    id: "ban-01abc"
    by: root
    at: "2026-12-07T18:00:00.000Z"
substitutions: []`,
      )}`,
    );
    expect(parsePolicy(out).banned.map((b) => b.id)).toEqual([undefined, 'ban-01abc']);
  });

  it('turns an empty flow list into a block list', () => {
    const text = 'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\nbanned: []\n';
    const out = addBanToPolicyText(text, { ...ban, image: 'debian:buster', replacement: undefined });
    expect(out).toContain('banned:\n  - image: debian:buster\n');
    expect(parsePolicy(out).banned).toHaveLength(1);
  });

  it('keeps a JSON policy JSON-shaped', () => {
    const text = '{\n\t"version": 1,\n\t"allowed": [{ "image": "debian", "tags": ["*"] }]\n}\n';
    const out = addBanToPolicyText(text, { ...ban, image: 'debian:buster', replacement: undefined });
    expect(out).not.toContain('# Bans');
    expect(out.startsWith('{')).toBe(true);
    expect(parsePolicy(out).banned[0]?.id).toBe('ban-01abc');
  });

  it('writes text that looks like YAML syntax as text', () => {
    const tricky = {
      ...ban,
      reason: 'x\nbanned: []\n- image: "*"\n&a *a !!js/function {{p}}',
      by: 'ops: "evil"',
    };
    const policy = parsePolicy(addBanToPolicyText(local, tricky));
    expect(policy.banned).toHaveLength(1);
    expect(policy.banned[0]).toMatchObject({ reason: tricky.reason, by: tricky.by });
  });

  it('refuses a ban whose replacement the policy does not allow, and a ban that is not a valid entry', () => {
    expect(() => addBanToPolicyText(local, { ...ban, replacement: `${REGISTRY}/base/busybox:9.9` })).toThrow(
      PolicyValidationError,
    );
    expect(() => addBanToPolicyText(local, { ...ban, replacement: `${REGISTRY}/base/busybox:9.9` })).toThrow(
      /banned\[0\]\.replacement: .*busybox:9\.9 is not allowed by the whitelist/,
    );
    expect(() => addBanToPolicyText(local, { ...ban, banId: 'nope' })).toThrow(
      /banned\[0\]\.id: must be a ban id/,
    );
    expect(() => addBanToPolicyText(local, { ...ban, image: 'Not A Ref' })).toThrow(/banned\[0\]\.image/);
  });

  it('refuses text that is not a valid policy', () => {
    expect(() => addBanToPolicyText('version: 2\n', ban, 'policy.yaml')).toThrow(
      /^policy\.yaml: invalid policy/,
    );
  });
});

describe('removeBanFromPolicyText', () => {
  it('gives back the text as it was before the ban was added, comment and all', () => {
    expect(removeBanFromPolicyText(addBanToPolicyText(local, ban), ban.banId)).toBe(local);
  });

  it('leaves an emptied hand-made banned key out too', () => {
    const text =
      'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\nbanned:\n  - { image: "debian:buster", reason: EOL, id: ban-9 }\nsubstitutions: []\n';
    expect(removeBanFromPolicyText(text, 'ban-9')).toBe(
      'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\nsubstitutions: []\n',
    );
  });

  it('removes only the entry with the id', () => {
    const two = addBanToPolicyText(addBanToPolicyText(local, ban), {
      ...ban,
      banId: 'ban-02def',
      image: `${REGISTRY}/base/busybox:1.35*`,
      replacement: undefined,
    });
    const out = removeBanFromPolicyText(two, 'ban-01abc');
    expect(parsePolicy(out).banned.map((b) => [b.id, b.image])).toEqual([
      ['ban-02def', `${REGISTRY}/base/busybox:1.35*`],
    ]);
    for (const line of commentLines(local)) expect(out).toContain(line);
  });

  it('changes nothing when no entry has the id, and leaves hand-written entries alone', () => {
    const text =
      'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\nbanned:\n  - { image: "debian:buster", reason: EOL }\n';
    expect(removeBanFromPolicyText(text, 'ban-01abc')).toBe(text);
    expect(removeBanFromPolicyText(local, 'ban-01abc')).toBe(local);
  });
});

describe('the example policy', () => {
  it('takes a ban and gives it back', () => {
    const example = readFileSync(new URL('../../../examples/policy.yaml', import.meta.url), 'utf8');
    const out = addBanToPolicyText(example, { ...ban, image: 'debian:stretch', replacement: undefined });
    expect(parsePolicy(out).banned.at(-1)?.id).toBe('ban-01abc');
    for (const line of commentLines(example)) expect(out).toContain(line);
    expect(removeBanFromPolicyText(out, 'ban-01abc')).toBe(example);
  });
});
