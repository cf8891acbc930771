import { randomBytes } from 'node:crypto';
import type {
  CommandObservation,
  FileRead,
  FileStat,
  ImageConfig,
} from '../../core/image-tests/observations.js';
import {
  type ImageProbe,
  type ImageTestReport,
  runImageTests,
} from '../../core/image-tests/run-image-tests.js';
import { ToolMissingError } from '../../core/ports/build-service.js';
import {
  type ImageTester,
  ImageTestInterruptedError,
  type ImageTestRequest,
  ImageTestSandboxError,
} from '../../core/ports/image-tester.js';
import { USERNS_AUTO } from './buildah-build-service.js';
import { type InspectedImage, imageConfigOf, lastLine } from './container-cli.js';
import { runTool, type ToolResult } from './run-tool.js';

/** Options of the podman image tester. */
export interface PodmanImageTesterOptions {
  /** Path or name of the podman binary. @default 'podman' */
  readonly podman?: string;
  /** Environment added for podman, like the CONTAINERS_* variables of the state dir's container-env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Time limit of podman's own steps (inspect, start, remove). @default 30000 */
  readonly commandTimeoutMs?: number;
}

// A file the content tests read whole; bigger files are refused, not half-read.
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * ImageTester over one podman container per suite: no network, its own user namespace, catatonit as init holding the container open
 * (so the image needs no shell or sleep), the pipeline's ulimits; commands run with `podman exec`, file checks
 * as root with the image's own `stat` and `cat`; the container is removed afterwards.
 */
export class PodmanImageTester implements ImageTester {
  readonly #podman: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #commandTimeoutMs: number;

  constructor(options: PodmanImageTesterOptions = {}) {
    this.#podman = options.podman ?? 'podman';
    this.#env = options.env ?? {};
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  async test(request: ImageTestRequest): Promise<ImageTestReport> {
    const log = request.log ?? (() => undefined);
    const config = await this.#inspect(request.image);
    const container = `drydock-test-${randomBytes(6).toString('hex')}`;
    const signal = request.signal;
    if (signal?.aborted) throw new ImageTestInterruptedError(request.image, { cause: signal.reason });
    await this.#start(request.image, container);
    log(`started ${container} from ${request.image} (no network)`);
    // Stopping removes the container at once: the exec running in it ends, and the runner reports the run
    // as interrupted rather than as a failed test.
    const removeNow = () => {
      log(`interrupted: removing ${container}`);
      void this.#podmanRun(['rm', '--force', '--time', '0', container]).catch(() => undefined);
    };
    signal?.addEventListener('abort', removeNow, { once: true });
    try {
      const probe: ImageProbe = {
        config: async () => config,
        exec: (argv, env, timeoutMs) => this.#exec(container, argv, env, timeoutMs),
        stat: (path, timeoutMs) => this.#stat(container, path, timeoutMs),
        read: (path, timeoutMs) => this.#read(container, path, timeoutMs),
      };
      return await runImageTests(request.suite, probe, {
        image: request.image,
        timeLimitMs: request.timeLimitMs,
        testTimeoutMs: Math.min(request.testTimeoutMs ?? 30_000, request.timeLimitMs),
        ...(signal ? { signal } : {}),
        onResult: (r) =>
          log(
            `${r.passed ? 'PASS' : 'FAIL'} ${r.id} ${r.name} (${r.durationMs} ms)${r.failures.map((f) => `\n  ${f}`).join('')}`,
          ),
      });
    } finally {
      signal?.removeEventListener('abort', removeNow);
      await this.#podmanRun(['rm', '--force', '--time', '0', container]).catch(() => undefined);
      log(`removed ${container}`);
    }
  }

  #podmanRun(
    args: readonly string[],
    timeoutMs = this.#commandTimeoutMs,
    maxOutputBytes?: number,
  ): Promise<ToolResult> {
    return runTool({
      command: this.#podman,
      args,
      env: this.#env,
      timeoutMs,
      debianPackage: 'podman',
      ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }),
    });
  }

  async #inspect(image: string): Promise<ImageConfig> {
    const run = await this.#podmanRun(['image', 'inspect', '--format', 'json', '--', image]);
    if (run.exitCode !== 0) {
      throw new ImageTestSandboxError(
        image,
        run.timedOut ? 'podman image inspect timed out' : lastLine(run.stderr),
        {
          retryable: run.timedOut,
        },
      );
    }
    const [info] = JSON.parse(run.stdout) as Pick<InspectedImage, 'Config'>[];
    return imageConfigOf(info ?? {});
  }

  async #start(image: string, container: string): Promise<void> {
    const run = await this.#podmanRun([
      'run',
      '--detach',
      '--rm',
      '--name',
      container,
      '--network',
      'none',
      // Root in the container is an unprivileged host uid, as in the builds.
      USERNS_AUTO,
      '--init',
      '--pull',
      'never',
      '--ulimit',
      'nofile=1024:1024',
      '--ulimit',
      'nproc=4096:4096',
      '--label',
      'io.drydock.role=image-test',
      // catatonit in pause mode keeps the container up whatever the image holds; the tests exec into it.
      '--entrypoint',
      '/run/podman-init',
      image,
      '-P',
    ]);
    if (run.exitCode === 0) return;
    await this.#podmanRun(['rm', '--force', '--time', '0', container]).catch(() => undefined);
    if (/init binary not found|catatonit/.test(run.stderr)) {
      throw new ToolMissingError('catatonit', 'catatonit', { cause: new Error(run.stderr.trim()) });
    }
    // The image is there (inspected above): a container that does not start is the machine's fault, not the
    // definition's, and is tried again rather than reported as a failed test. Seen here about once in ten
    // loaded runs: runc's "error preparing rootfs: mount …/vfs/dir/…: permission denied" on a fresh
    // user-namespaced copy of the image, which the next start does not meet.
    throw new ImageTestSandboxError(
      image,
      run.timedOut ? 'podman run timed out' : `podman run failed: ${lastLine(run.stderr)}`,
      { retryable: true },
    );
  }

  async #exec(
    container: string,
    argv: readonly string[],
    env: Readonly<Record<string, string>>,
    timeoutMs: number,
    user?: string,
    maxOutputBytes?: number,
  ): Promise<CommandObservation & { truncated: boolean }> {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const userArgs = user === undefined ? [] : ['--user', user];
    const run = await this.#podmanRun(
      ['exec', ...envArgs, ...userArgs, container, ...argv],
      timeoutMs,
      maxOutputBytes,
    );
    return {
      exitCode: run.timedOut ? null : run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      truncated: run.truncated,
      ...(run.timedOut ? { timedOutAfterMs: timeoutMs } : {}),
    };
  }

  async #stat(container: string, path: string, timeoutMs: number): Promise<FileStat> {
    // As root: the checks are about what the image holds, not what its user may see.
    const run = await this.#exec(container, ['stat', '-L', '-c', '%f %u %g', '--', path], {}, timeoutMs, '0');
    const problem = toolProblem(run, 'stat', 'check files');
    if (problem) return problem;
    if (run.exitCode !== 0) {
      if (/No such file|Not a directory/.test(run.stderr)) return { exists: false };
      return { error: `stat exited with ${run.exitCode}: ${lastLine(run.stderr)}` };
    }
    const match = /^([0-9a-f]+) (\d+) (\d+)\s*$/.exec(run.stdout);
    if (!match) return { error: `unexpected stat output ${JSON.stringify(run.stdout.slice(0, 80))}` };
    return {
      exists: true,
      mode: Number.parseInt(match[1] as string, 16),
      uid: Number(match[2]),
      gid: Number(match[3]),
    };
  }

  async #read(container: string, path: string, timeoutMs: number): Promise<FileRead> {
    const run = await this.#exec(container, ['cat', '--', path], {}, timeoutMs, '0', MAX_FILE_BYTES);
    const problem = toolProblem(run, 'cat', 'read files');
    if (problem) return problem;
    if (run.exitCode !== 0) {
      if (/No such file|Not a directory/.test(run.stderr)) return { exists: false };
      return { error: `cat exited with ${run.exitCode}: ${lastLine(run.stderr)}` };
    }
    if (run.truncated) return { error: `the file is larger than ${MAX_FILE_BYTES} bytes` };
    return { exists: true, content: run.stdout };
  }
}

// A failure of the helper command itself (timed out, not in the image), as opposed to its answer about the path.
function toolProblem(run: CommandObservation, tool: string, purpose: string): { error: string } | undefined {
  if (run.timedOutAfterMs !== undefined)
    return { error: `${tool} timed out after ${run.timedOutAfterMs} ms` };
  if (
    (run.exitCode === 126 || run.exitCode === 127) &&
    /executable file not found|no such file or directory/i.test(run.stderr)
  ) {
    return { error: `the image has no ${tool} command, which the tests need to ${purpose}` };
  }
  return undefined;
}
