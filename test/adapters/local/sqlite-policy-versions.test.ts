import { describe, expect, it } from 'vitest';
import { openStateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqlitePolicyVersions } from '../../../adapters/local/sqlite-policy-versions.js';

const clockAt = (iso: string) => ({ now: () => new Date(iso) });

describe('SqlitePolicyVersions', () => {
  it('records a document once and a changed one as the next version', () => {
    const db = openStateDatabase(':memory:');
    const versions = new SqlitePolicyVersions(db, clockAt('2026-11-27T08:00:00Z'));
    expect(versions.latest()).toBeUndefined();
    const first = versions.record('version: 1\n', '/p.yaml');
    expect(first).toMatchObject({ changed: true, version: { version: 1, source: '/p.yaml' } });
    expect(first.version.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(versions.record('version: 1\n', '/p.yaml')).toEqual({ changed: false, version: first.version });
    const second = versions.record('version: 1\nallowed: []\n', '/p.yaml');
    expect(second.version.version).toBe(2);
    expect(versions.history().map((v) => v.version)).toEqual([2, 1]);
    expect(versions.text(1)).toBe('version: 1\n');
    expect(versions.latest()?.appliedAt).toBe('2026-11-27T08:00:00.000Z');
  });

  it('records a return to an earlier document as a new version', () => {
    const db = openStateDatabase(':memory:');
    const versions = new SqlitePolicyVersions(db);
    versions.record('a: 1\n', 'x');
    versions.record('a: 2\n', 'x');
    expect(versions.record('a: 1\n', 'x')).toMatchObject({ changed: true, version: { version: 3 } });
  });
});
