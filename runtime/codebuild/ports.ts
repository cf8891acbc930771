import { join } from 'node:path';
import { ContainerCli, type ContainerEngine } from '../../adapters/local/container-cli.js';
import { ContainerCliBuildService } from '../../adapters/local/container-cli-build-service.js';
import { ContainerCliImageRegistry } from '../../adapters/local/container-cli-image-registry.js';
import { ContainerCliImageTester } from '../../adapters/local/container-cli-image-tester.js';
import { DirectoryBuildContext } from '../../adapters/local/directory-build-context.js';
import { DirectoryDefinitionSource } from '../../adapters/local/directory-definition-source.js';
import { DirectoryTestReports } from '../../adapters/local/directory-test-reports.js';
import { tempBuildWorkspaces } from '../../adapters/local/git-build-context.js';
import { JsonFileBuildRecords } from '../../adapters/local/json-file-build-records.js';
import { JsonlEventBus } from '../../adapters/local/jsonl-event-bus.js';
import { DrydockError } from '../../core/errors.js';
import { systemClock } from '../../core/ports/clock.js';
import type { PipelineRegistry } from '../../core/ports/image-registry.js';
import type { buildStep, publishStep, StepPorts, testStep } from '../../core/steps/index.js';

/** The ports the three steps CodeBuild runs declare (build, test, publish). */
export type CodeBuildPortName =
  | (typeof buildStep.ports)[number]
  | (typeof testStep.ports)[number]
  | (typeof publishStep.ports)[number];

/** The ports of a CodeBuild build. */
export type CodeBuildPorts = Pick<StepPorts, CodeBuildPortName>;

/** The one build a CodeBuild run serves: its definition of a repository at a commit (from the input event). */
export interface CodeBuildSubject {
  readonly repository: string;
  readonly commit: string;
  readonly definition: string;
}

/** Where a CodeBuild build's files are and what it runs with. */
export interface CodeBuildPortsOptions {
  readonly subject: CodeBuildSubject;
  readonly engine: ContainerEngine;
  /** Added to the engine's environment (DOCKER_CONFIG, podman's CONTAINERS_* files). */
  readonly engineEnv?: Readonly<Record<string, string | undefined>>;
  /** Registry host (ECR_REGISTRY); without it the registry port refuses every call (the test step needs none). */
  readonly registryHost?: string;
  /** REPOSITORY_PREFIX: the registry's namespace, which the publish step pushes under; bases are read as written. */
  readonly repositoryPrefix?: string;
  /** The unzipped context: the definition's directory at the commit, image-tests.yaml beside the Dockerfile. */
  readonly contextDir: string;
  /** The build's work dir (`.drydock`): build records, workspaces, the JUnit report under `reports/`. */
  readonly workDir: string;
  /** The JSONL file the steps append their events to. */
  readonly eventsFile: string;
  readonly buildTimeoutMs: number;
  readonly testTimeLimitMs: number;
  /** Each line of the build's log (CodeBuild keeps stdout as the build's log). */
  readonly logLine: (line: string) => void;
  /** What events name as the log's place. @default 'codebuild' */
  readonly logPath?: string;
  readonly signal?: AbortSignal;
}

/** Where the test step writes the JUnit XML the buildspec's report group reads, under the work dir. */
export const REPORT_FILE = join('reports', 'image-tests.xml');

/**
 * The composition root of the CodeBuild runtime: the ports `buildStep`, `testStep` and `publishStep` declare,
 * over the build's own files and the container engine (Docker in CodeBuild). Nothing here reaches AWS: the
 * buildspec downloads the request and context and uploads the events file.
 */
export function codebuildPorts(options: CodeBuildPortsOptions): CodeBuildPorts {
  const engineEnv = options.engineEnv ?? {};
  const cli = new ContainerCli({ engine: options.engine, env: engineEnv });
  const definitionDir = dirOf(options.subject.definition);
  const scope = { ...options.subject, dir: options.contextDir, definitionDir };
  const registry: PipelineRegistry = options.registryHost
    ? new ContainerCliImageRegistry({
        cli,
        host: options.registryHost,
        ...(options.repositoryPrefix ? { repositoryPrefix: options.repositoryPrefix } : {}),
      })
    : noRegistry();
  return {
    bus: new JsonlEventBus(options.eventsFile),
    clock: systemClock,
    source: new DirectoryDefinitionSource(scope),
    buildContext: new DirectoryBuildContext(scope),
    workspaces: tempBuildWorkspaces(options.workDir),
    builder: new ContainerCliBuildService({
      engine: options.engine,
      env: engineEnv,
      scratchDir: options.workDir,
    }),
    buildLogs: () => ({
      path: options.logPath ?? 'codebuild',
      write: (line) => options.logLine(line),
      close: async () => undefined,
    }),
    limits: {
      buildTimeoutMs: options.buildTimeoutMs,
      testTimeLimitMs: options.testTimeLimitMs,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    registry,
    records: new JsonFileBuildRecords(join(options.workDir, 'build-records.json')),
    tester: new ContainerCliImageTester(cli),
    testReports: new DirectoryTestReports(join(options.workDir, REPORT_FILE)),
    localImages: {
      discard: async (image) => {
        await cli.check(['image', 'rm', image], 60_000);
      },
    },
  };
}

/** A registry port for a step that was given no registry host: any use is a configuration fault. */
function noRegistry(): PipelineRegistry {
  const refuse = async (): Promise<never> => {
    throw new DrydockError('no registry: pass --registry or set ECR_REGISTRY', {
      code: 'REGISTRY_NOT_CONFIGURED',
    });
  };
  return { host: '', push: refuse, inspect: refuse };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
