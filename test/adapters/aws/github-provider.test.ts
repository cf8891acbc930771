import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitProviderError, resolveRepository } from '../../../adapters/aws/git-provider.js';
import { GitHubProvider } from '../../../adapters/aws/github-provider.js';
import { type ForgeRequest, sendJson, startForge } from './forge-server.js';

const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const BEFORE = '51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d';
const ZIPBALL = readFileSync(join(import.meta.dirname, 'fixtures/zipball.zip'));

describe('GitHubProvider against a local API over HTTP', () => {
  let forge: Awaited<ReturnType<typeof startForge>>;
  let github: GitHubProvider;
  const last = (): ForgeRequest => forge.requests.at(-1)!;

  beforeAll(async () => {
    forge = await startForge((path, res) => {
      const repo = '/repos/acme/payments';
      if (path === `${repo}/contents/services/api/Dockerfile?ref=${COMMIT}`) {
        res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' });
        res.end('FROM docker.io/library/node:20\n');
        return true;
      }
      if (path === `${repo}/contents/big/Dockerfile?ref=${COMMIT}`) {
        res.writeHead(200);
        res.end('x'.repeat(2048));
        return true;
      }
      if (path === `${repo}/git/trees/${COMMIT}?recursive=1`) {
        return sendJson(res, {
          truncated: false,
          tree: [
            { path: 'services', type: 'tree' },
            { path: 'services/api/Dockerfile', type: 'blob' },
            { path: 'README.md', type: 'blob' },
          ],
        });
      }
      if (path === `/repos/acme/huge/git/trees/${COMMIT}?recursive=1`)
        return sendJson(res, { truncated: true, tree: [] });
      if (path === `${repo}/compare/${BEFORE}...${COMMIT}`) {
        return sendJson(res, {
          files: [
            { filename: 'services/api/Dockerfile', status: 'modified' },
            { filename: 'services/new/Dockerfile', status: 'added' },
            { filename: 'legacy/Dockerfile', status: 'removed' },
            { filename: 'web/Containerfile', status: 'renamed', previous_filename: 'site/Containerfile' },
            { filename: 'same.txt', status: 'unchanged' },
          ],
        });
      }
      if (path === `${repo}/zipball/${COMMIT}`) {
        res.writeHead(302, { location: `/codeload/acme/payments/legacy.zip/${COMMIT}` });
        res.end();
        return true;
      }
      if (path === `/codeload/acme/payments/legacy.zip/${COMMIT}`) {
        res.writeHead(200, { 'content-type': 'application/zip' });
        res.end(ZIPBALL);
        return true;
      }
      if (path.startsWith('/repos/acme/limited/'))
        return sendJson(res, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' }, 403);
      if (path.startsWith('/repos/acme/private/'))
        return sendJson(res, { message: 'Bad credentials' }, {}, 401);
      if (path.startsWith('/repos/acme/broken/')) return sendJson(res, { message: 'Server Error' }, {}, 502);
      return false;
    });
    github = new GitHubProvider({ apiUrl: forge.url, token: 'ghp_token', maxFileBytes: 1024 });
  });
  afterAll(() => forge.stop());

  it('reads a file raw at the commit, with the token and the API version', async () => {
    expect(await github.readFile('acme/payments', COMMIT, 'services/api/Dockerfile')).toBe(
      'FROM docker.io/library/node:20\n',
    );
    expect(last().headers).toMatchObject({
      authorization: 'Bearer ghp_token',
      accept: 'application/vnd.github.raw+json',
      'x-github-api-version': '2022-11-28',
    });
  });

  it('answers undefined for a file the commit does not have', async () => {
    expect(await github.readFile('acme/payments', COMMIT, 'nope/Dockerfile')).toBeUndefined();
  });

  it('refuses a file over the size limit', async () => {
    await expect(github.readFile('acme/payments', COMMIT, 'big/Dockerfile')).rejects.toThrow(
      /larger than 1024 bytes/,
    );
  });

  it('refuses a path that would climb the API before sending anything', async () => {
    const before = forge.requests.length;
    await expect(github.readFile('acme/payments', COMMIT, '../../../user')).rejects.toMatchObject({
      code: 'PATH_INVALID',
    });
    expect(forge.requests.length).toBe(before);
  });

  it('lists the blobs of the tree and refuses a truncated listing', async () => {
    expect(await github.listFiles('acme/payments', COMMIT)).toEqual(['services/api/Dockerfile', 'README.md']);
    await expect(github.listFiles('acme/huge', COMMIT)).rejects.toThrow(/too large for one listing/);
  });

  it('maps compare statuses to git name-status letters', async () => {
    expect(await github.compare('acme/payments', BEFORE, COMMIT)).toEqual([
      { status: 'M', path: 'services/api/Dockerfile' },
      { status: 'A', path: 'services/new/Dockerfile' },
      { status: 'D', path: 'legacy/Dockerfile' },
      { status: 'R', path: 'web/Containerfile', from: 'site/Containerfile' },
    ]);
  });

  it('downloads the zipball through its redirect', async () => {
    expect(Buffer.from(await github.archive('acme/payments', COMMIT))).toEqual(ZIPBALL);
  });

  it.each([
    ['acme/limited', true],
    ['acme/broken', true],
    ['acme/private', false],
  ])('maps the answer for %s to retryable=%s', async (project, retryable) => {
    const error = await github.listFiles(project, COMMIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitProviderError);
    expect(error).toMatchObject({ retryable });
  });

  it('reports an unreachable API as retryable', async () => {
    const offline = new GitHubProvider({ apiUrl: 'http://127.0.0.1:9' });
    await expect(offline.listFiles('acme/payments', COMMIT)).rejects.toMatchObject({ retryable: true });
  });
});

describe('resolveRepository', () => {
  const providers = [new GitHubProvider(), new GitHubProvider({ host: 'github.example.com' })];
  it('picks the provider by host and keeps the project path', () => {
    expect(resolveRepository('github.example.com/team/api', providers)).toMatchObject({
      project: 'team/api',
      provider: { host: 'github.example.com' },
    });
  });
  it.each(['github.com/acme', 'github.com/acme/../x', 'github.com/acme/repo.git', 'github.com//acme/x'])(
    'refuses %s',
    (id) => {
      expect(() => resolveRepository(id, providers)).toThrow(/is not <host>\/<owner>\/<project>/);
    },
  );
  it('names the configured hosts for an unknown one', () => {
    expect(() => resolveRepository('gitlab.com/acme/x', providers)).toThrow(
      /github\.com\/<project> or github\.example\.com\/<project>/,
    );
  });
});
