import { spawn } from 'node:child_process';
import { DrydockError, ToolMissingError } from '../../core/errors.js';
import { underParentDeathSignal } from './parent-death-signal.js';

/** One run of a command-line tool with a time limit. */
export interface ToolRun {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the inherited environment of the child only. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Named in the `ToolMissingError` when the command cannot be started. */
  readonly debianPackage: string;
  /** Every output line, stdout and stderr, as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Bytes of stdout and of stderr kept in the result. @default 4 MiB */
  readonly maxOutputBytes?: number;
}

/** How a tool run ended. */
export interface ToolResult {
  /** Null when the process was ended by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether stdout or stderr went over `maxOutputBytes` and was cut. */
  readonly truncated: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

const KILL_GRACE_MS = 2_000;
/** The longest output line passed to `onLine`; a longer one comes in pieces of this length. */
const MAX_LINE_CHARS = 64 * 1024;
// A grandchild that escaped the process group (conmon) may hold the pipes open after the tool exited.
const CLOSE_GRACE_MS = 1_000;

/**
 * Runs a tool in its own process group, under a parent-death signal (it dies with this process); on timeout or
 * abort the group gets SIGTERM (buildah then removes its working container) and SIGKILL two seconds later.
 * Throws `ToolMissingError` when the tool cannot be started.
 */
export function runTool(run: ToolRun): Promise<ToolResult> {
  const maxBytes = run.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    if (run.signal?.aborted) {
      resolvePromise({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        truncated: false,
        timedOut: false,
        aborted: true,
      });
      return;
    }
    const env = { ...process.env, ...run.env };
    const spawned = underParentDeathSignal(run.command, run.args, env.PATH, run.debianPackage);
    if (!spawned.ok) {
      reject(spawned.error);
      return;
    }
    const child = spawn(spawned.command, spawned.args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const size = { stdout: 0, stderr: 0 };
    const partial = { stdout: '', stderr: '' };
    let truncated = false;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, run.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (size[stream] < maxBytes) {
        const room = maxBytes - size[stream];
        out[stream].push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        if (chunk.length > room) truncated = true;
      } else {
        truncated = true;
      }
      size[stream] += chunk.length;
      if (run.onLine) {
        // Only the new chunk is split; a pending line longer than MAX_LINE_CHARS is passed on in pieces (a RUN step
        // printing 20 MB without a line feed was joined and split again for every chunk, work growing with its square).
        const lines = chunk.toString('utf8').split('\n');
        lines[0] = partial[stream] + lines[0];
        partial[stream] = lines.pop() ?? '';
        for (const line of lines) {
          const text = line.endsWith('\r') ? line.slice(0, -1) : line;
          for (let at = 0; at < text.length - MAX_LINE_CHARS; at += MAX_LINE_CHARS) {
            run.onLine(text.slice(at, at + MAX_LINE_CHARS), stream);
          }
          run.onLine(
            text.slice(Math.max(0, Math.ceil(text.length / MAX_LINE_CHARS) - 1) * MAX_LINE_CHARS),
            stream,
          );
        }
        while (partial[stream].length > MAX_LINE_CHARS) {
          run.onLine(partial[stream].slice(0, MAX_LINE_CHARS), stream);
          partial[stream] = partial[stream].slice(MAX_LINE_CHARS);
        }
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(closeTimer);
      run.signal?.removeEventListener('abort', onAbort);
      // The tool is gone; make sure nothing it started in its group outlives it.
      if (timedOut || aborted) {
        clearTimeout(killTimer);
        killGroup('SIGKILL');
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        if (run.onLine && partial[stream] !== '') run.onLine(partial[stream], stream);
      }
      resolvePromise({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
        truncated,
        timedOut,
        aborted,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(new ToolMissingError(run.command, run.debianPackage, { cause: error }));
      } else {
        reject(
          new DrydockError(`cannot run ${run.command}: ${error.message}`, {
            code: 'TOOL_FAILED',
            cause: error,
          }),
        );
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      closeTimer = setTimeout(finish, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
  });
}
