import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/drydock.js');
const corpus = join(root, 'bench/corpus');

const lint = (jobs: string): unknown[] =>
  JSON.parse(
    execFileSync(process.execPath, [bin, 'lint', '--format', 'json', '--no-fail', '--jobs', jobs, corpus], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );

// Runs the bundled CLI (built by `npm test` before vitest), since worker threads start from the bundle.
describe('drydock lint worker pool', () => {
  it('gives the same findings, in the same order, with workers as without', () => {
    expect(readdirSync(corpus).length).toBeGreaterThan(200);
    const single = lint('1');
    const pooled = lint('2');
    expect(single.length).toBeGreaterThan(100);
    expect(pooled).toEqual(single);
  }, 120_000);
});
