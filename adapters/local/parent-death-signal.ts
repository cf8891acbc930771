import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The util-linux program that sets the parent-death signal before it executes the real command. */
export const SETPRIV = 'setpriv';

/** Exit status of `setpriv` when it cannot execute the command (not found, not executable). */
export const SETPRIV_EXEC_FAILED = 127;

/** A command line to spawn: the program and its arguments. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command line that runs `command args` with SIGKILL as its parent-death signal (`setpriv --pdeathsig
 * KILL --`), so the kernel kills it when the process that spawned it dies, SIGKILL and OOM included.
 */
export function withParentDeathSignal(command: string, args: readonly string[]): CommandLine {
  // The signal survives setpriv's execve of the command (it is only reset for set-user-id programs), and node
  // spawns from its main thread, whose end is the process's end.
  return { command: SETPRIV, args: ['--pdeathsig', 'KILL', '--', command, ...args] };
}

/**
 * True when a child started by `withParentDeathSignal` exited because setpriv could not execute the command:
 * status 127 and setpriv's own "failed to execute" message in its output (which setpriv writes in pieces).
 */
export function setprivExecFailed(code: number | null, output: string): boolean {
  return code === SETPRIV_EXEC_FAILED && /setpriv:\s*failed to execute/.test(output.replace(/\s+/g, ' '));
}

/**
 * True when `command` is an executable file: a path as it is, a name in one of `path`'s directories. Checked
 * before spawning under setpriv, which would otherwise start and report the missing command only as exit 127.
 */
export function executableExists(command: string, path: string | undefined): boolean {
  const candidates = command.includes('/')
    ? [command]
    : (path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      if (!statSync(file).isFile()) return false;
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
