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
 * status 127 and setpriv's own "failed to execute" line in its output.
 */
export function setprivExecFailed(code: number | null, output: string): boolean {
  return code === SETPRIV_EXEC_FAILED && /setpriv: failed to execute/.test(output);
}
