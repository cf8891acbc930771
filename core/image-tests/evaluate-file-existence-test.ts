import { goModeString, lsModeString } from './file-mode.js';
import type { FileStat } from './observations.js';
import type { FileExistenceTest } from './schema.js';

const EXECUTE_BITS = { owner: 0o100, group: 0o010, other: 0o001, any: 0o111 } as const;

/** The assertions of a file existence test that the observed stat breaks, each naming its field; empty when it passes. */
export function evaluateFileExistenceTest(test: FileExistenceTest, stat: FileStat): string[] {
  if ('error' in stat) return [`cannot check ${test.path}: ${stat.error}`];
  if (!stat.exists) return test.shouldExist ? [`shouldExist: ${test.path} does not exist`] : [];
  if (!test.shouldExist) return [`shouldExist: ${test.path} exists but should not`];
  const failures: string[] = [];
  if (test.permissions !== undefined) {
    // container-structure-test compares Go's notation; the ls notation teams also write means the same.
    const go = goModeString(stat.mode);
    const ls = lsModeString(stat.mode);
    if (test.permissions !== go && test.permissions !== ls) {
      failures.push(`permissions: expected ${test.permissions}, got ${go}${go === ls ? '' : ` (${ls})`}`);
    }
  }
  if (test.uid !== undefined && test.uid !== stat.uid)
    failures.push(`uid: expected ${test.uid}, got ${stat.uid}`);
  if (test.gid !== undefined && test.gid !== stat.gid)
    failures.push(`gid: expected ${test.gid}, got ${stat.gid}`);
  if (test.isExecutableBy !== undefined && (stat.mode & EXECUTE_BITS[test.isExecutableBy]) === 0) {
    failures.push(
      `isExecutableBy: ${test.path} is not executable by ${test.isExecutableBy} (${lsModeString(stat.mode)})`,
    );
  }
  return failures;
}
