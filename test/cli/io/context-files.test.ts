import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContextFiles } from '../../../cli/io/context-files.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { CONTEXT_LIMITS } from '../../../core/lint/copied-files.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-ctxfiles-'));
  mkdirSync(join(dir, 'etc/ssh'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'etc/ssh/sshd_config'), 'PermitRootLogin yes\n');
  writeFileSync(join(dir, 'etc/big.conf'), 'x'.repeat(CONTEXT_LIMITS.maxBytes + 1));
  writeFileSync(join(dir, '.git/config'), '[core]\n');
  // The build copies a link as a link; the linter must not read what it points at (a secret of the user).
  writeFileSync(join(dir, 'target'), 'not in the image\n');
  symlinkSync(join(dir, 'target'), join(dir, 'etc/passwd'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readContextFiles', () => {
  it('reads the copied configuration beside the Dockerfile, not links, .git or files over the limit', () => {
    const model = parseDockerfile('FROM debian:12\nCOPY etc /etc\nCOPY . /src\n').model;
    const files = readContextFiles(dir, model);
    expect([...files]).toEqual([['etc/ssh/sshd_config', 'PermitRootLogin yes\n']]);
  });

  it('reads nothing for a Dockerfile that copies nothing', () => {
    expect(readContextFiles(dir, parseDockerfile('FROM debian:12\nRUN true\n').model).size).toBe(0);
  });
});
