import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  executableExists,
  setprivExecFailed,
  withParentDeathSignal,
} from '../../../adapters/local/parent-death-signal.js';
import { alive, gone, runScript } from '../../helpers/orphans.js';
import { tempDir } from '../../helpers/temp-dir.js';

const HELPER = join(import.meta.dirname, '../../../adapters/local/parent-death-signal.ts');

describe('withParentDeathSignal', () => {
  it('wraps the command in setpriv --pdeathsig KILL', () => {
    expect(withParentDeathSignal('docker-registry', ['serve', '/x/config.yml'])).toEqual({
      command: 'setpriv',
      args: ['--pdeathsig', 'KILL', '--', 'docker-registry', 'serve', '/x/config.yml'],
    });
  });

  // 60 s: a node started with a TypeScript loader can take a while on a loaded machine.
  it('kills the child when its parent is killed with SIGKILL', async () => {
    const dir = tempDir('drydock-pdeath-');
    const parent = join(dir, 'parent.mts');
    // The parent spawns a long sleep under the signal, says its pid, and waits to be killed.
    writeFileSync(
      parent,
      `import { spawn } from 'node:child_process';
import { withParentDeathSignal } from ${JSON.stringify(HELPER)};
const line = withParentDeathSignal('sleep', ['600']);
const child = spawn(line.command, [...line.args], { stdio: 'ignore' });
console.log(child.pid);
setInterval(() => {}, 1000);
`,
    );
    const { child, line } = await runScript(parent);
    const sleeper = Number(line);
    expect(alive(sleeper)).toBe(true);
    try {
      child.kill('SIGKILL');
      expect(await gone(sleeper)).toBe(true);
    } finally {
      if (alive(sleeper)) process.kill(sleeper, 'SIGKILL');
    }
  }, 60_000);

  it('leaves a child running while its parent lives, so it is a death signal and nothing else', async () => {
    const line = withParentDeathSignal('sleep', ['600']);
    const child = spawn(line.command, [...line.args], { stdio: 'ignore' });
    try {
      expect(alive(child.pid!)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('tells a command setpriv could not execute from one that failed', () => {
    expect(setprivExecFailed(127, 'setpriv: failed to execute nope: No such file or directory')).toBe(true);
    expect(setprivExecFailed(127, 'sh: nope: not found')).toBe(false);
    expect(setprivExecFailed(1, 'setpriv: failed to execute nope: No such file or directory')).toBe(false);
    // setpriv writes its message in pieces, which arrive as separate chunks.
    expect(setprivExecFailed(127, 'setpriv: \nfailed to execute nope\n: No such file or directory')).toBe(
      true,
    );
  });

  it('tells an executable command from a missing one, by path or on PATH', () => {
    expect(executableExists('/bin/sh', undefined)).toBe(true);
    expect(executableExists('sh', '/nonexistent:/bin')).toBe(true);
    expect(executableExists('sh', '/nonexistent')).toBe(false);
    expect(executableExists('/nonexistent/docker-registry', '/bin')).toBe(false);
    const plain = join(tempDir('drydock-exec-'), 'plain');
    writeFileSync(plain, 'not a program\n', { mode: 0o644 });
    expect(executableExists(plain, undefined)).toBe(false);
    expect(executableExists('/bin', undefined)).toBe(false);
  });
});
