import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTestReports } from '../../../adapters/local/file-test-reports.js';
import { DrydockError } from '../../../core/errors.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('FileTestReports', () => {
  it('writes <stateDir>/reports/<buildId>.junit.xml and replaces it whole on a second save', async () => {
    dir = mkdtempSync(join(tmpdir(), 'drydock-reports-'));
    const reports = new FileTestReports(dir);
    const path = await reports.save('build-1', '<testsuites/>\n');
    expect(path).toBe(join(dir, 'reports', 'build-1.junit.xml'));
    expect(await reports.save('build-1', '<testsuites tests="1"/>\n')).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('<testsuites tests="1"/>\n');
    expect(readdirSync(join(dir, 'reports'))).toEqual(['build-1.junit.xml']);
  });

  it('refuses a build id that would leave the reports folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'drydock-reports-'));
    const reports = new FileTestReports(dir);
    await expect(reports.save('../escape', 'x')).rejects.toMatchObject({ code: 'REPORT_NAME_INVALID' });
    await expect(reports.save('.hidden', 'x')).rejects.toBeInstanceOf(DrydockError);
  });

  it('reports an unwritable folder as a retryable error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'drydock-reports-'));
    writeFileSync(join(dir, 'reports'), 'a file where the folder should be');
    await expect(new FileTestReports(dir).save('build-1', 'x')).rejects.toMatchObject({
      code: 'REPORT_WRITE_FAILED',
      retryable: true,
    });
  });
});
