import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '../../../core/errors.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { maxConcurrentRebuilds } from '../../../core/policy/response-settings.js';

const HEAD = 'version: 1\nallowed: [{ image: debian, tags: ["*"] }]\n';

function issuesOf(text: string) {
  try {
    parsePolicy(text);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('the policy was accepted');
}

const bandAid = (command: string, params = '') =>
  `${HEAD}bandAids:\n  - id: b\n    description: d\n    command: ${command}\n    appliesTo: ["debian:*"]\n${params}`;

describe('band-aid parameters', () => {
  it('reads params and fills the rate-control defaults', () => {
    const policy = parsePolicy(
      bandAid(
        '["/bin/sh", "-c", "echo \\"$1\\"", "sh", "{{port}}"]',
        '    params:\n      port: { pattern: "[0-9]+", description: a port }\n',
      ),
    );
    expect(policy.bandAids[0]).toMatchObject({
      params: { port: { pattern: '[0-9]+', description: 'a port' } },
      timeoutSeconds: 60,
      maxConcurrency: 10,
      maxErrors: 0,
    });
    expect(parsePolicy(bandAid('["/bin/true"]')).bandAids[0]?.params).toEqual({});
  });

  it.each([
    ['["/bin/sh", "-c", "echo {{p}}"]'],
    ['["/usr/sbin/nginx", "--port={{p}}"]'],
    ['["/bin/echo", "{{p}}x"]'],
    ['["/bin/echo", "{{p}}{{p}}"]'],
  ])('refuses a placeholder that is part of an argv element: %s', (command) => {
    const issues = issuesOf(bandAid(command, '    params: { p: { pattern: "[a-z]+" } }\n'));
    expect(
      issues.some((i) => /^bandAids\[0\]\.command\[\d\]: a placeholder must be a whole argv element/.test(i)),
    ).toBe(true);
  });

  it.each([
    ['["/bin/sh", "-c", "{{p}}"]', '"-c"'],
    ['["/bin/bash", "-ec", "{{p}}"]', '"-ec"'],
    ['["/usr/bin/python3", "-c", "{{p}}"]', '"-c"'],
    ['["/usr/bin/node", "-e", "{{p}}"]', '"-e"'],
    ['["/usr/bin/node", "--eval", "{{p}}"]', '"--eval"'],
    ['["/usr/bin/env", "bash", "-c", "{{p}}"]', '"-c"'],
    ['["/bin/busybox", "sh", "-c", "{{p}}"]', '"-c"'],
    ['["/usr/bin/php", "-r", "{{p}}"]', '"-r"'],
    ['["/usr/bin/python3", "-m", "{{p}}"]', '"-m"'],
  ])('refuses a placeholder that is the script of an interpreter: %s', (command, option) => {
    expect(issuesOf(bandAid(command, '    params: { p: { pattern: "[a-z]+" } }\n'))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^bandAids\\[0\\]\\.command\\[\\d\\]: placeholder "\\{\\{p\\}\\}" follows ${option}, so its value would be run as program text`,
        ),
      ),
    );
  });

  it.each([
    ['["/usr/sbin/postconf", "-e", "{{p}}"]'],
    ['["/usr/bin/find", "/tmp", "-name", "{{p}}", "-delete"]'],
    ['["/bin/sh", "-c", "echo \\"$1\\"", "sh", "{{p}}"]'],
  ])('takes a placeholder that is data, not program text: %s', (command) => {
    expect(parsePolicy(bandAid(command, '    params: { p: { pattern: "[a-z]+" } }\n')).bandAids).toHaveLength(
      1,
    );
  });

  it('refuses a pattern that would close the anchoring group and match anything', () => {
    expect(
      issuesOf(bandAid('["/bin/echo", "{{p}}"]', '    params: { p: { pattern: "[0-9]+)|(.*" } }\n')),
    ).toEqual([
      expect.stringMatching(/^bandAids\[0\]\.params\.p\.pattern: is not a usable RE2 regular expression: /),
    ]);
  });

  it('refuses a placeholder naming no declared parameter, and a parameter never used', () => {
    expect(issuesOf(bandAid('["/bin/echo", "{{q}}"]', '    params: { p: { pattern: "x" } }\n'))).toEqual([
      'bandAids[0].command[1]: placeholder "{{q}}" names no declared parameter (declared: p)',
      'bandAids[0].params.p: parameter "p" is declared but command never uses {{p}}',
    ]);
    expect(issuesOf(bandAid('["/bin/echo", "{{q}}"]'))).toEqual([
      'bandAids[0].command[1]: placeholder "{{q}}" names no declared parameter (params declares none)',
    ]);
  });

  it('refuses a placeholder as the program', () => {
    expect(issuesOf(bandAid('["{{p}}"]', '    params: { p: { pattern: "/bin/true" } }\n'))).toContain(
      'bandAids[0].command[0]: the program (first element) must be an absolute path',
    );
  });

  it('refuses patterns that are not RE2, bad parameter names and unknown keys', () => {
    const issues = issuesOf(
      bandAid(
        '["/bin/echo", "{{p}}"]',
        '    params:\n      p: { pattern: "(a)\\\\1" }\n      Bad-Name: { pattern: "x" }\n      q: { pattern: "x", default: y }\n',
      ),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^bandAids\[0\]\.params\.p\.pattern: is not a usable RE2 regular expression/),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^bandAids\[0\]\.params\.Bad-Name: a parameter name must be/),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^bandAids\[0\]\.params\.q\.default: unknown key "default"/),
    );
  });

  it.each([
    ['timeoutSeconds: 0', 'bandAids[0].timeoutSeconds: must be at least 1'],
    ['timeoutSeconds: 3601', 'bandAids[0].timeoutSeconds: must be at most 3600 (one hour)'],
    ['timeoutSeconds: 1.5', 'bandAids[0].timeoutSeconds: must be a whole number of seconds'],
    ['maxConcurrency: 0', 'bandAids[0].maxConcurrency: must be at least 1'],
    ['maxErrors: -1', 'bandAids[0].maxErrors: must be at least 0'],
    ['maxErrors: "2"', 'bandAids[0].maxErrors: must be a whole number of failed runs'],
  ])('refuses %s', (line, issue) => {
    expect(issuesOf(bandAid('["/bin/true"]', `    ${line}\n`))).toEqual([issue]);
  });
});

describe('banned entries written by drydock ban', () => {
  it('keep the ban id, who and when', () => {
    const policy = parsePolicy(
      `${HEAD}banned:\n  - image: debian:buster\n    reason: EOL\n    id: ban-01abc\n    by: root\n    at: "2026-12-07T18:00:00.000Z"\n`,
    );
    expect(policy.banned[0]).toEqual({
      image: 'docker.io/library/debian:buster',
      reason: 'EOL',
      id: 'ban-01abc',
      by: 'root',
      at: '2026-12-07T18:00:00.000Z',
    });
  });

  it.each([
    ['id: 01abc', 'banned[0].id: must be a ban id like ban-1a2b3c'],
    ['id: "ban-a b"', 'banned[0].id: must be a ban id like ban-1a2b3c'],
    ['at: yesterday', 'banned[0].at: must be an ISO 8601 timestamp like 2026-12-07T18:00:00Z'],
    ['by: ""', 'banned[0].by: must not be empty'],
    ['who: root', 'banned[0].who: unknown key "who"'],
  ])('refuse %s', (line, issue) => {
    expect(
      issuesOf(`${HEAD}banned:\n  - image: debian:buster\n    reason: EOL\n    ${line}\n`),
    ).toContainEqual(expect.stringContaining(issue));
  });

  it('refuse one ban id twice', () => {
    expect(
      issuesOf(
        `${HEAD}banned:\n  - { image: "debian:buster", reason: a, id: ban-1 }\n  - { image: "debian:stretch", reason: b, id: ban-1 }\n`,
      ),
    ).toEqual(['banned[1].id: duplicate ban id "ban-1" (also banned[0])']);
  });
});

describe('response settings', () => {
  it('take the policy value, else the runtime fallback', () => {
    expect(maxConcurrentRebuilds(parsePolicy(`${HEAD}response: { maxConcurrentRebuilds: 3 }\n`), 8)).toBe(3);
    expect(maxConcurrentRebuilds(parsePolicy(HEAD), 8)).toBe(8);
  });

  it('refuse zero and unknown keys', () => {
    expect(issuesOf(`${HEAD}response: { maxConcurrentRebuilds: 0 }\n`)).toEqual([
      'response.maxConcurrentRebuilds: must be at least 1',
    ]);
    expect(issuesOf(`${HEAD}response: { maxConcurentRebuilds: 2 }\n`)).toContainEqual(
      expect.stringContaining('did you mean "maxConcurrentRebuilds"'),
    );
  });
});
