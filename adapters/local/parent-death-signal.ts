import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ToolMissingError } from '../../core/ports/build-service.js';

/** Exit status of `setpriv` when it cannot execute the command (not found, not executable). */
export const SETPRIV_EXEC_FAILED = 127;

// Where Debian's util-linux puts setpriv, looked up before PATH: a daemon started with a thin PATH still finds it.
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'];

function executableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path a command runs from: itself when it names a path, else the first match on PATH (or /usr/sbin, /sbin). */
export function findExecutable(
  command: string,
  path: string | undefined,
  systemDirs = true,
): string | undefined {
  if (command.includes('/')) return executableFile(command) ? command : undefined;
  const dirs = [
    ...(path ?? '').split(delimiter).filter(Boolean),
    ...(systemDirs ? ['/usr/sbin', '/sbin'] : []),
  ];
  return dirs.map((d) => join(d, command)).find(executableFile);
}

/**
 * The argv that runs a command under `setpriv --pdeathsig KILL`: the kernel kills it when the process that started
 * it dies, even by SIGKILL, so no buildah, podman or registry outlives a killed daemon (they run in their own
 * process group, which no signal to the daemon reaches). The signal survives setpriv's execve of the command (it
 * is only reset for set-user-id programs), and node spawns from its main thread, whose end is the process's end.
 * A missing command or setpriv is a `ToolMissingError`, checked before spawning: setpriv would otherwise start and
 * report the missing command only as exit 127.
 */
export function underParentDeathSignal(
  command: string,
  args: readonly string[],
  path: string | undefined,
  debianPackage: string,
): { ok: true; command: string; args: string[] } | { ok: false; error: ToolMissingError } {
  const resolved = findExecutable(command, path);
  if (resolved === undefined) return { ok: false, error: new ToolMissingError(command, debianPackage) };
  const setpriv = [...SETPRIV_PATHS, findExecutable('setpriv', path)].find(
    (p): p is string => p !== undefined && executableFile(p),
  );
  if (setpriv === undefined) return { ok: false, error: new ToolMissingError('setpriv', 'util-linux') };
  // A name found on PATH is passed as it is, so the tool sees its usual argv[0] (and names itself so in messages).
  const onPath = command.includes('/') || findExecutable(command, path, false) !== undefined;
  return {
    ok: true,
    command: setpriv,
    args: ['--pdeathsig', 'KILL', '--', onPath ? command : resolved, ...args],
  };
}

/**
 * True when a child started by `underParentDeathSignal` exited because setpriv could not execute the command:
 * status 127 and setpriv's own "failed to execute" message in its output (which setpriv writes in pieces).
 */
export function setprivExecFailed(code: number | null, output: string): boolean {
  return code === SETPRIV_EXEC_FAILED && /setpriv:\s*failed to execute/.test(output.replace(/\s+/g, ' '));
}
