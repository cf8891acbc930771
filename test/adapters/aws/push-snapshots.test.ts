import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  capturePush,
  DefinitionsNotFoundError,
  type PushReport,
} from '../../../adapters/aws/push-snapshots.js';
import {
  contextFilesKey,
  contextKey,
  definitionKey,
  S3SnapshotStore,
} from '../../../adapters/aws/s3-snapshot-store.js';
import { zipEntries } from '../../../adapters/aws/zip-subtree.js';
import { ManualClock } from '../../contracts/manual-clock.js';
import { FakeGitProvider, TREE } from './fake-git-provider.js';

const BEFORE = '51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d';
const AFTER = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const ZERO = '0'.repeat(40);
const REPO = 'github.com/acme/payments';
const s3 = mockClient(S3Client);
const store = new S3SnapshotStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'snapshots' });
const clock = new ManualClock();
const push = (over: Partial<PushReport> = {}): PushReport => ({
  repository: REPO,
  ref: 'refs/heads/main',
  before: BEFORE,
  after: AFTER,
  pusher: 'alice',
  ...over,
});
const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});
afterEach(() => s3.reset());

describe('capturePush', () => {
  it('finds the definitions a push changed, snapshots their texts and contexts, and builds Definition Pushed', async () => {
    // A change inside the api context, a new worker definition, a deleted one elsewhere.
    const github = new FakeGitProvider([
      { status: 'M', path: 'services/api/data.txt' },
      { status: 'A', path: 'services/worker/Dockerfile' },
      { status: 'D', path: 'legacy/Dockerfile' },
      { status: 'M', path: 'docs/README.md' },
    ]);
    const out = await capturePush(push(), { providers: async () => [github], store, clock });
    if (!('event' in out)) throw new Error(out.skipped);
    expect(out.event).toMatchObject({
      source: 'drydock',
      detailType: 'Definition Pushed',
      time: clock.now().toISOString(),
      detail: {
        repository: REPO,
        ref: 'refs/heads/main',
        before: BEFORE,
        after: AFTER,
        pusher: 'alice',
        definitions: [
          { path: 'Dockerfile', change: 'modified' },
          { path: 'legacy/Dockerfile', change: 'deleted' },
          { path: 'services/api/Dockerfile', change: 'modified' },
          { path: 'services/worker/Dockerfile', change: 'added' },
        ],
      },
    });
    const byKey = new Map(puts().map((p) => [p.Key, p]));
    for (const path of ['Dockerfile', 'services/api/Dockerfile', 'services/worker/Dockerfile']) {
      expect(byKey.get(definitionKey(REPO, AFTER, path))?.Body).toBe(TREE[path]);
    }
    expect(byKey.has(definitionKey(REPO, AFTER, 'legacy/Dockerfile'))).toBe(false);
    const api = byKey.get(contextKey(REPO, AFTER, 'services/api'))?.Body as Buffer;
    expect(
      zipEntries(api)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['Dockerfile', 'data.txt', 'image-tests.yaml']);
    expect(byKey.has(contextKey(REPO, AFTER, ''))).toBe(true);
    expect(github.calls.filter((c) => c.startsWith('archive'))).toHaveLength(1);
  });

  it("snapshots the team's lint configurations on each definition's path, and no others", async () => {
    const configs: Record<string, string> = {
      '.drydock.yaml': 'ignored: [DL3008]\n',
      'services/api/.hadolint.yaml': 'ignored: [DL3015]\n',
      'docs/.drydock.yaml': 'ignored: [DL3007]\n',
    };
    class WithConfigs extends FakeGitProvider {
      override async listFiles(project: string, commit: string) {
        return [...(await super.listFiles(project, commit)), ...Object.keys(configs)];
      }
      override async readFile(project: string, commit: string, path: string) {
        return configs[path] ?? super.readFile(project, commit, path);
      }
    }
    const github = new WithConfigs([{ status: 'M', path: 'services/api/Dockerfile' }]);
    const out = await capturePush(push(), { providers: async () => [github], store, clock });
    if (!('event' in out)) throw new Error(out.skipped);
    const keys = puts().map((p) => p.Key);
    expect(keys).toContain(definitionKey(REPO, AFTER, '.drydock.yaml'));
    expect(keys).toContain(definitionKey(REPO, AFTER, 'services/api/.hadolint.yaml'));
    expect(keys).not.toContain(definitionKey(REPO, AFTER, 'docs/.drydock.yaml'));
    expect(puts().find((p) => p.Key === definitionKey(REPO, AFTER, '.drydock.yaml'))?.Body).toBe(
      configs['.drydock.yaml'],
    );
  });

  it('treats every definition of a new branch as added', async () => {
    const github = new FakeGitProvider();
    const out = await capturePush(push({ before: ZERO }), { providers: async () => [github], store, clock });
    if (!('event' in out)) throw new Error(out.skipped);
    expect(out.event.detail.definitions.map((d) => `${d.change} ${d.path}`)).toEqual([
      'added Dockerfile',
      'added services/api/Dockerfile',
      'added services/worker/Dockerfile',
    ]);
    expect(github.calls.some((c) => c.startsWith('compare'))).toBe(false);
  });

  it('skips tags, deleted branches and pushes that change no definition, with the reason', async () => {
    const deps = {
      providers: async () => [new FakeGitProvider([{ status: 'M', path: 'docs/README.md' }])],
      store,
      clock,
    };
    expect(await capturePush(push({ ref: 'refs/tags/v1' }), deps)).toEqual({
      skipped: 'refs/tags/v1 is not a branch',
    });
    expect(await capturePush(push({ after: ZERO }), deps)).toEqual({
      skipped: 'refs/heads/main was deleted',
    });
    // An empty diff (a force-push back to the same tree, say) changes nothing.
    const nothing = new FakeGitProvider([]);
    expect(await capturePush(push(), { ...deps, providers: async () => [nothing] })).toEqual({
      skipped: 'the push changed no container definition',
    });
    expect(puts()).toEqual([]);
  });

  it('snapshots the definitions a caller names, and refuses ones the commit does not have', async () => {
    const github = new FakeGitProvider();
    const out = await capturePush(push({ before: ZERO, definitions: ['services/api/Dockerfile'] }), {
      providers: async () => [github],
      store,
      clock,
    });
    expect('event' in out && out.event.detail.definitions).toEqual([
      { path: 'services/api/Dockerfile', change: 'modified' },
    ]);
    const missing = await capturePush(push({ definitions: ['services/api/Dockerfile', 'gone/Dockerfile'] }), {
      providers: async () => [github],
      store,
      clock,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DefinitionsNotFoundError);
    expect(missing).toMatchObject({ paths: ['gone/Dockerfile'] });
  });

  it('refuses a named definition path that could climb out of the repository', async () => {
    await expect(
      capturePush(push({ definitions: ['../etc/Dockerfile'] }), {
        providers: async () => [new FakeGitProvider()],
        store,
        clock,
      }),
    ).rejects.toMatchObject({ code: 'PATH_INVALID' });
  });

  it('gives the same event id to the same push', async () => {
    const deps = {
      providers: async () => [new FakeGitProvider([{ status: 'M', path: 'Dockerfile' }])],
      store,
      clock,
    };
    const a = await capturePush(push(), deps);
    const b = await capturePush(push(), deps);
    expect('event' in a && 'event' in b && a.event.id === b.event.id).toBe(true);
  });

  it('stores the files each definition copies into system configuration, read from the commit, for the gate', async () => {
    const extra: Record<string, string> = {
      'services/worker/Dockerfile': 'FROM docker.io/library/python:3.12\nCOPY etc /etc\nCOPY app /app\n',
      'services/worker/etc/ssh/sshd_config': 'PermitRootLogin yes\n',
      'services/worker/app/main.py': 'print(1)\n',
    };
    class WithEtc extends FakeGitProvider {
      override async readFile(project: string, commit: string, path: string) {
        return extra[path] ?? super.readFile(project, commit, path);
      }
      override async listFiles(project: string, commit: string) {
        return [...new Set([...(await super.listFiles(project, commit)), ...Object.keys(extra)])];
      }
    }
    const out = await capturePush(push({ definitions: ['services/worker/Dockerfile'] }), {
      providers: async () => [new WithEtc()],
      store,
      clock,
    });
    expect('event' in out).toBe(true);
    const stored = puts().find((p) => p.Key === contextFilesKey(REPO, AFTER, 'services/worker/Dockerfile'));
    expect(JSON.parse(String(stored?.Body))).toEqual({ 'etc/ssh/sshd_config': 'PermitRootLogin yes\n' });
  });
});
