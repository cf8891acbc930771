import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findExecutable,
  setprivExecFailed,
  underParentDeathSignal,
} from '../../../adapters/local/parent-death-signal.js';
import { ToolMissingError } from '../../../core/errors.js';
import { alive, gone, runScript } from '../../helpers/orphans.js';
import { tempDir } from '../../helpers/temp-dir.js';

const HELPER = join(import.meta.dirname, '../../../adapters/local/parent-death-signal.ts');

// Spawns `command args` under the death signal, as the adapters do.
function spawnUnderSignal(command: string, args: readonly string[]) {
  const line = underParentDeathSignal(command, args, process.env.PATH, 'coreutils');
  if (!line.ok) throw line.error;
  return spawn(line.command, line.args, { stdio: 'ignore' });
}

describe('underParentDeathSignal', () => {
  it('wraps the command in setpriv --pdeathsig KILL, keeping a name found on PATH as it is', () => {
    expect(underParentDeathSignal('sh', ['-c', 'true'], '/usr/bin:/bin', 'dash')).toEqual({
      ok: true,
      command: '/usr/bin/setpriv',
      args: ['--pdeathsig', 'KILL', '--', 'sh', '-c', 'true'],
    });
  });

  it('names the Debian package of a missing command instead of spawning setpriv', () => {
    const line = underParentDeathSignal('docker-registry-nope', [], '/usr/bin:/bin', 'docker-registry');
    expect(line.ok).toBe(false);
    expect(!line.ok && line.error).toBeInstanceOf(ToolMissingError);
    expect(!line.ok && line.error.message).toContain('docker-registry');
  });

  // 60 s: a node started with a TypeScript loader can take a while on a loaded machine.
  it('kills the child when its parent is killed with SIGKILL', async () => {
    const dir = tempDir('drydock-pdeath-');
    const parent = join(dir, 'parent.mts');
    // The parent spawns a long sleep under the signal, says its pid, and waits to be killed.
    writeFileSync(
      parent,
      `import { spawn } from 'node:child_process';
import { underParentDeathSignal } from ${JSON.stringify(HELPER)};
const line = underParentDeathSignal('sleep', ['600'], process.env.PATH, 'coreutils');
if (!line.ok) throw line.error;
const child = spawn(line.command, line.args, { stdio: 'ignore' });
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
    const child = spawnUnderSignal('sleep', ['600']);
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
    expect(findExecutable('/bin/sh', undefined)).toBe('/bin/sh');
    expect(findExecutable('sh', '/nonexistent:/bin')).toBe('/bin/sh');
    expect(findExecutable('sh', '/nonexistent', false)).toBeUndefined();
    expect(findExecutable('/nonexistent/docker-registry', '/bin')).toBeUndefined();
    const plain = join(tempDir('drydock-exec-'), 'plain');
    writeFileSync(plain, 'not a program\n', { mode: 0o644 });
    expect(findExecutable(plain, undefined)).toBeUndefined();
    expect(findExecutable('/bin', undefined)).toBeUndefined();
  });
});
