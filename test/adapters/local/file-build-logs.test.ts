import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileBuildLogs } from '../../../adapters/local/file-build-logs.js';

const stateDir = mkdtempSync(join(tmpdir(), 'drydock-logs-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('FileBuildLogs', () => {
  it('writes one line per write to <stateDir>/builds/<buildId>.log and appends on reopen', async () => {
    const logs = new FileBuildLogs(stateDir);
    const first = logs.open('build-abc');
    expect(first.path).toBe(join(stateDir, 'builds', 'build-abc.log'));
    first.write('STEP 1/2: FROM base');
    first.write('two\nlines');
    await first.close();
    const again = logs.open('build-abc');
    again.write('restart');
    await again.close();
    expect(readFileSync(first.path, 'utf8')).toBe('STEP 1/2: FROM base\ntwo\\nlines\nrestart\n');
  });

  it('stops at its byte limit with one line saying so, also across a restarted build', async () => {
    const logs = new FileBuildLogs(stateDir, { maxBytes: 20 });
    const first = logs.open('build-capped');
    first.write('0123456789'); // 11 bytes with its newline
    first.write('abcdefghij'); // 22 > 20: not kept
    first.write('x');
    await first.close();
    const marker = '[drydock] build log limit of 20 bytes reached: later output is not kept here\n';
    expect(readFileSync(first.path, 'utf8')).toBe(`0123456789\n${marker}`);
    const again = logs.open('build-capped');
    again.write('after restart');
    await again.close();
    expect(readFileSync(first.path, 'utf8')).toBe(`0123456789\n${marker}`);
  });

  it('refuses a build id that is not a plain file name', () => {
    expect(() => new FileBuildLogs(stateDir).open('../escape')).toThrow(/cannot name a log file/);
  });
});
