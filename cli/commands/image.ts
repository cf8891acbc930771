import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ContainerEngine } from '../../adapters/local/container-cli.js';
import { ToolMissingError } from '../../core/errors.js';
import type { ImageTestReport } from '../../core/image-tests/run-image-tests.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { parseBuildArgs } from './check.js';

interface EngineFlags {
  readonly engine: ContainerEngine;
}

interface TestFlags extends EngineFlags {
  readonly network: 'none';
  readonly tests: string;
  readonly timeLimit: string;
  readonly testTimeout: string;
  readonly junit?: string;
  readonly format: 'text' | 'json';
}

interface BasesFlags extends EngineFlags {
  readonly dockerfile: string;
  readonly buildArg?: string[];
  readonly pull?: boolean;
  readonly timeLimit: string;
  readonly format: 'json' | 'env';
}

/** A resolved base: its normalised name and the registry digest it stands for. */
interface ResolvedBase {
  readonly name: string;
  readonly digest: string;
}

const engineOption = () =>
  new Option('--engine <engine>', 'the container engine whose command line runs the images')
    .choices(['docker', 'podman'])
    .default('docker');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `drydock image test` and `drydock image bases`: one image and a container engine, as the CodeBuild build runs them. */
export function registerImage(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const image = program
    .command('image')
    .description('Test a local image or resolve the bases of a Dockerfile with docker or podman');

  image
    .command('test')
    .description(
      'Run the black-box tests of image-tests.yaml (container-structure-test schema) against a local image, ' +
        'each command in a fresh container with no network',
    )
    .argument('<image>', 'the image to test: a local tag or image ID')
    .addOption(engineOption())
    .addOption(
      new Option('--network <mode>', 'network of the test containers (only none)')
        .choices(['none'])
        .default('none'),
    )
    .option('--tests <file>', 'the test file; a missing file means no tests', 'image-tests.yaml')
    .option('--time-limit <seconds>', 'time limit of the whole suite; tests not started by then fail', '600')
    .option('--test-timeout <seconds>', 'time limit of each command, file check or file read', '30')
    .option('--junit <file>', 'also write the results as JUnit XML to this file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Commands run as the image's user with the test's command as entrypoint and the suite's and test's envVars;
a test's setup steps run first, each in a container of the image the step before left (committed). Files
are copied out of a container that is never started (symbolic links followed, at most 4 MiB read); podman's
cp reports every file as owned by the container's user, so with podman a path whose uid or gid a test checks
is looked at with the image's own stat. Every container and image made for the suite is removed afterwards.

Exit status: 0 all tests pass (also when the test file does not exist: 0 tests), 1 a test failed or the
test file is invalid (the JUnit report then holds one failure naming the file), 2 the command line is wrong
or the engine cannot run the tests (not installed, no daemon, no such image).

Examples:
  drydock image test registry.example/app:1 --engine docker --network none \\
    --tests image-tests.yaml --time-limit 600 --junit reports/image-tests.xml
  drydock image test localhost/apps/hello:1 --engine podman --format json | jq '.results[] | select(.passed | not)'`,
    )
    .action(async (ref: string, flags: TestFlags) => setExit(await runImageTest(ref, flags, io)));

  image
    .command('bases')
    .description(
      'Resolve every external image of a Dockerfile to its registry digest, and name the final stage base, ' +
        'for the org.opencontainers.image.base.* labels and lineage',
    )
    .requiredOption('--dockerfile <file>', 'the Dockerfile')
    .option('--build-arg <NAME=value>', 'a build arg the FROM lines use; repeatable', collect)
    .addOption(engineOption())
    .option('--pull', 'pull each image first (otherwise it must be in the engine already)')
    .option('--time-limit <seconds>', 'time limit of the whole resolution, pulls included', '600')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'env']).default('json'))
    .addHelpText(
      'after',
      `
The images are those the gate checks: FROM, COPY --from=<image> and RUN --mount=from=<image>, with ARGs
resolved from their defaults and --build-arg. A reference with a digest keeps it; otherwise the digest is
the one the engine recorded for the repository when the image was pulled. A reference with both a tag and a
digest is refused unless the tag points at that digest (the build uses the digest, the gate judged the tag).

--format json prints {"final": {"name", "digest"} or null for FROM scratch, "bases": [{"name", "digest"}]}.
--format env prints DRYDOCK_BASE_NAME, DRYDOCK_BASE_DIGEST (empty for FROM scratch) and DRYDOCK_BASES
(the bases as a JSON array), each single-quoted for a POSIX shell.

Examples:
  drydock image bases --dockerfile Dockerfile --engine docker --pull --format env > bases.env
  set -a; . ./bases.env; set +a
  drydock image bases --dockerfile Dockerfile --build-arg NODE=20 --engine podman | jq -r .final.digest`,
    )
    .action(async (flags: BasesFlags) => setExit(await runImageBases(flags, io)));
}

async function runImageTest(ref: string, flags: TestFlags, io: CliIo): Promise<number> {
  const timeLimitMs = milliseconds(flags.timeLimit, '--time-limit');
  const testTimeoutMs = milliseconds(flags.testTimeout, '--test-timeout');
  const [{ renderInvalidSuiteJUnitXml, renderJUnitXml }, { ImageTestsInvalidError, parseImageTests }] =
    await Promise.all([
      import('../../core/image-tests/junit-report.js'),
      import('../../core/image-tests/parse-image-tests.js'),
    ]);
  const startedAt = io.now();
  const text = readOptional(resolve(io.cwd, flags.tests), flags.tests);
  const junit = (xml: string) => {
    if (flags.junit === undefined) return;
    writeWhole(resolve(io.cwd, flags.junit), xml);
    if (flags.format === 'text') io.stdout(`JUnit report: ${flags.junit}\n`);
  };

  if (text === undefined) {
    io.stderr(`drydock: ${flags.tests} does not exist: no tests to run, which passes\n`);
    const report: ImageTestReport = {
      image: ref,
      passed: true,
      tests: 0,
      failed: 0,
      durationMs: 0,
      results: [],
    };
    junit(
      renderJUnitXml(report, {
        suiteName: `image tests of ${ref} (no ${flags.tests}: nothing tested)`,
        timestamp: startedAt,
      }),
    );
    printReport(report, flags, io);
    return EXIT.ok;
  }

  let suite: ReturnType<typeof parseImageTests>;
  try {
    suite = parseImageTests(text, flags.tests);
  } catch (error) {
    if (!(error instanceof ImageTestsInvalidError)) throw error;
    // The definition's fault, not the pipeline's: a failed test, as the local pipeline's test step reports it.
    io.stderr(`drydock: ${error.message}\n`);
    junit(renderInvalidSuiteJUnitXml(flags.tests, error.message, { timestamp: startedAt }));
    return EXIT.findings;
  }

  const [{ ContainerCli }, { ContainerCliImageTester }] = await Promise.all([
    import('../../adapters/local/container-cli.js'),
    import('../../adapters/local/container-cli-image-tester.js'),
  ]);
  const tester = new ContainerCliImageTester(new ContainerCli({ engine: flags.engine, env: io.env }));
  const report = await withEngineHint(flags.engine, () =>
    tester.test({
      image: ref,
      suite,
      timeLimitMs,
      testTimeoutMs,
      ...(flags.format === 'text' ? { log: (line: string) => io.stdout(`${line}\n`) } : {}),
    }),
  );
  junit(renderJUnitXml(report, { suiteName: `image tests of ${ref}`, timestamp: startedAt }));
  printReport(report, flags, io);
  return report.passed ? EXIT.ok : EXIT.findings;
}

function printReport(report: ImageTestReport, flags: TestFlags, io: CliIo): void {
  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify({ ...report, ...(flags.junit ? { junit: flags.junit } : {}) }, null, 2)}\n`);
    return;
  }
  const verdict = report.passed ? 'passed' : 'FAILED';
  const tests = `${report.tests} test${report.tests === 1 ? '' : 's'}`;
  io.stdout(
    `${report.image}: ${verdict}, ${tests}, ${report.failed} failed (${seconds(report.durationMs)})\n`,
  );
}

async function runImageBases(flags: BasesFlags, io: CliIo): Promise<number> {
  const deadline = Date.now() + milliseconds(flags.timeLimit, '--time-limit');
  const buildArgs = parseBuildArgs(flags.buildArg);
  const [{ dockerfileBases }, { ContainerCli }, { PinnedTagMismatchError, pinnedTagOf, pinnedTagProblem }] =
    await Promise.all([
      import('../../core/dockerfile/dockerfile-bases.js'),
      import('../../adapters/local/container-cli.js'),
      import('../../core/pipeline/pinned-tag.js'),
    ]);
  const text = readOptional(resolve(io.cwd, flags.dockerfile), flags.dockerfile);
  if (text === undefined) throw new UsageError(`${flags.dockerfile} does not exist`);
  const found = dockerfileBases(text, flags.dockerfile, buildArgs);
  if (!found.ok) {
    throw new UsageError(
      `cannot resolve the bases of ${flags.dockerfile}:\n${found.problems.map((p) => `  ${flags.dockerfile}: ${p}`).join('\n')}`,
    );
  }
  const cli = new ContainerCli({ engine: flags.engine, env: io.env });
  const digests = new Map<string, string>();
  const resolved = await withEngineHint(flags.engine, async () => {
    const out: ResolvedBase[] = [];
    for (const base of found.bases) {
      const key = JSON.stringify(base.ref);
      let digest = digests.get(key);
      if (digest === undefined) {
        if (flags.pull) io.stderr(`pulling ${base.image.text} (line ${base.image.line})\n`);
        const timeoutMs = deadline - Date.now();
        if (timeoutMs <= 0)
          throw new UsageError(`--time-limit ${flags.timeLimit} reached before ${base.image.text}`);
        digest = await cli.resolveDigest(base.ref, { pull: flags.pull ?? false, timeoutMs });
        // `name:tag@digest` is built on the digest: the tag the gate judged must point at it.
        if (pinnedTagOf(base.ref) !== undefined) {
          const byTag = { ...base.ref, digest: undefined };
          const left = Math.max(1, deadline - Date.now());
          const problem = pinnedTagProblem(
            base.ref,
            await cli.resolveDigest(byTag, { pull: flags.pull ?? false, timeoutMs: left }),
          );
          if (problem) throw new PinnedTagMismatchError(`line ${base.image.line}: ${problem}`);
        }
        digests.set(key, digest);
      }
      out.push({ name: base.name, digest });
    }
    return out;
  });
  const bases = [...new Map(resolved.map((b) => [`${b.name}@${b.digest}`, b])).values()];
  const finalIndex = found.final === undefined ? -1 : found.bases.indexOf(found.final);
  const final = finalIndex < 0 ? null : (resolved[finalIndex] ?? null);
  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify({ final, bases }, null, 2)}\n`);
  } else {
    io.stdout(
      [
        `DRYDOCK_BASE_NAME=${shellQuote(final?.name ?? '')}`,
        `DRYDOCK_BASE_DIGEST=${shellQuote(final?.digest ?? '')}`,
        `DRYDOCK_BASES=${shellQuote(JSON.stringify(bases))}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

/** A value in single quotes for a POSIX shell: a quote inside becomes `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

// A missing engine: Docker is not a Debian package everywhere, so say so beside the package name.
async function withEngineHint<T>(engine: ContainerEngine, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ToolMissingError && engine === 'docker') {
      throw new UsageError(
        `${error.tool} is not installed or not executable; install Docker Engine or the Debian package ` +
          `"${error.debianPackage}" (apt-get install ${error.debianPackage}), or pass --engine podman`,
      );
    }
    throw error;
  }
}

function milliseconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} needs a number of seconds above 0, got "${value}"`);
  return Math.round(n * 1000);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function readOptional(path: string, shown: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${shown}: ${(error as Error).message}`);
  }
}

// Written whole (temp file, then rename), so that a report is never read half-written.
function writeWhole(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text, 'utf8');
    renameSync(temp, path);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
