import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrydockError, quoteInput } from '../../core/errors.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildRequest,
  type BuildService,
  BuildTimedOutError,
  type BuiltImage,
} from '../../core/ports/build-service.js';
import type { ContainerCliOptions } from './container-cli.js';
import { runTool } from './run-tool.js';

/** Options of the container CLI build service: the engine, and where builds write their Dockerfile. */
export interface ContainerCliBuildServiceOptions extends ContainerCliOptions {
  /** Where the Dockerfile of each build is written, outside its context. @default os.tmpdir() */
  readonly scratchDir?: string;
  /** Lines of the log kept for a failed build's error. @default 20 */
  readonly tailLines?: number;
}

// Label keys and build-arg names are argv, never a shell; still, an `=` in a key would move text into the value.
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/**
 * BuildService over `docker build` or `podman build` (CodeBuild's Docker, or podman where there is no Docker):
 * the Dockerfile is written outside the context and passed with `--file`, the image gets `--tag` and every
 * `--label`/`--build-arg`, the image ID comes from `--iidfile`; each output line goes to the build's log. The
 * build is stopped at its time limit (`BuildTimedOutError`) or when its signal aborts (`BuildCancelledError`);
 * a build that exits non-zero fails with `BuildFailedError` and the log's last lines.
 */
export class ContainerCliBuildService implements BuildService {
  readonly #options: ContainerCliBuildServiceOptions;
  readonly #binary: string;
  readonly #env: Record<string, string>;

  constructor(options: ContainerCliBuildServiceOptions) {
    this.#options = options;
    this.#binary = options.binary ?? options.engine;
    this.#env = Object.fromEntries(
      Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    );
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const started = Date.now();
    const labels = Object.entries(request.labels ?? {});
    const buildArgs = Object.entries(request.buildArgs ?? {});
    for (const [key] of labels) {
      if (!LABEL_KEY.test(key)) throw invalid(`label key ${quoteInput(key)} is not valid`);
    }
    for (const [name] of buildArgs) {
      if (!ARG_NAME.test(name)) throw invalid(`build arg name ${quoteInput(name)} is not valid`);
    }
    const scratch = await mkdtemp(join(this.#options.scratchDir ?? tmpdir(), 'drydock-build-'));
    const tailLines = this.#options.tailLines ?? 20;
    const tail: string[] = [];
    let lastError = '';
    try {
      const dockerfile = join(scratch, 'Dockerfile');
      const iidfile = join(scratch, 'image-id');
      await writeFile(dockerfile, request.dockerfileText, 'utf8');
      const args = [
        'build',
        ...(this.#options.engine === 'docker' ? ['--progress=plain'] : []),
        '--file',
        dockerfile,
        '--tag',
        request.tag,
        '--iidfile',
        iidfile,
        ...labels.flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        ...buildArgs.flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
        '--',
        request.contextDir,
      ];
      const result = await runTool({
        command: this.#binary,
        args,
        env: this.#env,
        debianPackage: this.#options.engine === 'docker' ? 'docker.io' : 'podman',
        timeoutMs: request.timeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
        // The log has every line; the result keeps only what the error needs.
        maxOutputBytes: 64 * 1024,
        onLine: (line, stream) => {
          if (stream === 'stderr' && line.trim() !== '') lastError = line.trim();
          request.log(line);
          tail.push(line);
          if (tail.length > tailLines) tail.shift();
        },
      });
      if (result.aborted) throw new BuildCancelledError(request.buildId);
      if (result.timedOut) throw new BuildTimedOutError(request.buildId, request.timeoutMs, [...tail]);
      if (result.exitCode !== 0) {
        const reason = lastError || `${this.#binary} build exited with ${result.exitCode ?? result.signal}`;
        throw new BuildFailedError(request.buildId, reason, [...tail]);
      }
      const id = (await readFile(iidfile, 'utf8')).trim();
      return {
        imageId: id.startsWith('sha256:') ? id : `sha256:${id}`,
        tag: request.tag,
        durationMs: Date.now() - started,
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

function invalid(message: string): DrydockError {
  return new DrydockError(message, { code: 'BUILD_REQUEST_INVALID' });
}
