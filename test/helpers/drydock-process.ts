import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PipelineApi } from '../../cli/api-client.js';
import { type RuntimeInfo, readRuntimeInfo } from '../../runtime/local/runtime-info.js';

const run = promisify(execFile);

/** bin/drydock.js of this checkout (it loads dist/drydock.mjs, which `npm test` builds first). */
export const DRYDOCK_BIN = join(import.meta.dirname, '..', '..', 'bin', 'drydock.js');

/** A `drydock start` child process on a state directory. */
export interface DrydockProcess {
  readonly child: ChildProcess;
  readonly info: RuntimeInfo;
  readonly api: PipelineApi;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGINT, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Runs the real CLI in a child process, as a user would. */
export async function drydock(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DRYDOCK_BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Starts `drydock start --state DIR --port 0` and waits until its runtime.json names it and its API answers. */
export async function startDrydock(
  stateDir: string,
  extraArgs: readonly string[] = [],
  timeoutMs = 60_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DrydockProcess> {
  const child = spawn(
    process.execPath,
    [DRYDOCK_BIN, 'start', '--state', stateDir, '--port', '0', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`drydock start exited with ${child.exitCode}:\n${out}`);
    const found = await readRuntimeInfo(stateDir);
    if (found.state === 'running' && found.info.pid === child.pid) {
      const api = await PipelineApi.connect(stateDir);
      try {
        await api.get('/api/status');
        return {
          child,
          info: found.info,
          api,
          output: () => out,
          exited,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        };
      } catch {
        // Not answering yet.
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`drydock start did not come up within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` after the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Commits `files` in a new work tree and pushes it to `remote`; returns the commit id. */
export function pushFiles(
  workDir: string,
  remote: string,
  files: Record<string, string>,
  branch = 'main',
): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
      cwd: workDir,
      encoding: 'utf8',
      // The hook's "queued for the gate" lines go to git's stderr; keep them out of the test output.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  mkdirSync(workDir, { recursive: true });
  if (!existsSync(join(workDir, '.git'))) git('init', '--quiet', `--initial-branch=${branch}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workDir, path)), { recursive: true });
    writeFileSync(join(workDir, path), text);
  }
  git('add', '--all');
  git('commit', '--quiet', '-m', 'definitions');
  git('push', '--quiet', remote, `HEAD:refs/heads/${branch}`);
  return git('rev-parse', 'HEAD').trim();
}

/** Removes a state directory after its container storage (vfs layers are plain directories, but buildah may hold mounts). */
export async function removeState(stateDir: string): Promise<void> {
  const root = join(stateDir, 'containers');
  const env = {
    ...process.env,
    CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
    CONTAINERS_CONF: join(root, 'containers.conf'),
  };
  if (existsSync(join(root, 'storage.conf'))) {
    await run('podman', ['rm', '--all', '--force'], { env }).catch(() => undefined);
    await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
  }
  // A build or container the killed daemon left may still be writing its storage for a moment (ENOTEMPTY).
  await rm(stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
}
