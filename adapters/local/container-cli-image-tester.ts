import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
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
import type { ImageTestSuite } from '../../core/image-tests/schema.js';
import {
  type ImageTester,
  type ImageTestRequest,
  ImageTestSandboxError,
} from '../../core/ports/image-tester.js';
import { type ContainerCli, ContainerEngineError, imageConfigOf, lastLine } from './container-cli.js';
import { MODE_TYPE_BITS, type TarFirstEntry, TarFirstEntryReader } from './tar-first-entry.js';

/** Options of the container CLI image tester. */
export interface ContainerCliImageTesterOptions {
  /** Time limit of the engine's own steps (inspect, create, commit, kill, rm). @default 60000 */
  readonly stepTimeoutMs?: number;
}

// A file the content tests read whole; bigger files are refused, not half-read.
const MAX_FILE_BYTES = 4 * 1024 * 1024;
// As the kernel's ELOOP: a chain of symbolic links this long is a loop.
const MAX_SYMLINK_HOPS = 40;
const ROLE_LABEL = 'io.drydock.role=image-test';
const SUITE_LABEL = 'io.drydock.image-test';

// What `cp` says of a path that does not exist: Docker's daemon, Docker's CLI, podman.
const NOT_FOUND =
  /could not find the file|no such container:path|could not be found on container|not a directory/i;

/**
 * ImageTester over the Docker or podman command line, with only the commands both have, as
 * container-structure-test's Docker driver does: each command runs in a fresh container with no network
 * (`run --rm --network none --pull never`, the test's command as entrypoint); a command test with setup or
 * teardown steps builds on each step's result (`commit`); files are read from a container that is created and
 * never started (`cp CONTAINER:PATH -`, a tar stream of which only the first entry is read). Every container and
 * image it made is removed afterwards.
 */
export class ContainerCliImageTester implements ImageTester {
  readonly #cli: ContainerCli;
  readonly #stepTimeoutMs: number;

  constructor(cli: ContainerCli, options: ContainerCliImageTesterOptions = {}) {
    this.#cli = cli;
    this.#stepTimeoutMs = options.stepTimeoutMs ?? 60_000;
  }

  async test(request: ImageTestRequest): Promise<ImageTestReport> {
    const log = request.log ?? (() => undefined);
    const inspected = await this.#cli.inspectImage(request.image, this.#stepTimeoutMs).catch((error) => {
      throw error instanceof ContainerEngineError
        ? new ImageTestSandboxError(request.image, error.message, {
            retryable: error.retryable,
            cause: error,
          })
        : error;
    });
    if (!inspected) throw new ImageTestSandboxError(request.image, `${this.#cli.binary} has no such image`);
    const run = new SuiteRun(this.#cli, inspected.Id, this.#stepTimeoutMs, ownersChecked(request.suite));
    log(`testing ${request.image} with ${this.#cli.binary}: a container per command, no network`);
    try {
      return await runImageTests(request.suite, run.probe(imageConfigOf(inspected)), {
        image: request.image,
        timeLimitMs: request.timeLimitMs,
        testTimeoutMs: Math.min(request.testTimeoutMs ?? 30_000, request.timeLimitMs),
        // Stops between commands: the one running ends within its own time limit and its container is removed.
        ...(request.signal ? { signal: request.signal } : {}),
        onResult: (r) =>
          log(
            `${r.passed ? 'PASS' : 'FAIL'} ${r.id} ${r.name} (${r.durationMs} ms)${r.failures.map((f) => `\n  ${f}`).join('')}`,
          ),
      });
    } finally {
      const removed = await run.cleanup();
      log(`removed ${removed} container${removed === 1 ? '' : 's'}`);
    }
  }
}

// The paths whose owner a test checks: the only ones an engine that rewrites owners in `cp` must stat.
function ownersChecked(suite: ImageTestSuite): ReadonlySet<string> {
  return new Set(
    suite.fileExistenceTests.filter((t) => t.uid !== undefined || t.gid !== undefined).map((t) => t.path),
  );
}

/** One suite's containers and images, all labelled with the suite's id so that cleanup finds every one. */
class SuiteRun {
  readonly #cli: ContainerCli;
  readonly #image: string;
  readonly #stepTimeoutMs: number;
  readonly #ownersChecked: ReadonlySet<string>;
  readonly #id = randomBytes(6).toString('hex');
  readonly #committed: string[] = [];
  #filesContainer: Promise<string> | undefined;

  constructor(cli: ContainerCli, image: string, stepTimeoutMs: number, ownersChecked: ReadonlySet<string>) {
    this.#cli = cli;
    this.#image = image;
    this.#stepTimeoutMs = stepTimeoutMs;
    this.#ownersChecked = ownersChecked;
  }

  probe(config: ImageConfig): ImageProbe {
    return {
      config: async () => config,
      exec: (argv, env, timeoutMs) => this.#run(this.#image, argv, env, timeoutMs, { remove: true }),
      stat: (path, timeoutMs) => this.#stat(path, timeoutMs),
      read: (path, timeoutMs) => this.#read(path, timeoutMs),
      withSteps: (body) => this.#steps(body),
    };
  }

  /** Removes every container of the suite and every image it committed; returns how many containers. */
  async cleanup(): Promise<number> {
    const listed = await this.#cli
      .run(['ps', '--all', '--quiet', '--filter', `label=${SUITE_LABEL}=${this.#id}`], this.#stepTimeoutMs)
      .catch(() => undefined);
    const containers = listed?.exitCode === 0 ? listed.stdout.split('\n').filter((l) => l.trim() !== '') : [];
    if (containers.length > 0) await this.#remove(...containers);
    for (const image of this.#committed.splice(0).reverse()) await this.#removeImage(image);
    return containers.length;
  }

  #name(): string {
    return `drydock-test-${this.#id}-${randomBytes(4).toString('hex')}`;
  }

  #labels(): string[] {
    return ['--label', ROLE_LABEL, '--label', `${SUITE_LABEL}=${this.#id}`];
  }

  async #run(
    image: string,
    argv: readonly string[],
    env: Readonly<Record<string, string>>,
    timeoutMs: number,
    options: { remove: boolean; name?: string; user?: string },
  ): Promise<CommandObservation> {
    const [command, ...args] = argv;
    const name = options.name ?? this.#name();
    const result = await this.#cli.run(
      [
        'run',
        ...(options.remove ? ['--rm'] : []),
        `--name=${name}`,
        '--network',
        'none',
        ...this.#cli.userNamespaceArgs(),
        '--pull',
        'never',
        ...this.#labels(),
        '--ulimit',
        'nofile=1024:1024',
        '--ulimit',
        'nproc=4096:4096',
        ...Object.entries(env).map(([k, v]) => `--env=${k}=${v}`),
        ...(options.user === undefined ? [] : [`--user=${options.user}`]),
        // The test's command replaces the image's entrypoint and command, as in container-structure-test.
        `--entrypoint=${command ?? ''}`,
        image,
        ...args,
      ],
      timeoutMs,
    );
    if (result.timedOut) {
      // Stopping the client leaves the container running under the engine: kill it now, remove it after.
      await this.#cli.run(['kill', name], this.#stepTimeoutMs).catch(() => undefined);
      if (options.remove) await this.#remove(name);
    }
    return {
      exitCode: result.timedOut ? null : result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.timedOut ? { timedOutAfterMs: timeoutMs } : {}),
    };
  }

  // A command test's steps, each in a container of the image the step before it left (committed), as
  // container-structure-test's Docker driver runs setup; the images are dropped after the test.
  async #steps<T>(body: (exec: ImageProbe['exec']) => Promise<T>): Promise<T> {
    let image = this.#image;
    let previous: string | undefined;
    const images: string[] = [];
    const exec: ImageProbe['exec'] = async (argv, env, timeoutMs) => {
      if (previous !== undefined) {
        const container = previous;
        previous = undefined;
        const stdout = await this.#cli.check(['commit', container], this.#stepTimeoutMs);
        image = lastLine(stdout);
        images.push(image);
        this.#committed.push(image);
        await this.#remove(container);
      }
      const name = this.#name();
      previous = name;
      return this.#run(image, argv, env, timeoutMs, { remove: false, name });
    };
    try {
      return await body(exec);
    } finally {
      if (previous !== undefined) await this.#remove(previous);
      for (const committed of images.reverse()) {
        await this.#removeImage(committed);
        this.#committed.splice(this.#committed.indexOf(committed), 1);
      }
    }
  }

  async #remove(...containers: string[]): Promise<void> {
    // --volumes: `create` makes an anonymous volume for each VOLUME of the image.
    await this.#cli
      .run(['rm', '--force', '--volumes', ...containers], this.#stepTimeoutMs)
      .catch(() => undefined);
  }

  async #removeImage(image: string): Promise<void> {
    await this.#cli.run(['image', 'rm', '--force', image], this.#stepTimeoutMs).catch(() => undefined);
  }

  // One container per suite for the file checks, created (so that the image's files can be copied) and never started.
  #files(): Promise<string> {
    this.#filesContainer ??= (async () => {
      const name = this.#name();
      await this.#cli.check(
        [
          'create',
          `--name=${name}`,
          '--network',
          'none',
          ...this.#cli.userNamespaceArgs(),
          '--pull',
          'never',
          ...this.#labels(),
          '--entrypoint=/drydock-never-started',
          this.#image,
        ],
        this.#stepTimeoutMs,
      );
      return name;
    })();
    return this.#filesContainer;
  }

  async #stat(path: string, timeoutMs: number): Promise<FileStat> {
    const found = await this.#follow(path, false, timeoutMs);
    if (!('entry' in found)) return found;
    const { entry } = found.first;
    const owner =
      this.#cli.copyKeepsOwners || !this.#ownersChecked.has(path)
        ? { uid: entry.uid, gid: entry.gid }
        : await this.#ownerByStat(found.resolved, timeoutMs);
    if ('error' in owner) return owner;
    return { exists: true, mode: MODE_TYPE_BITS[entry.type] | entry.permissions, ...owner };
  }

  async #read(path: string, timeoutMs: number): Promise<FileRead> {
    const found = await this.#follow(path, true, timeoutMs);
    if (!('entry' in found)) return found;
    const { entry, body } = found.first;
    if (entry.type === 'directory') return { error: `${path} is a directory` };
    if (entry.type !== 'file') return { error: `${path} is not a regular file (${entry.type})` };
    if (body === undefined) return { error: `the file is larger than ${MAX_FILE_BYTES} bytes` };
    return { exists: true, content: body.toString('utf8') };
  }

  // Copies the path out, following symbolic links as stat -L does (podman's cp follows them itself, Docker's not).
  async #follow(
    path: string,
    body: boolean,
    timeoutMs: number,
  ): Promise<
    { entry: true; first: TarFirstEntry; resolved: string } | { exists: false } | { error: string }
  > {
    const deadline = Date.now() + timeoutMs;
    // `cp` reads a trailing "/." as "the directory's contents": ask for the path itself.
    let current = posix.normalize(path).replace(/(.)\/+$/, '$1');
    for (let hops = 0; ; hops++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { error: `${this.#cli.binary} cp timed out after ${timeoutMs} ms` };
      const copied = await this.#copyOut(current, body, remaining, timeoutMs);
      if (!('entry' in copied)) return copied;
      if (copied.entry.type !== 'symlink') return { entry: true, first: copied, resolved: current };
      if (hops >= MAX_SYMLINK_HOPS) return { error: `too many levels of symbolic links at ${path}` };
      current = posix.resolve(posix.dirname(current), copied.entry.linkName);
    }
  }

  async #copyOut(
    path: string,
    body: boolean,
    timeoutMs: number,
    limitMs: number,
  ): Promise<TarFirstEntry | { exists: false } | { error: string }> {
    let container: string;
    try {
      container = await this.#files();
    } catch (error) {
      return { error: `cannot create a container to read files from: ${(error as Error).message}` };
    }
    const reader = new TarFirstEntryReader({ body, maxBodyBytes: MAX_FILE_BYTES });
    let answer: TarFirstEntry | undefined;
    let result: Awaited<ReturnType<ContainerCli['stream']>>;
    try {
      result = await this.#cli.stream(['cp', `${container}:${path}`, '-'], timeoutMs, (chunk) => {
        answer = reader.push(chunk);
        return answer !== undefined;
      });
    } catch (error) {
      if (error instanceof ContainerEngineError || (error as Error).name === 'TarFormatError') {
        return { error: `${this.#cli.binary} cp ${path}: ${(error as Error).message}` };
      }
      throw error;
    }
    if (answer) return answer;
    if (result.timedOut) return { error: `${this.#cli.binary} cp timed out after ${limitMs} ms` };
    if (result.exitCode !== 0) {
      if (NOT_FOUND.test(result.stderr)) return { exists: false };
      return { error: `${this.#cli.binary} cp ${path} failed: ${lastLine(result.stderr) || 'no message'}` };
    }
    try {
      return reader.end() ?? { error: `${this.#cli.binary} cp ${path} gave an empty archive` };
    } catch (error) {
      return { error: `${this.#cli.binary} cp ${path}: ${(error as Error).message}` };
    }
  }

  // The owner as the image's own stat reports it, run as root in a container of its own.
  async #ownerByStat(
    path: string,
    timeoutMs: number,
  ): Promise<{ uid: number; gid: number } | { error: string }> {
    const run = await this.#run(this.#image, ['stat', '-L', '-c', '%u %g', '--', path], {}, timeoutMs, {
      remove: true,
      user: '0',
    });
    const why = `${this.#cli.binary} cp reports every file as owned by the container's user, so owners are read with the image's stat`;
    if (run.timedOutAfterMs !== undefined) return { error: `stat timed out after ${run.timedOutAfterMs} ms` };
    if (run.exitCode === 126 || run.exitCode === 127)
      return { error: `${why}, which the image does not have` };
    const match = /^(\d+) (\d+)\s*$/.exec(run.stdout);
    if (run.exitCode !== 0 || !match) {
      return {
        error: `${why}, which failed: ${lastLine(run.stderr) || JSON.stringify(run.stdout.slice(0, 80))}`,
      };
    }
    return { uid: Number(match[1]), gid: Number(match[2]) };
  }
}
