import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ContainerEngine } from '../../adapters/local/container-cli.js';
import { parseEventText, readEventsFile } from '../../adapters/local/jsonl-event-bus.js';
import { DrydockError } from '../../core/errors.js';
import { type DetailType, type DrydockEvent, toEventBridge } from '../../core/events/index.js';
import { EVENT_RULES, matchingRules } from '../../core/events/rules.js';
import { buildStep, publishStep, runStep, type Step, testStep } from '../../core/steps/index.js';
import {
  type CodeBuildPortName,
  type CodeBuildPorts,
  codebuildPorts,
} from '../../runtime/codebuild/ports.js';
import { type CliIo, EXIT, UsageError } from '../context.js';

/** The steps a CodeBuild build runs, in order. */
const CODEBUILD_STEPS = { build: buildStep, test: testStep, publish: publishStep } as const;
type CodeBuildStepName = keyof typeof CODEBUILD_STEPS;

interface StepFlags {
  readonly event?: string;
  readonly events: string;
  readonly context: string;
  readonly work: string;
  readonly engine: ContainerEngine;
  readonly registry?: string;
  readonly repositoryPrefix?: string;
  readonly timeLimit?: string;
  readonly format: 'text' | 'json';
}

/** The exit status of a step that could not run (a tool missing, the registry down): the build phase fails. */
const EXIT_NOT_RUN = 1;

/** `drydock step build|test|publish`: one step of the push flow over local files, as the CodeBuild build runs it. */
export function registerStep(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('step')
    .description(
      'Run one pipeline step (build, test or publish) on an event, appending what it publishes to a file',
    )
    .argument('<step>', 'build, test or publish')
    .option(
      '--event <file>',
      'the input event (JSON, drydock or EventBridge form); default: the last event of --events',
    )
    .requiredOption(
      '--events <file>',
      'the JSONL file the steps append their events to, one wire-form event a line',
    )
    .requiredOption(
      '--context <dir>',
      "the definition's directory at the commit (image-tests.yaml beside the Dockerfile)",
    )
    .requiredOption('--work <dir>', 'the work dir: build records, workspaces, reports/image-tests.xml')
    .addOption(
      new Option('--engine <engine>', 'the container engine that builds, tests and pushes')
        .choices(['docker', 'podman'])
        .default('docker'),
    )
    .option(
      '--registry <host>',
      'the registry host bases come from and images go to (default: $ECR_REGISTRY)',
    )
    .option(
      '--repository-prefix <prefix>',
      'the path images are published under, as <registry>/<prefix>/apps/… (default: $REPOSITORY_PREFIX)',
    )
    .option(
      '--time-limit <seconds>',
      'time limit of the build (default: $DRYDOCK_BUILD_TIMEOUT_SECONDS or 1800) or of the test suite ' +
        '(default: $DRYDOCK_TEST_TIMEOUT_SECONDS or 600)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
A step runs only when the push flow's rules (EVENT_RULES) route its input to it: after a failed build the
test step prints why it does nothing and exits 0, so the chain stops. Labels, pinned bases, tags, log tails
and the JUnit report (<work>/reports/image-tests.xml) come from the same code as the local pipeline.

Exit status: 0 the step ran (a failed build or test is an event in --events, not an exit status) or had
nothing to do; 1 the step could not run (engine missing, registry unreachable); 2 bad command line or input.

Examples:
  drydock step build --event .drydock/request.json --events .drydock/events.jsonl \\
    --context .drydock/context --work .drydock --engine docker
  drydock step test --events .drydock/events.jsonl --context .drydock/context --work .drydock
  drydock step publish --events .drydock/events.jsonl --context .drydock/context --work .drydock \\
    --registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com --repository-prefix drydock --format json`,
    )
    .action(async (name: string, flags: StepFlags) => setExit(await runStepCommand(name, flags, io)));
}

async function runStepCommand(name: string, flags: StepFlags, io: CliIo): Promise<number> {
  if (!Object.hasOwn(CODEBUILD_STEPS, name)) {
    throw new UsageError(
      `unknown step ${JSON.stringify(name)}: one of ${Object.keys(CODEBUILD_STEPS).join(', ')}`,
    );
  }
  const stepName = name as CodeBuildStepName;
  const step = CODEBUILD_STEPS[stepName];
  // The flag wins over the project's variable, which wins over the default; a value of either that is not a
  // positive whole number of seconds (`30m`, `0`) is refused, never read as NaN or 0 (no limit, or none left).
  const limitMs = (flag: string | undefined, variable: string, fallback: number): number => {
    const [value, what] =
      flag !== undefined && flag !== '' ? [flag, '--time-limit'] : [io.env[variable], variable];
    if (value === undefined || value === '') return fallback * 1000;
    if (!/^\d{1,7}$/.test(value) || Number(value) === 0) {
      throw new UsageError(`${what} must be a whole number of seconds, not ${JSON.stringify(value)}`);
    }
    return Number(value) * 1000;
  };
  const eventsFile = resolve(io.cwd, flags.events);
  const input = await readInput(flags, eventsFile, io);
  const where = `${input.where} (${input.event.detailType})`;
  const targets = [...new Set(matchingRules(EVENT_RULES, input.event).map((r) => r.target))];
  if (!targets.includes(stepName)) {
    const routed = targets.length > 0 ? `it goes to ${targets.join(', ')}` : 'no rule routes it';
    return skipped(
      io,
      flags,
      stepName,
      `${where} is not for the ${stepName} step (${routed}); nothing to do`,
    );
  }

  const published: DrydockEvent[] = [];
  const buildTimeoutMs = limitMs(
    stepName === 'build' ? flags.timeLimit : undefined,
    'DRYDOCK_BUILD_TIMEOUT_SECONDS',
    1800,
  );
  const testTimeLimitMs = limitMs(
    stepName === 'test' ? flags.timeLimit : undefined,
    'DRYDOCK_TEST_TIMEOUT_SECONDS',
    600,
  );
  const registryHost = flags.registry ?? io.env.ECR_REGISTRY;
  const repositoryPrefix = flags.repositoryPrefix ?? io.env.REPOSITORY_PREFIX;
  const ports = codebuildPorts({
    subject: input.event.detail as { repository: string; commit: string; definition: string },
    engine: flags.engine,
    engineEnv: io.env,
    ...(registryHost ? { registryHost } : {}),
    ...(repositoryPrefix ? { repositoryPrefix } : {}),
    contextDir: resolve(io.cwd, flags.context),
    workDir: resolve(io.cwd, flags.work),
    eventsFile,
    buildTimeoutMs,
    testTimeLimitMs,
    logLine: (line) => {
      (flags.format === 'text' ? io.stdout : io.stderr)(`${line}\n`);
    },
  });
  const bus = ports.bus;
  try {
    const guarded: CodeBuildPorts = {
      ...ports,
      bus: {
        publish: async (events: readonly DrydockEvent[]) => {
          await bus.publish(events);
          published.push(...events);
        },
      },
    };
    await runStep(step as Step<string, DetailType, CodeBuildPortName>, input.event, guarded);
  } catch (error) {
    if (!(error instanceof DrydockError) && !(error instanceof Error)) throw error;
    io.stderr(`drydock step ${stepName}: could not run on ${where}: ${error.message}\n`);
    if (flags.format === 'json') {
      io.stdout(
        `${JSON.stringify({ step: stepName, ran: false, error: error.message, published: published.map(toEventBridge) })}\n`,
      );
    }
    return EXIT_NOT_RUN;
  }
  if (flags.format === 'json') {
    io.stdout(
      `${JSON.stringify({ step: stepName, ran: true, input: input.where, published: published.map(toEventBridge) })}\n`,
    );
  } else {
    for (const e of published) io.stdout(`drydock step ${stepName}: published ${e.detailType} (${e.id})\n`);
  }
  return EXIT.ok;
}

function skipped(io: CliIo, flags: StepFlags, step: string, reason: string): number {
  if (flags.format === 'json') io.stdout(`${JSON.stringify({ step, ran: false, reason, published: [] })}\n`);
  else io.stdout(`drydock step ${step}: ${reason}\n`);
  return EXIT.ok;
}

// The input: the --event file, or the last line of --events; an unreadable or invalid one is a usage error.
async function readInput(
  flags: StepFlags,
  eventsFile: string,
  io: CliIo,
): Promise<{ event: DrydockEvent; where: string }> {
  try {
    if (flags.event !== undefined) {
      const path = resolve(io.cwd, flags.event);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the event file ${flags.event}: ${(error as Error).message}`);
      }
      return { event: parseEventText(text, flags.event), where: flags.event };
    }
    const entries = await readEventsFile(eventsFile);
    const last = entries.at(-1);
    if (!last) throw new UsageError(`${flags.events} holds no event: pass --event for the first step`);
    return { event: last.event, where: `${flags.events}:${last.line}` };
  } catch (error) {
    if (error instanceof DrydockError) throw new UsageError(error.message);
    throw error;
  }
}
