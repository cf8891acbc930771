import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBuildLogs } from '../../../adapters/local/file-build-logs.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../../adapters/local/git-build-context.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { openStateDatabase, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import { type BuildStepDeps, runBuild } from '../../../core/pipeline/build-step.js';
import { buildRequestedAt } from '../../fixtures/pipeline/pipeline-state.js';
import { type LocalRegistry, startLocalRegistry } from '../../helpers/local-registry.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let local: LocalRegistry;
let db: StateDatabase;
let deps: BuildStepDeps;
let repoPath: string;
let commit: string;
let tool: string;
// Two different images in one repository of the pipeline's registry: base/tool:1 and base/tool:2.
const digests: Record<'1' | '2', string> = { '1': '', '2': '' };

beforeAll(async () => {
  local = await startLocalRegistry('drydock-pinned-tag-');
  tool = `${local.host}/base/tool`;
  const files = join(local.stateDir, 'files');
  mkdirSync(files);
  for (const version of ['1', '2'] as const) {
    writeFileSync(join(files, 'version'), `${version}\n`);
    const container = (await local.tool('buildah', ['from', 'scratch'])).trim();
    await local.tool('buildah', ['copy', container, join(files, 'version'), '/version']);
    await local.tool('buildah', ['commit', '--quiet', '--rm', container, `localhost/tool:${version}`]);
    const pushed = await local.registry.push(`localhost/tool:${version}`, {
      repository: 'base/tool',
      tag: version,
    });
    digests[version] = pushed.digest;
  }

  const repos = join(local.stateDir, 'repos');
  repoPath = (await createBareRepository(repos, 'team-a', ['true'])).path;
  const work = join(local.stateDir, 'work');
  git(local.stateDir, 'init', '--quiet', '--initial-branch=main', work);
  const definitions: Record<string, string> = {
    // The tag the gate and the whitelist see is 2; the digest the builder pulls is 1's.
    'apps/mispinned/Dockerfile': `FROM ${tool}:2@${digests['1']}\nCOPY greeting.txt /greeting.txt\n`,
    'apps/copy-mispinned/Dockerfile': `FROM ${tool}:2\nCOPY --from=${tool}:2@${digests['1']} /version /v1\n`,
    'apps/no-such-tag/Dockerfile': `FROM ${tool}:3@${digests['1']}\nCOPY greeting.txt /greeting.txt\n`,
    'apps/pinned/Dockerfile': `FROM ${tool}:2@${digests['2']}\nCOPY greeting.txt /greeting.txt\n`,
    'apps/by-digest/Dockerfile': `FROM ${tool}@${digests['1']}\nCOPY greeting.txt /greeting.txt\n`,
  };
  for (const [path, text] of Object.entries(definitions)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    writeFileSync(join(work, path), text);
    writeFileSync(join(work, path, '..', 'greeting.txt'), 'hello\n');
  }
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'definitions');
  git(work, 'push', '--quiet', repoPath, 'main');
  commit = git(work, 'rev-parse', 'HEAD');

  db = openStateDatabase(join(local.stateDir, 'state.db'));
  const logs = new FileBuildLogs(local.stateDir);
  deps = {
    context: new GitBuildContext(repos),
    builder: local.builder,
    registry: local.registry,
    records: new SqliteBuildRecords(db),
    workspace: tempBuildWorkspaces(join(local.stateDir, 'containers', 'tmp')),
    logSink: (id) => logs.open(id),
    timeoutMs: 120_000,
  };
}, 120_000);

afterAll(async () => {
  db?.close();
  await local?.stop();
});

const requested = (definition: string) => buildRequestedAt(repoPath, 'team-a', commit, definition);

describe('runBuild with a name:tag@digest base', () => {
  it('refuses FROM tool:2@<digest of tool:1>, naming both digests, without building', async () => {
    const event = await requested('apps/mispinned/Dockerfile');
    const outcome = await runBuild(event, deps);
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: {
        stage: 'build',
        reason:
          `line 1: ${tool}:2@${digests['1']}: the tag 2 points at ${digests['2']}, not the pinned digest; ` +
          `pin the digest the tag points at, or write ${tool}@${digests['1']} without the tag`,
      },
    });
    const record = await deps.records.get(event.detail.buildId);
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'failed']);
  });

  it('refuses the same in COPY --from', async () => {
    const outcome = await runBuild(await requested('apps/copy-mispinned/Dockerfile'), deps);
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(outcome.detail.reason).toMatch(
      /^line 2: .*: the tag 2 points at sha256:[0-9a-f]{64}, not the pinned/,
    );
  });

  it('refuses a pinned tag that does not exist', async () => {
    const outcome = await runBuild(await requested('apps/no-such-tag/Dockerfile'), deps);
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: {
        reason: expect.stringContaining(
          `${tool}:3@${digests['1']}: the tag 3 does not exist, so the pinned digest cannot be checked against it`,
        ),
      },
    });
  });

  it('builds on a tag pinned to its own digest, and on a digest written without a tag, recording what it used', async () => {
    const pinned = await runBuild(await requested('apps/pinned/Dockerfile'), deps);
    expect(pinned).toMatchObject({
      detailType: 'Build Completed',
      detail: { bases: [{ name: `${tool}:2@${digests['2']}`, digest: digests['2'] }] },
    });
    const byDigest = await runBuild(await requested('apps/by-digest/Dockerfile'), deps);
    expect(byDigest).toMatchObject({
      detailType: 'Build Completed',
      detail: { bases: [{ name: `${tool}@${digests['1']}`, digest: digests['1'] }] },
    });
  });
});
