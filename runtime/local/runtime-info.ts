import { readFileSync } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

/** The file a running `drydock start` writes into its state directory, and removes when it stops. */
export const RUNTIME_FILE = 'runtime.json';

/** Where a running local pipeline is: the CLI reads this to find the HTTP API. */
export const RuntimeInfoSchema = z.object({
  version: z.string(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  stateDir: z.string(),
  /** Base URL of the loopback HTTP API, `http://127.0.0.1:<port>`. */
  api: z.string().url(),
  /** Registry host in image references, `127.0.0.1:<port>`. */
  registry: z.string(),
  /** Directory of the bare git repositories. */
  repos: z.string(),
  /** The policy file the gate reads. */
  policy: z.string(),
});

export type RuntimeInfo = z.infer<typeof RuntimeInfoSchema>;

/** Path of the runtime file of a state directory. */
export function runtimeInfoPath(stateDir: string): string {
  return join(stateDir, RUNTIME_FILE);
}

/**
 * Writes the runtime file atomically (a reader never sees half of it). Readable by every local user: it holds
 * addresses, no secret (the API's tokens are apart, api-tokens.ts), and a git hook running as whoever pushed
 * finds the API's wake-up through it.
 */
export async function writeRuntimeInfo(info: RuntimeInfo): Promise<void> {
  const path = runtimeInfoPath(info.stateDir);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o644 });
  // The umask may narrow the mode; the file is meant to be read by others.
  await chmod(tmp, 0o644);
  await rename(tmp, path);
}

/** Removes the runtime file if it still names this process. */
export async function removeRuntimeInfo(stateDir: string, pid: number): Promise<void> {
  const found = await readRuntimeInfo(stateDir);
  if (found.state === 'running' && found.info.pid !== pid) return;
  await rm(runtimeInfoPath(stateDir), { force: true });
}

/** What the runtime file says: running (file present, process alive), stale (process gone) or absent. */
export type RuntimeLookup =
  | { readonly state: 'running'; readonly info: RuntimeInfo }
  | { readonly state: 'stale'; readonly info: RuntimeInfo }
  | { readonly state: 'absent' }
  | { readonly state: 'invalid'; readonly reason: string };

/** Reads the runtime file of a state directory and checks that its process still runs. */
export async function readRuntimeInfo(stateDir: string): Promise<RuntimeLookup> {
  let text: string;
  try {
    text = await readFile(runtimeInfoPath(stateDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { state: 'invalid', reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = RuntimeInfoSchema.safeParse(json);
  if (!parsed.success) return { state: 'invalid', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  return { state: processAlive(parsed.data.pid) ? 'running' : 'stale', info: parsed.data };
}

/**
 * True when a process with this id runs (signal 0 checks without sending anything). A zombie — killed, not
 * yet reaped by its parent — does not count: it holds nothing and will never answer.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (not Linux): signal 0 is all there is to go on.
    return true;
  }
}
