import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import * as z from 'zod';
import { DrydockError } from '../../core/errors.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../../core/events/build-failed.js';
import { BaseImage, EVENT_SOURCE } from '../../core/events/envelope.js';
import { stableId as stableEventId } from '../../core/events/ids.js';
import { IMAGE_PUBLISHED, type ImagePublishedEvent } from '../../core/events/image-published.js';
import { parseEvent } from '../../core/events/index.js';
import { awsCall } from './aws-service-error.js';
import { BUILD_ENV, BUILD_EXPORTS } from './build-contract.js';

const NameValue = z.object({ name: z.string(), value: z.string() });

/** The detail of CodeBuild's `Build State Change` event, the fields drydock reads (others pass through). */
export const CodeBuildStateDetail = z.object({
  'build-status': z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT']),
  'project-name': z.string().min(1),
  'build-id': z.string().min(1),
  'additional-information': z
    .object({
      environment: z.object({ 'environment-variables': z.array(NameValue).optional() }).optional(),
      'exported-environment-variables': z.array(NameValue).optional(),
      logs: z
        .object({
          'deep-link': z.string().optional(),
          's3-deep-link': z.string().optional(),
        })
        .optional(),
      phases: z
        .array(
          z.object({
            'phase-type': z.string().optional(),
            'phase-status': z.string().optional(),
            'phase-context': z.array(z.string()).optional(),
            'duration-in-seconds': z.number().optional(),
          }),
        )
        .optional(),
    })
    .default({}),
  // Some deliveries carry the exported variables beside `additional-information`.
  'exported-environment-variables': z.array(NameValue).optional(),
});
export type CodeBuildStateDetail = z.infer<typeof CodeBuildStateDetail>;

/** What drydock reads about one finished build, from the state change event or from BatchGetBuilds. */
export interface BuildFacts {
  readonly arn: string;
  readonly status: CodeBuildStateDetail['build-status'];
  /** The environment overrides StartBuild set. */
  readonly env: ReadonlyMap<string, string>;
  /** The buildspec's exported variables. */
  readonly exported: ReadonlyMap<string, string>;
  readonly phases: readonly {
    readonly type?: string;
    readonly status?: string;
    readonly context: readonly string[];
    readonly seconds?: number;
  }[];
  /** A link to the build's log (CloudWatch console, else S3). */
  readonly logLink?: string;
}

const vars = (list: readonly { name?: string; value?: string }[] | undefined) =>
  new Map((list ?? []).flatMap((v) => (v.name === undefined ? [] : [[v.name, v.value ?? ''] as const])));

/** The facts the state change event carries. */
export function factsFromEvent(detail: CodeBuildStateDetail): BuildFacts {
  const info = detail['additional-information'];
  const logLink = info.logs?.['deep-link'] ?? info.logs?.['s3-deep-link'];
  return {
    arn: detail['build-id'],
    status: detail['build-status'],
    env: vars(info.environment?.['environment-variables']),
    exported: vars([
      ...(info['exported-environment-variables'] ?? []),
      ...(detail['exported-environment-variables'] ?? []),
    ]),
    phases: (info.phases ?? []).map((p) => ({
      ...(p['phase-type'] === undefined ? {} : { type: p['phase-type'] }),
      ...(p['phase-status'] === undefined ? {} : { status: p['phase-status'] }),
      context: p['phase-context'] ?? [],
      ...(p['duration-in-seconds'] === undefined ? {} : { seconds: p['duration-in-seconds'] }),
    })),
    ...(logLink ? { logLink } : {}),
  };
}

/** The facts of the event, completed by what BatchGetBuilds returned (it always lists the exported variables). */
export function withBuild(facts: BuildFacts, build: Build | undefined): BuildFacts {
  if (!build || (build.arn !== undefined && build.arn !== facts.arn)) return facts;
  const env = vars(build.environment?.environmentVariables);
  const exported = vars(build.exportedEnvironmentVariables);
  const phases = (build.phases ?? []).map((p) => ({
    ...(p.phaseType === undefined ? {} : { type: p.phaseType }),
    ...(p.phaseStatus === undefined ? {} : { status: p.phaseStatus }),
    context: (p.contexts ?? []).map((c) => [c.statusCode, c.message].filter(Boolean).join(': ')),
    ...(p.durationInSeconds === undefined ? {} : { seconds: p.durationInSeconds }),
  }));
  const logLink = facts.logLink ?? build.logs?.deepLink ?? build.logs?.s3DeepLink;
  return {
    ...facts,
    env: new Map([...facts.env, ...env]),
    exported: new Map([...facts.exported, ...exported]),
    phases: phases.length > 0 ? phases : facts.phases,
    ...(logLink ? { logLink } : {}),
  };
}

/** What a state change means for drydock. */
export type BuildStateOutcome =
  | { readonly kind: 'published'; readonly event: ImagePublishedEvent; readonly basesKnown: boolean }
  | { readonly kind: 'failed'; readonly event: BuildFailedEvent }
  | { readonly kind: 'ignored'; readonly reason: string };

/** A finished build whose facts lack what drydock needs: not a drydock build, or a buildspec that exported too little. */
export class BuildStateInvalidError extends DrydockError {
  override readonly name = 'BuildStateInvalidError';

  constructor(buildArn: string, problem: string) {
    super(`CodeBuild build ${buildArn}: ${problem}`, { code: 'BUILD_STATE_INVALID' });
  }
}

/** The failed step: the buildspec's own `DRYDOCK_STAGE` when exported, else `push` for POST_BUILD, else `build`. */
function failedStage(stage: string | undefined, phase: string | undefined): 'build' | 'test' | 'push' {
  if (stage === 'build' || stage === 'test' || stage === 'push') return stage;
  return phase === 'POST_BUILD' ? 'push' : 'build';
}

/** The bases the build reports: its exported JSON list, else the final-stage base StartBuild named, else none. */
function basesOf(facts: BuildFacts): BaseImage[] | undefined {
  const exported = facts.exported.get(BUILD_EXPORTS.bases);
  if (exported) {
    let data: unknown;
    try {
      data = JSON.parse(exported);
    } catch {
      throw new BuildStateInvalidError(facts.arn, `exported variable ${BUILD_EXPORTS.bases} is not JSON`);
    }
    const parsed = z.array(BaseImage).safeParse(data);
    if (!parsed.success) {
      throw new BuildStateInvalidError(
        facts.arn,
        `exported variable ${BUILD_EXPORTS.bases} is not a list of { name, digest }`,
      );
    }
    return parsed.data;
  }
  const name = facts.env.get(BUILD_ENV.baseName);
  const digest = facts.env.get(BUILD_ENV.baseDigest);
  return name && digest ? [{ name, digest }] : undefined;
}

/**
 * Turns a finished build into `Image Published` (from the exported digests and bases) or `Build Failed` (with the
 * failed phase, a log tail and a link to the log). In-progress builds are ignored. The produced event is validated
 * against drydock's schema, so a malformed digest from the buildspec is an error here, not downstream.
 */
export function buildStateOutcome(
  facts: BuildFacts,
  options: { readonly now: Date; readonly registry: string; readonly logTail?: string },
): BuildStateOutcome {
  const { arn, status, env, exported } = facts;
  if (status === 'IN_PROGRESS') return { kind: 'ignored', reason: 'the build is still running' };
  const need = (name: string, from: ReadonlyMap<string, string>, where: string) => {
    const value = from.get(name);
    if (!value) throw new BuildStateInvalidError(arn, `${where} ${name} is missing`);
    return value;
  };
  const subject = {
    buildId: need(BUILD_ENV.buildId, env, 'environment variable'),
    repository: need(BUILD_ENV.repository, env, 'environment variable'),
    commit: need(BUILD_ENV.commit, env, 'environment variable'),
    definition: need(BUILD_ENV.definition, env, 'environment variable'),
    correlationId: need(BUILD_ENV.correlationId, env, 'environment variable'),
  };
  const time = options.now.toISOString();

  if (status === 'SUCCEEDED') {
    const ref =
      exported.get(BUILD_EXPORTS.imageRef) ||
      `${options.registry}/${need(BUILD_ENV.image, env, 'environment variable')}:${need(BUILD_ENV.tag, env, 'environment variable')}`;
    const digest = need(BUILD_EXPORTS.imageDigest, exported, 'exported variable');
    const bases = basesOf(facts);
    return {
      kind: 'published',
      basesKnown: bases !== undefined,
      event: validated<ImagePublishedEvent>(arn, {
        id: stableEventId('image-published', subject.repository, subject.commit, subject.definition, digest),
        source: EVENT_SOURCE,
        detailType: IMAGE_PUBLISHED,
        time,
        detail: {
          buildId: subject.buildId,
          ref,
          digest,
          configDigest: need(BUILD_EXPORTS.configDigest, exported, 'exported variable'),
          bases: bases ?? [],
          definition: subject.definition,
          repository: subject.repository,
          commit: subject.commit,
          correlationId: subject.correlationId,
        },
      }),
    };
  }

  const failed = facts.phases.find((p) => p.status !== undefined && p.status !== 'SUCCEEDED');
  const context = (failed?.context ?? []).filter((c) => c.trim() !== '' && c.trim() !== ':');
  const reason = `CodeBuild build ${status.toLowerCase().replace('_', ' ')}${failed?.type ? ` in ${failed.type}` : ''}${
    context.length > 0 ? `: ${context.join('; ')}` : ''
  }`;
  const durationMs = Math.round(facts.phases.reduce((sum, p) => sum + (p.seconds ?? 0), 0) * 1000);
  return {
    kind: 'failed',
    event: validated<BuildFailedEvent>(arn, {
      id: stableEventId('build-failed', arn),
      source: EVENT_SOURCE,
      detailType: BUILD_FAILED,
      time,
      detail: {
        ...subject,
        stage: failedStage(exported.get(BUILD_EXPORTS.stage), failed?.type),
        reason,
        durationMs,
        ...(facts.logLink ? { logPath: facts.logLink } : {}),
        logTail: options.logTail ?? context.join('\n'),
      },
    }),
  };
}

function validated<E>(arn: string, event: E): E {
  const parsed = parseEvent(event);
  if (!parsed.ok) throw new BuildStateInvalidError(arn, parsed.error.message);
  return parsed.event as E;
}

/** Reads a build with BatchGetBuilds: the exported variables are always there, unlike in some state change events. */
export class CodeBuildBuildReader {
  constructor(private readonly client: CodeBuildClient) {}

  async get(arn: string): Promise<Build | undefined> {
    const out = await awsCall('codebuild:BatchGetBuilds', () =>
      this.client.send(new BatchGetBuildsCommand({ ids: [arn] })),
    );
    return out.builds?.[0];
  }
}
