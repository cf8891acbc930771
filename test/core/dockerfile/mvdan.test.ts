import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellParser } from '../../../core/dockerfile/mvdan.js';

const root = join(import.meta.dirname, '../../..');

describe('shellParser', () => {
  it('parses bash and hands out one shared parser', () => {
    const file = shellParser().Parse('for k in a b; do echo "$k" | tr a b; done', 'RUN');
    expect(file.Stmts.length).toBe(1);
    expect(shellParser()).toBe(shellParser());
  });

  it('does not load mvdan-sh until a script needs parsing', () => {
    // A fresh process: this worker may already hold mvdan-sh from another test file.
    const script = `
      import { createRequire } from 'node:module';
      const { shellParser } = await import(${JSON.stringify(join(root, 'core/dockerfile/mvdan.ts'))});
      const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('/mvdan-sh/'));
      const before = loaded();
      shellParser();
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual({ before: false, after: true });
  });
});
