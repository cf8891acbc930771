import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitLabProvider } from '../../../adapters/aws/gitlab-provider.js';
import { sendJson, startForge } from './forge-server.js';

const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const BEFORE = '51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d';

describe('GitLabProvider against a local API over HTTP', () => {
  let forge: Awaited<ReturnType<typeof startForge>>;
  let gitlab: GitLabProvider;

  beforeAll(async () => {
    forge = await startForge((path, res) => {
      const project = '/gitlab/api/v4/projects/group%2Fsub%2Fapi';
      if (path === `${project}/repository/files/services%2Fapi%2FDockerfile/raw?ref=${COMMIT}`) {
        res.writeHead(200);
        res.end('FROM docker.io/library/python:3.12\n');
        return true;
      }
      const tree = `${project}/repository/tree?ref=${COMMIT}&recursive=true&per_page=100&pagination=keyset`;
      if (path === tree) {
        return sendJson(
          res,
          [
            { path: 'services', type: 'tree' },
            { path: 'services/api/Dockerfile', type: 'blob' },
          ],
          {
            link: `<${forge.url}${tree}&page_token=2>; rel="next"`,
          },
        );
      }
      if (path === `${tree}&page_token=2`) return sendJson(res, [{ path: 'README.md', type: 'blob' }]);
      if (path.startsWith('/gitlab/api/v4/projects/evil%2Frepo/repository/tree')) {
        return sendJson(res, [], { link: '<https://attacker.example/steal>; rel="next"' });
      }
      if (path === `${project}/repository/compare?from=${BEFORE}&to=${COMMIT}&straight=true`) {
        return sendJson(res, {
          diffs: [
            {
              old_path: 'a/Dockerfile',
              new_path: 'a/Dockerfile',
              new_file: false,
              renamed_file: false,
              deleted_file: false,
            },
            {
              old_path: 'b/Dockerfile',
              new_path: 'b/Dockerfile',
              new_file: true,
              renamed_file: false,
              deleted_file: false,
            },
            {
              old_path: 'c/Dockerfile',
              new_path: 'c/Dockerfile',
              new_file: false,
              renamed_file: false,
              deleted_file: true,
            },
            {
              old_path: 'd/Dockerfile',
              new_path: 'e/Dockerfile',
              new_file: false,
              renamed_file: true,
              deleted_file: false,
            },
          ],
        });
      }
      return false;
    });
    gitlab = new GitLabProvider({ url: `${forge.url}/gitlab`, token: 'glpat-token' });
  });
  afterAll(() => forge.stop());

  it('takes its host from the URL', () => {
    expect(gitlab.host).toBe(new URL(forge.url).host);
  });

  it('reads a raw file with the path as one encoded segment and the private token', async () => {
    expect(await gitlab.readFile('group/sub/api', COMMIT, 'services/api/Dockerfile')).toBe(
      'FROM docker.io/library/python:3.12\n',
    );
    expect(forge.requests.at(-1)!.headers['private-token']).toBe('glpat-token');
    expect(await gitlab.readFile('group/sub/api', COMMIT, 'missing/Dockerfile')).toBeUndefined();
  });

  it('refuses a bare `..` path', async () => {
    await expect(gitlab.readFile('group/sub/api', COMMIT, '..')).rejects.toThrow(/unsafe path/);
  });

  it('follows keyset pagination across pages', async () => {
    expect(await gitlab.listFiles('group/sub/api', COMMIT)).toEqual(['services/api/Dockerfile', 'README.md']);
  });

  it('refuses a next page on another origin rather than send it the token', async () => {
    await expect(gitlab.listFiles('evil/repo', COMMIT)).rejects.toThrow(/the next page is not on/);
  });

  it('maps compare diffs to git name-status letters', async () => {
    expect(await gitlab.compare('group/sub/api', BEFORE, COMMIT)).toEqual([
      { status: 'M', path: 'a/Dockerfile' },
      { status: 'A', path: 'b/Dockerfile' },
      { status: 'D', path: 'c/Dockerfile' },
      { status: 'R', path: 'e/Dockerfile', from: 'd/Dockerfile' },
    ]);
  });
});
