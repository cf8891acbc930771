import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PolicyIssue, PolicyValidationError } from '../../../core/errors.js';
import { parsePolicy, validatePolicy } from '../../../core/policy/parse-policy.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/policy/${name}`, import.meta.url), 'utf8');

function issuesOf(text: string, source?: string) {
  try {
    parsePolicy(text, source);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('parsePolicy', () => {
  it('reads a minimal YAML policy and fills absent lists', () => {
    expect(parsePolicy(fixture('valid/minimal.yaml'))).toEqual({
      version: 1,
      allowed: [{ image: 'docker.io/library/alpine', tags: ['3.20*'] }],
      exceptions: [],
      banned: [],
      substitutions: [],
      insecurePackages: [],
      bandAids: [],
      requireDigestListed: true,
      gate: { failureThreshold: 'warning', enforce: [] },
    });
  });

  it('reads the gate settings and rejects malformed ones with their path', () => {
    const base = 'version: 1\nallowed:\n  - image: alpine\n    tags: ["3.20*"]\n';
    expect(parsePolicy(`${base}gate:\n  failureThreshold: error\n  enforce: [DD110]\n`).gate).toEqual({
      failureThreshold: 'error',
      enforce: ['DD110'],
    });
    expect(() => parsePolicy(`${base}gate:\n  failureThreshold: none\n  enforce: [curl]\n`)).toThrow(
      /gate\.failureThreshold: must be one of error, warning, info, style[\s\S]*gate\.enforce\[0\]: must be a rule id/,
    );
  });

  it('reads a tab-indented JSON policy and normalises every image string', () => {
    const policy = parsePolicy(fixture('valid/full.json'));
    expect(policy.trustedRegistries).toEqual(['127.0.0.1:5000', 'docker.io']);
    expect(policy.allowed.map((e) => e.image)).toEqual([
      '127.0.0.1:5000/base/busybox',
      'docker.io/library/node',
      'docker.io/library/debian',
      'docker.io/library/debian',
    ]);
    expect(policy.exceptions[0]?.image).toBe('docker.io/library/node');
    expect(policy.banned.map((b) => [b.image, b.replacement])).toEqual([
      ['docker.io/library/debian:buster', 'docker.io/library/debian:bookworm-slim'],
      [`sha256:${'2'.repeat(64)}`, undefined],
      ['127.0.0.1:5000/base/busybox:1.0', undefined],
    ]);
    expect(policy.substitutions[0]).toMatchObject({
      from: 'docker.io/library/node:18*',
      to: 'docker.io/library/node:20-bookworm-slim',
    });
    expect(policy.insecurePackages.map((p) => p.versions)).toEqual([['1.0.1f'], ['<4.17.21']]);
    expect(policy.bandAids[0]?.appliesTo).toEqual(['docker.io/library/debian:*']);
  });

  it('reads examples/policy.yaml', () => {
    const policy = parsePolicy(
      readFileSync(new URL('../../../examples/policy.yaml', import.meta.url), 'utf8'),
    );
    expect(policy.allowed).toHaveLength(5);
    expect(policy.bandAids.map((b) => b.id)).toEqual(['disable-legacy-tls', 'restrict-postfix-relay']);
  });

  it('parses its own normalised output to the same policy', () => {
    const policy = parsePolicy(fixture('valid/full.json'));
    expect(parsePolicy(JSON.stringify(policy))).toEqual(policy);
  });

  it.each<
    [file: string, path: string, message: string, line: number | undefined, column: number | undefined]
  >([
    ['unknown-keys.yaml', 'allowed[0].tgas', 'unknown key "tgas" (did you mean "tags"?)', 5, 5],
    ['unknown-keys.yaml', 'exeptions', 'unknown key "exeptions" (did you mean "exceptions"?)', 7, 1],
    ['numeric-tags.yaml', 'allowed[2].tags[0]', 'must be a glob string (quote it', 8, 12],
    ['numeric-tags.yaml', 'allowed[2].versions', 'must be a semver range string', 9, 15],
    [
      'bad-images.yaml',
      'allowed[0].image',
      'invalid image "Node" at position 1: repository name must be lowercase',
      3,
      12,
    ],
    ['bad-images.yaml', 'allowed[1].image', '"node:20" names a tag', 5, 12],
    ['bad-images.yaml', 'allowed[2].image', 'wildcards are not allowed in the registry host', 7, 12],
    [
      'bad-images.yaml',
      'banned[0].image',
      'at position 22: a sha256 digest has 64 hex characters, not 3',
      10,
      12,
    ],
    ['bad-targets.yaml', 'banned[0].replacement', 'debian:bullseye is not allowed by the whitelist', 10, 18],
    ['bad-targets.yaml', 'substitutions[0].to', 'node:21 is itself banned by banned[1]', 15, 9],
    ['bad-targets.yaml', 'substitutions[1].to', 'would be substituted again by substitutions[0]', 18, 9],
    ['target-shapes.yaml', 'substitutions[0].to', '"node:20*" has a wildcard', 7, 9],
    ['target-shapes.yaml', 'substitutions[1].to', '"node" names no tag or digest', 10, 9],
    ['target-shapes.yaml', 'substitutions[2].to', 'repository name must be lowercase', 13, 9],
    ['bad-exceptions.yaml', 'exceptions[0].expires', 'must be a real date written YYYY-MM-DD', 9, 14],
    ['bad-exceptions.yaml', 'exceptions[1].expires', 'must be a real date written YYYY-MM-DD', 13, 14],
    ['bad-exceptions.yaml', 'exceptions[1].reason', 'is required', 11, 5],
    ['bad-exceptions.yaml', 'exceptions[2].project', 'must be a project name', 14, 14],
    ['bad-exceptions.yaml', 'exceptions[2].reason', 'must not be empty', 18, 13],
    ['bad-band-aids.yaml', 'bandAids[0].command', 'must be an argv array', 8, 14],
    ['bad-band-aids.yaml', 'bandAids[1].id', 'must be a kebab-case id', 10, 9],
    ['bad-band-aids.yaml', 'bandAids[1].command[0]', 'must be an absolute path', 12, 15],
    ['bad-band-aids.yaml', 'bandAids[1].appliesTo', 'must not be empty', 13, 16],
    ['untrusted-entry.yaml', 'allowed[1].image', 'registry "quay.io" is not in trustedRegistries', 6, 12],
    [
      'insecure-packages.yaml',
      'insecurePackages[0].ecosystem',
      'must be one of apt, apk, rpm, pip, npm, gem, maven, any',
      6,
      16,
    ],
    ['insecure-packages.yaml', 'insecurePackages[1].versions[0]', 'not a valid semver range', 12, 16],
    ['insecure-packages.yaml', 'insecurePackages[2].versions', 'must not be empty', 16, 15],
    ['no-tag-rule.yaml', 'allowed[0]', 'needs tags, versions or digests', 3, 5],
    ['syntax-error.yaml.txt', '', 'YAML syntax: Flow sequence in block collection', 5, 3],
    ['syntax-error.json', '', 'YAML syntax: Missing , between flow map items', 6, 3],
    ['duplicate-key.yaml', '', 'YAML syntax: Map keys must be unique', 5, 1],
    ['wrong-types.json', 'version', 'must be 1', 2, 14],
    ['wrong-types.json', 'allowed', 'must be a list of whitelist entries', 3, 14],
    ['wrong-types.json', 'banned[0].reason', 'is required', 4, 14],
    ['empty.yaml', '', 'the policy is empty', undefined, undefined],
  ])('reports %s: %s', (file, path, message, line, column) => {
    const issue = issuesOf(fixture(`invalid/${file}`)).find(
      (i) => i.path === path && i.message.includes(message),
    );
    expect(issue, `no issue at ${path} containing ${message}`).toBeDefined();
    expect([issue?.line, issue?.column]).toEqual([line, column]);
  });

  it('reports a band-aid id used twice once the schema passes', () => {
    const text = [
      'version: 1',
      'allowed: [{ image: debian, tags: ["*"] }]',
      'bandAids:',
      '  - { id: a, description: x, command: ["/bin/true"], appliesTo: ["debian:*"] }',
      '  - { id: a, description: y, command: ["/bin/true"], appliesTo: ["debian:*"] }',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      { path: 'bandAids[1].id', message: 'duplicate id "a" (also bandAids[0])', line: 5, column: 11 },
    ]);
  });

  it('throws a PolicyValidationError with a stable code, the source name and every issue in the message', () => {
    let caught: unknown;
    try {
      parsePolicy(fixture('invalid/unknown-keys.yaml'), 'policy.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyValidationError);
    const error = caught as PolicyValidationError;
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.name).toBe('PolicyValidationError');
    expect(error.message).toBe(
      'policy.yaml: invalid policy (2 problems):\n' +
        '  line 5, column 5: allowed[0].tgas: unknown key "tgas" (did you mean "tags"?)\n' +
        '  line 7, column 1: exeptions: unknown key "exeptions" (did you mean "exceptions"?)',
    );
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- version: 1\n')).toEqual([
      { path: '', message: 'must be a mapping, not a list', line: 1, column: 1 },
    ]);
  });

  it('cuts a huge echoed value to 80 characters with its length', () => {
    expect(issuesOf(`${'a'.repeat(2_097_152)}\n`)).toEqual([
      {
        path: '',
        message: `must be a mapping, not the string "${'a'.repeat(80)}…" (2097152 characters)`,
        line: 1,
        column: 1,
      },
    ]);
    const image = `${'A'.repeat(5000)}:1`;
    const [issue] = issuesOf(`version: 1\nallowed: [{ image: "${image}", tags: ["*"] }]\n`);
    expect(issue?.message).toBe(
      `invalid image "${'A'.repeat(80)}…" (5002 characters) at position 1: repository name must be lowercase ("${'A'.repeat(80)}…" (5000 characters))`,
    );
  });

  it('reads requireDigestListed as a boolean, true unless written false', () => {
    const text = 'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\n';
    expect(parsePolicy(text).requireDigestListed).toBe(true);
    expect(parsePolicy(`${text}requireDigestListed: false\n`).requireDigestListed).toBe(false);
    expect(issuesOf(`${text}requireDigestListed: "yes"\n`)).toEqual([
      { path: 'requireDigestListed', message: 'must be true or false', line: 3, column: 22 },
    ]);
  });

  it('refuses a replacement pinned to a digest its whitelist entry does not list', () => {
    const text = [
      'version: 1',
      `allowed: [{ image: debian, tags: ["bookworm*"], digests: ["sha256:${'1'.repeat(64)}"] }]`,
      'banned:',
      `  - { image: "debian:buster", reason: EOL, replacement: "debian:bookworm@sha256:${'9'.repeat(64)}" }`,
    ].join('\n');
    expect(issuesOf(text)[0]).toMatchObject({
      path: 'banned[0].replacement',
      message: expect.stringContaining('is not allowed by the whitelist'),
    });
  });

  it('rejects more than one YAML document', () => {
    expect(issuesOf('version: 1\nallowed: []\n---\nversion: 1\n')[0]?.message).toContain('YAML syntax');
  });

  it('rejects an alias bomb instead of expanding it', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      rows.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(() => parsePolicy(`${rows.join('\n')}\nversion: 1\nallowed: []\n`)).toThrow(PolicyValidationError);
    expect(issuesOf(`${rows.join('\n')}\nversion: 1\nallowed: []\n`)[0]?.message).toMatch(/alias/i);
  });
});

describe('validatePolicy', () => {
  it('validates an already-parsed value and names field paths without lines', () => {
    expect(() => validatePolicy({ version: 1, allowed: [{ image: 'node', tags: [20] }] })).toThrow(
      PolicyValidationError,
    );
    try {
      validatePolicy({ version: 1, allowed: [{ image: 'node', tags: [20] }] });
    } catch (error) {
      expect((error as PolicyValidationError).issues).toEqual([
        {
          path: 'allowed[0].tags[0]',
          message: 'must be a glob string (quote it: YAML reads 1.10 as the number 1.1)',
        },
      ]);
    }
  });

  it('names every missing required field', () => {
    try {
      validatePolicy({
        allowed: [],
        exceptions: [{ project: 'p', image: 'node', tags: ['1'], reason: 'r' }],
      });
    } catch (error) {
      expect((error as PolicyValidationError).issues).toEqual([
        { path: 'version', message: 'is required' },
        { path: 'exceptions[0].expires', message: 'is required' },
      ]);
      return;
    }
    throw new Error('the policy was accepted');
  });

  it('names a huge unknown key cut short, without spending seconds on "did you mean"', () => {
    const key = 'a'.repeat(2_000_000);
    const started = performance.now();
    let issues: readonly PolicyIssue[] = [];
    try {
      validatePolicy({ version: 1, allowed: [], [key]: 1 });
    } catch (error) {
      issues = (error as PolicyValidationError).issues;
    }
    // Milliseconds with the length check; an edit distance against every known key takes tens of seconds.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(issues).toEqual([
      { path: `${'a'.repeat(80)}…`, message: `unknown key "${'a'.repeat(80)}…" (2000000 characters)` },
    ]);
  });

  it('accepts a whitelist that allows every tag only when it says so', () => {
    expect(validatePolicy({ version: 1, allowed: [{ image: 'node', tags: ['*'] }] }).allowed).toHaveLength(1);
  });
});
