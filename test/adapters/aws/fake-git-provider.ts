import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitProvider } from '../../../adapters/aws/git-provider.js';
import type { PathChange } from '../../../core/push/changed-definitions.js';

/** A forge-style archive (one top-level directory, data descriptors, the commit as comment) of {@link TREE}. */
export const ZIPBALL = readFileSync(join(import.meta.dirname, 'fixtures/zipball.zip'));

/** The files of the zipball, as a provider serves them. */
export const TREE: Readonly<Record<string, string>> = {
  Dockerfile: 'FROM scratch\n',
  'docs/README.md': '# docs\n',
  'services/api/Dockerfile': 'FROM docker.io/library/node:20\nCOPY . /app\n',
  'services/api/data.txt': '1\n',
  'services/api/image-tests.yaml': 'schemaVersion: 2.0.0\n',
  'services/worker/Dockerfile': 'FROM docker.io/library/python:3.12\n',
};

/** A GitHub or GitLab provider in memory: every commit has {@link TREE}; compare answers the given changes. */
export class FakeGitProvider implements GitProvider {
  readonly calls: string[] = [];

  constructor(
    private readonly changes: PathChange[] = [],
    readonly kind: 'github' | 'gitlab' = 'github',
    readonly host = kind === 'github' ? 'github.com' : 'gitlab.com',
  ) {}

  async readFile(project: string, commit: string, path: string) {
    this.calls.push(`read ${project}@${commit.slice(0, 7)}:${path}`);
    return TREE[path];
  }

  async listFiles(project: string, commit: string) {
    this.calls.push(`list ${project}@${commit.slice(0, 7)}`);
    return Object.keys(TREE);
  }

  async compare(project: string, before: string, after: string) {
    this.calls.push(`compare ${project} ${before.slice(0, 7)}..${after.slice(0, 7)}`);
    return this.changes;
  }

  async archive(project: string, commit: string) {
    this.calls.push(`archive ${project}@${commit.slice(0, 7)}`);
    return ZIPBALL;
  }
}
