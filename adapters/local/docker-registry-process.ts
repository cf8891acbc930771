import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import { ToolMissingError } from './container-env.js';
import { setprivExecFailed, underParentDeathSignal } from './parent-death-signal.js';

const LOOPBACK = '127.0.0.1';
const LOG_TAIL_LINES = 20;

/** Where the registry listens: a loopback TCP port, or a unix socket only this user can reach. */
export type RegistryAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly socketPath: string };

/** Options of `startDockerRegistry`. */
export interface DockerRegistryOptions {
  /** The state dir; the registry keeps its config and data in `<stateDir>/registry`. */
  readonly stateDir: string;
  /**
   * `tcp` binds 127.0.0.1; `unix` listens on `<stateDir>/registry/registry.sock` in a 0700 directory, so that
   * nothing but a front (the push guard) running as the same user can reach the registry directly.
   * @default 'tcp'
   */
  readonly listen?: 'tcp' | 'unix';
  /** TCP port to bind. @default a free port the OS picks */
  readonly port?: number;
  /** The registry binary. @default 'docker-registry' (Debian package docker-registry) */
  readonly binary?: string;
  /** How long to wait for `/v2/` to answer. @default 10000 */
  readonly readyTimeoutMs?: number;
}

/** A running docker-registry process. */
export interface RunningDockerRegistry {
  readonly address: RegistryAddress;
  /** `http://127.0.0.1:<port>` for TCP; `http://localhost` (to be used with `address.socketPath`) for a socket. */
  readonly url: string;
  readonly pid: number;
  /** `<stateDir>/registry/data`, the storage root. */
  readonly dataDir: string;
  /** Stops the registry (SIGTERM, then SIGKILL after 5 s); resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** The registry's port is taken by another process. */
export class RegistryPortInUseError extends DrydockError {
  override readonly name = 'RegistryPortInUseError';
  readonly port: number;

  constructor(port: number, options: { cause?: unknown } = {}) {
    super(`cannot start the local registry: ${LOOPBACK}:${port} is already in use by another process`, {
      code: 'REGISTRY_PORT_IN_USE',
      ...options,
    });
    this.port = port;
  }
}

/** The registry process exited or did not answer in time. */
export class RegistryStartError extends DrydockError {
  override readonly name = 'RegistryStartError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'REGISTRY_START_FAILED', ...options });
  }
}

/** Asks the OS for a free loopback port. */
export async function freePort(host = LOOPBACK): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a TCP server');
  return address.port;
}

async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  try {
    server.listen(port, LOOPBACK);
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new RegistryPortInUseError(port);
    throw error;
  }
  server.close();
  await once(server, 'close');
}

/**
 * Starts Debian's `docker-registry serve` with its storage in `<stateDir>/registry/data` (deletes enabled),
 * waits until `/v2/` answers and returns a handle to stop it. The child gets a minimal environment, so
 * `REGISTRY_*` variables of the caller cannot reconfigure it.
 */
export async function startDockerRegistry(options: DockerRegistryOptions): Promise<RunningDockerRegistry> {
  const dir = join(options.stateDir, 'registry');
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);

  // A registry left running by a drydock that was killed (SIGKILL leaves children behind) still holds the
  // storage; stop it before a new one starts on the same directory.
  const pidFile = join(dir, 'registry.pid');
  await stopLeftover(pidFile, join(dir, 'config.yml'));

  let address: RegistryAddress;
  if (options.listen === 'unix') {
    const socketPath = join(dir, 'registry.sock');
    // A socket left by a registry that was killed would make the new one fail with "address in use".
    await rm(socketPath, { force: true });
    address = { kind: 'unix', socketPath };
  } else {
    const port = options.port ?? (await freePort());
    await assertPortFree(port);
    address = { kind: 'tcp', host: LOOPBACK, port };
  }

  const configPath = join(dir, 'config.yml');
  const config = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: dataDir }, delete: { enabled: true } },
    http: {
      ...(address.kind === 'unix'
        ? { net: 'unix', addr: address.socketPath }
        : { net: 'tcp', addr: `${address.host}:${address.port}` }),
      secret: randomBytes(32).toString('hex'),
    },
  };
  // JSON is YAML, and quotes every path safely.
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

  const binary = options.binary ?? 'docker-registry';
  const path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  // Under a parent-death signal: a drydock killed with SIGKILL takes its registry with it.
  const line = underParentDeathSignal(binary, ['serve', configPath], path, 'docker-registry');
  if (!line.ok) throw line.error;
  const child = spawn(line.command, [...line.args], {
    env: { PATH: path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let listening = false;
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      if (line.includes('listening on')) listening = true;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      // 'close', not 'exit': setpriv's "failed to execute" line must be in the tail before it is read.
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  // Only once the handlers above listen: a child that fails at once must not exit unheard during the write.
  if (child.pid !== undefined) await writeFile(pidFile, `${child.pid}\n`, { mode: 0o600 });

  const url = address.kind === 'tcp' ? `http://${address.host}:${address.port}` : 'http://localhost';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  for (;;) {
    if (hasExited) {
      const result = await exited;
      if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
        throw new ToolMissingError('setpriv', 'util-linux', { cause: result.error });
      }
      const log = tail.join('\n');
      if (setprivExecFailed(result.code, log)) {
        throw new ToolMissingError(binary, 'docker-registry', { cause: new Error(log) });
      }
      if (address.kind === 'tcp' && /address already in use/.test(log)) {
        throw new RegistryPortInUseError(address.port, { cause: new Error(log) });
      }
      throw new RegistryStartError(
        `docker-registry exited (${result.error?.message ?? result.signal ?? `code ${result.code}`}) before it answered:\n${log}`,
        { cause: result.error },
      );
    }
    if (listening && (await answers(address))) break;
    if (Date.now() > deadline) {
      await stop(child, exited);
      throw new RegistryStartError(
        `docker-registry did not answer on ${url}/v2/ within ${options.readyTimeoutMs ?? 10_000} ms:\n${tail.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  let stopping: Promise<void> | undefined;
  return {
    address,
    url,
    pid: child.pid ?? -1,
    dataDir,
    stop: () => {
      stopping ??= stop(child, exited);
      return stopping;
    },
  };
}

/** Stops the registry a pid file names, if that process still is `docker-registry serve <configPath>`. */
async function stopLeftover(pidFile: string, configPath: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // The pid may have been reused by an unrelated process: only a registry serving this config is ours.
  if (!cmdline.split('\0').includes(configPath)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    const still = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!still.split('\0').includes(configPath)) return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It exited between the check and the signal.
  }
}

async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** True when `GET /v2/` answers 200 (or 401 for a registry with auth) at the address. */
export function answers(address: RegistryAddress, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const target =
      address.kind === 'tcp'
        ? { host: address.host, port: address.port }
        : { socketPath: address.socketPath };
    const req = request({ ...target, path: '/v2/', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
