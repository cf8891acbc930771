import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitDefinitionSource } from '../../../adapters/local/git-definition-source.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { parseEvent } from '../../../core/events/index.js';
import { handlePush } from '../../../core/gate/handle-push.js';
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
  const definition = 'FROM node:20\nRUN apt-get install -y curl\nUSER 1000\n';
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
