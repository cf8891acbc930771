import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileBuildRecords } from '../../../adapters/local/json-file-build-records.js';
import { buildRecordsContract } from '../../contracts/build-records.contract.js';
import { commit } from '../../contracts/sample-events.js';

buildRecordsContract('JsonFileBuildRecords', (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-records-'));
  const path = join(dir, 'records.json');
  return {
    subject: new JsonFileBuildRecords(path, { clock }),
    reopen: () => new JsonFileBuildRecords(path, { clock }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('JsonFileBuildRecords', () => {
  const request = (buildId: string, definition: string) => ({
    buildId,
    repository: 'shop',
    definition,
    commit: commit('c1'),
    correlationId: 'push-1',
  });

  it('keeps every record when calls of one instance overlap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-records-'));
    try {
      const records = new JsonFileBuildRecords(join(dir, 'records.json'));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => records.enqueue(request(`b${i}`, `d${i}/Dockerfile`))),
      );
      expect(await records.list()).toHaveLength(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not its own, naming it, and leaves it alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-records-'));
    try {
      const path = join(dir, 'records.json');
      writeFileSync(path, '{"records": "nope"}');
      const records = new JsonFileBuildRecords(path);
      await expect(records.enqueue(request('b1', 'Dockerfile'))).rejects.toThrow(
        `build records ${path} are not valid`,
      );
      expect(readFileSync(path, 'utf8')).toBe('{"records": "nope"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
