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

  it('stops at its byte limit with one line saying so, never past the limit, also across restarts', async () => {
    const maxBytes = 120;
    const marker = `[drydock] build log limit of ${maxBytes} bytes reached: later output is not kept here\n`;
    const room = maxBytes - Buffer.byteLength(marker); // what is left for the build's own lines
    const logs = new FileBuildLogs(stateDir, { maxBytes });
    const first = logs.open('build-capped');
    first.write('x'.repeat(room - 11)); // room - 10 bytes with its newline
    first.write('0123456789'); // 11 more: over the room, dropped
    first.write('y');
    await first.close();
    const capped = `${'x'.repeat(room - 11)}\n${marker}`;
    expect(readFileSync(first.path, 'utf8')).toBe(capped);
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(maxBytes);
    // A restarted build (or the test step) appending to a full log adds nothing, not even a second marker.
    const again = logs.open('build-capped');
    again.write('after restart');
    await again.close();
    expect(readFileSync(first.path, 'utf8')).toBe(capped);
  });

  it('says so when a log reopened exactly at its limit drops the first line written to it', async () => {
    const maxBytes = 100;
    const marker = `[drydock] build log limit of ${maxBytes} bytes reached: later output is not kept here\n`;
    const room = maxBytes - Buffer.byteLength(marker);
    const logs = new FileBuildLogs(stateDir, { maxBytes });
    const first = logs.open('build-exact');
    first.write('z'.repeat(room - 1)); // exactly the room with its newline: kept, no marker yet
    await first.close();
    expect(readFileSync(first.path, 'utf8')).toBe(`${'z'.repeat(room - 1)}\n`);
    const tests = logs.open('build-exact');
    tests.write('PASS commandTests[0]');
    tests.write('PASS commandTests[1]');
    await tests.close();
    expect(readFileSync(first.path, 'utf8')).toBe(`${'z'.repeat(room - 1)}\n${marker}`);
  });

  it('refuses a build id that is not a plain file name', () => {
    expect(() => new FileBuildLogs(stateDir).open('../escape')).toThrow(/cannot name a log file/);
  });
});
