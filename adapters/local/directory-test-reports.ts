import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import type { TestReports } from '../../core/pipeline/test-step.js';

/**
 * TestReports writing the one build's JUnit XML to a fixed file (CodeBuild's `.drydock/reports/image-tests.xml`,
 * which the buildspec's report group reads), written whole: temp file, then rename.
 */
export class DirectoryTestReports implements TestReports {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async save(_buildId: string, junitXml: string): Promise<string> {
    const temp = `${this.path}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, junitXml, 'utf8');
      await rename(temp, this.path);
    } catch (error) {
      throw new DrydockError(`cannot write test report ${this.path}: ${(error as Error).message}`, {
        code: 'REPORT_WRITE_FAILED',
        retryable: true,
        cause: error,
      });
    }
    return this.path;
  }
}
