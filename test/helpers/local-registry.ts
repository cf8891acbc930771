import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BuildahBuildService } from '../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import {
  ensurePipelineCredential,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';

const run = promisify(execFile);

/** A temporary state dir with the guarded docker-registry, its container storage, builder and registry adapter. */
export interface LocalRegistry {
  readonly stateDir: string;
  readonly host: string;
  readonly containerEnv: ContainerEnv;
  readonly builder: BuildahBuildService;
  readonly registry: BuildahImageRegistry;
  /** Runs buildah, podman or skopeo against the state dir's storage (60 s limit) and returns stdout. */
  tool(command: 'buildah' | 'podman', args: readonly string[]): Promise<string>;
  /** Runs a shell command in a container of `image` the way the pipeline's sandboxes do: no network, runc, cgroupfs. */
  runIn(image: string, script: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts docker-registry on a private socket behind the push guard, as openLocalPipeline does. */
export async function startLocalRegistry(prefix = 'drydock-registry-'): Promise<LocalRegistry> {
  const stateDir = await mkdtemp(join(tmpdir(), prefix));
  let process_: RunningDockerRegistry | undefined;
  let guard: RunningPushGuard | undefined;
  try {
    process_ = await startDockerRegistry({ stateDir, listen: 'unix' });
    const credential = await ensurePipelineCredential(stateDir);
    guard = await startRegistryPushGuard({ upstream: process_.address, credential });
    const containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
    const registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
    const env = { ...process.env, ...containerEnv.env };
    const tool = async (command: 'buildah' | 'podman', args: readonly string[]) =>
      (await run(command, [...args], { env, timeout: 60_000, killSignal: 'SIGKILL' })).stdout;
    const openedGuard = guard;
    const openedProcess = process_;
    return {
      stateDir,
      host: guard.host,
      containerEnv,
      builder: new BuildahBuildService({ env: containerEnv.env }),
      registry,
      tool,
      runIn: (image, script) =>
        tool('podman', [
          'run',
          '--rm',
          '--runtime',
          'runc',
          '--cgroup-manager=cgroupfs',
          '--ulimit',
          'nofile=1024:1024',
          '--ulimit',
          'nproc=4096:4096',
          '--network',
          'none',
          '--pull',
          'never',
          image,
          'sh',
          '-c',
          script,
        ]),
      async stop() {
        await tool('podman', ['rm', '--all', '--force', '--time', '0']).catch(() => undefined);
        await tool('buildah', ['rm', '--all']).catch(() => undefined);
        await tool('buildah', ['rmi', '--all', '--force']).catch(() => undefined);
        await openedGuard.close();
        await openedProcess.stop();
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await guard?.close();
    await process_?.stop();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}
