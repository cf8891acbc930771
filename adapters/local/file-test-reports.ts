import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DrydockError, quoteInput } from '../../core/errors.js';
import type { TestReports } from '../../core/pipeline/test-step.js';

// A build id becomes a file name: no separators, no leading dot.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** JUnit reports as files: `<stateDir>/reports/<buildId>.junit.xml`, each written whole (temp file, then rename). */
export class FileTestReports implements TestReports {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'reports');
  }

  async save(buildId: string, junitXml: string): Promise<string> {
    if (!SAFE_ID.test(buildId)) {
      throw new DrydockError(`build id ${quoteInput(buildId)} cannot name a report file`, {
        code: 'REPORT_NAME_INVALID',
      });
    }
    const path = join(this.dir, `${buildId}.junit.xml`);
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, junitXml, 'utf8');
      await rename(temp, path);
    } catch (error) {
      throw new DrydockError(`cannot write test report ${path}: ${(error as Error).message}`, {
        code: 'REPORT_WRITE_FAILED',
        retryable: true,
        cause: error,
      });
    }
    return path;
  }
}
