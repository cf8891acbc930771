import { describe, expect, it } from 'vitest';
import { changedDefinitions, parseNameStatus } from '../../../core/push/changed-definitions.js';

describe('parseNameStatus', () => {
  it('reads adds, modifications, deletions and renames from -z output', () => {
    expect(parseNameStatus('A\0a/Dockerfile\0M\0b/app.py\0D\0c/Dockerfile\0R087\0old/x\0new/x\0')).toEqual([
      { status: 'A', path: 'a/Dockerfile' },
      { status: 'M', path: 'b/app.py' },
      { status: 'D', path: 'c/Dockerfile' },
      { status: 'R', from: 'old/x', path: 'new/x' },
    ]);
  });

  it('rejects an unknown status, naming the entry', () => {
    expect(() => parseNameStatus('A\0x\0Q\0y\0')).toThrow(/unexpected status "Q" at entry 2/);
  });
});

describe('changedDefinitions', () => {
  const after = ['api/Dockerfile', 'web/web.Dockerfile', 'Dockerfile', 'docs/README.md'];

  it('reports definitions whose file changed', () => {
    expect(changedDefinitions(after, [{ status: 'A', path: 'api/Dockerfile' }])).toEqual([
      { path: 'api/Dockerfile', change: 'added' },
    ]);
    expect(changedDefinitions(after, [{ status: 'D', path: 'old/Dockerfile' }])).toEqual([
      { path: 'old/Dockerfile', change: 'deleted' },
    ]);
  });

  it('reports a definition when its build context or image tests change', () => {
    expect(changedDefinitions(after, [{ status: 'M', path: 'api/src/server.js' }])).toEqual([
      { path: 'api/Dockerfile', change: 'modified' },
    ]);
    expect(changedDefinitions(after, [{ status: 'A', path: 'web/image-tests.yaml' }])).toEqual([
      { path: 'web/web.Dockerfile', change: 'modified' },
    ]);
  });

  it('treats the root definition as owning the whole repository', () => {
    expect(changedDefinitions(after, [{ status: 'M', path: 'docs/README.md' }]).map((d) => d.path)).toEqual([
      'Dockerfile',
    ]);
  });

  it('ignores changes outside every definition context, and files that only look like definitions', () => {
    expect(changedDefinitions(['api/Dockerfile'], [{ status: 'M', path: 'web/index.html' }])).toEqual([]);
    expect(
      changedDefinitions(['api/Dockerfile'], [{ status: 'A', path: 'api/Dockerfile.dockerignore' }]),
    ).toEqual([{ path: 'api/Dockerfile', change: 'modified' }]);
  });

  it('turns a renamed definition into a deletion and an addition', () => {
    expect(
      changedDefinitions(
        ['svc/Dockerfile'],
        [{ status: 'R', from: 'app/Dockerfile', path: 'svc/Dockerfile' }],
      ),
    ).toEqual([
      { path: 'app/Dockerfile', change: 'deleted' },
      { path: 'svc/Dockerfile', change: 'added' },
    ]);
  });
});

describe('changedDefinitions in a monorepo', () => {
  it('gives a change to the nearest enclosing definition, not to the root one too', () => {
    const after = ['Dockerfile', 'api/Dockerfile', 'api/worker/Dockerfile'];
    expect(
      changedDefinitions(after, [{ status: 'M', path: 'api/worker/main.go' }]).map((d) => d.path),
    ).toEqual(['api/worker/Dockerfile']);
    expect(changedDefinitions(after, [{ status: 'M', path: 'api/handler.go' }]).map((d) => d.path)).toEqual([
      'api/Dockerfile',
    ]);
  });
});
