import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import * as z from 'zod';
import { DrydockError } from '../../core/errors.js';
import { BUILD_COMPLETED } from '../../core/events/build-completed.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../../core/events/build-failed.js';
import { BUILD_REQUESTED, type BuildRequestedEvent } from '../../core/events/build-requested.js';
import { EVENT_SOURCE } from '../../core/events/envelope.js';
import { stableId as stableEventId } from '../../core/events/ids.js';
import { IMAGE_PUBLISHED } from '../../core/events/image-published.js';
import { IMAGE_TESTED } from '../../core/events/image-tested.js';
import { type DrydockEvent, parseEvent } from '../../core/events/index.js';
import { awsCall } from './aws-service-error.js';
import { BUILD_ENV } from './build-contract.js';
import { entrySize, PUT_EVENTS_MAX_BYTES, toPutEventsEntry } from './eventbridge-event-bus.js';

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
  /** When the build started (BatchGetBuilds): an events file older than that is another build's. */
  readonly startedAt?: Date;
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
  const startedAt = build.startTime === undefined ? facts.startedAt : new Date(build.startTime);
  return {
    ...facts,
    ...(startedAt && !Number.isNaN(startedAt.getTime()) ? { startedAt } : {}),
    env: new Map([...facts.env, ...env]),
    exported: new Map([...facts.exported, ...exported]),
    phases: phases.length > 0 ? phases : facts.phases,
    ...(logLink ? { logLink } : {}),
  };
}

/** A finished build whose facts lack what drydock needs: not a drydock build, or a request that is not one. */
export class BuildStateInvalidError extends DrydockError {
  override readonly name = 'BuildStateInvalidError';

  constructor(buildArn: string, problem: string) {
    super(`CodeBuild build ${buildArn}: ${problem}`, { code: 'BUILD_STATE_INVALID' });
  }
}

/** The drydock build id StartBuild gave the build (`DRYDOCK_BUILD_ID`); a build without one is not drydock's. */
export function buildIdOf(facts: BuildFacts): string {
  const id = facts.env.get(BUILD_ENV.buildId);
  if (!id)
    throw new BuildStateInvalidError(facts.arn, `environment variable ${BUILD_ENV.buildId} is missing`);
  return id;
}

/** The stored request of a build, checked to be the `Build Requested` of this build. */
export function buildRequestOf(facts: BuildFacts, buildId: string, stored: unknown): BuildRequestedEvent {
  if (stored === undefined) throw new BuildStateInvalidError(facts.arn, `no stored request for ${buildId}`);
  const parsed = parseEvent(stored);
  if (!parsed.ok) throw new BuildStateInvalidError(facts.arn, `its request: ${parsed.error.message}`);
  if (parsed.event.detailType !== BUILD_REQUESTED || parsed.event.detail.buildId !== buildId) {
    throw new BuildStateInvalidError(
      facts.arn,
      `its stored request is not the Build Requested of ${buildId}`,
    );
  }
  return parsed.event;
}

/** A line of a build's events file that is not relayed, and why. */
export interface RefusedLine {
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

/** What a build's events file holds: the events to relay, in order, and the lines refused. */
export interface BuildEvents {
  readonly events: readonly DrydockEvent[];
  readonly refused: readonly RefusedLine[];
}

/**
 * The events of a build's `events.jsonl` that may be relayed: each line a valid drydock event (`parseEvent`), of a
 * detail-type the build's steps may emit (`allowed`), about this build (its build id, repository, commit and
 * definition are the request's), published once. The build runs the team's Dockerfile and writes this file, so
 * every other line is refused, never relayed: another build's `Image Published`, a forged `Base Image Banned`, an
 * event out of the flow (`Image Published` with no passed `Image Tested` before it, anything after the end), an
 * event larger than a PutEvents entry, an event older than this CodeBuild build (`startedAt`): the file of an
 * earlier build of the same id, left there when this one stopped before uploading its own.
 * A file read only up to its cap (`truncated`) loses its cut last line.
 */
export function buildEventsOf(
  text: string,
  request: BuildRequestedEvent,
  options: {
    readonly allowed: ReadonlySet<string>;
    /** The detail-types that may follow an event of a detail-type (the emits of the steps consuming it). */
    readonly next: (detailType: string) => ReadonlySet<string>;
    readonly truncated: boolean;
    /** When this CodeBuild build started: an event published before it (less the skew allowed) is an earlier build's. */
    readonly startedAt?: Date;
  },
): BuildEvents {
  const events: DrydockEvent[] = [];
  const refused: RefusedLine[] = [];
  const ids = new Set<string>();
  const want = request.detail;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const refuse = (reason: string) => refused.push({ line: i + 1, reason });
    if (options.truncated && i === lines.length - 1) {
      if (line !== '') refuse('cut at the read cap');
      return;
    }
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      refuse('not JSON');
      return;
    }
    const parsed = parseEvent(json);
    if (!parsed.ok) {
      refuse(`not a drydock event: ${parsed.error.message.slice(0, 300)}`);
      return;
    }
    const event = parsed.event;
    const notBefore = options.startedAt && options.startedAt.getTime() - EVENT_CLOCK_SKEW_MS;
    if (notBefore !== undefined && !(Date.parse(event.time) >= notBefore)) {
      refuse(
        `${event.detailType} of ${event.time.slice(0, 40)} is older than this CodeBuild build (started ${options.startedAt?.toISOString()}): an earlier build's`,
      );
      return;
    }
    // An entry PutEvents refuses would fail the whole relay on every delivery, the build's outcome never told.
    const bytes = entrySize(toPutEventsEntry(event, ''));
    if (bytes > PUT_EVENTS_MAX_BYTES) {
      refuse(
        `${event.detailType} is ${bytes} bytes on the wire; EventBridge takes at most ${PUT_EVENTS_MAX_BYTES}`,
      );
      return;
    }
    if (!options.allowed.has(event.detailType)) {
      refuse(`${event.detailType} is not an event the build's steps may publish`);
      return;
    }
    const d = event.detail as Partial<Record<'buildId' | 'repository' | 'commit' | 'definition', string>>;
    for (const field of ['buildId', 'repository', 'commit', 'definition'] as const) {
      if (d[field] !== want[field]) {
        refuse(
          `${event.detailType} of ${field} ${JSON.stringify(String(d[field]).slice(0, 200))}, not ${want[field]}`,
        );
        return;
      }
    }
    const previous = events.at(-1);
    const expected = endsBuild(previous)
      ? new Set<string>()
      : options.next(previous?.detailType ?? BUILD_REQUESTED);
    if (!expected.has(event.detailType)) {
      refuse(
        `${event.detailType} cannot follow ${previous ? previous.detailType : 'the request'}${
          endsBuild(previous) ? ', which ended the build' : ''
        }`,
      );
      return;
    }
    if (ids.has(event.id)) {
      refuse(`event ${event.id} appears twice`);
      return;
    }
    ids.add(event.id);
    events.push(event);
  });
  return { events, refused };
}

// How far the build host's clock may be behind CodeBuild's start time; an earlier build of the same id ended long
// before (the build starter starts one build per id a day).
const EVENT_CLOCK_SKEW_MS = 60_000;

/** Whether an event ends a build: published, failed, or tests that did not pass. */
export function endsBuild(event: DrydockEvent | undefined): boolean {
  if (!event) return false;
  if (event.detailType === IMAGE_PUBLISHED || event.detailType === BUILD_FAILED) return true;
  return event.detailType === IMAGE_TESTED && !event.detail.passed;
}

// The step that did not report: none reported → build; the image built → test; its tests passed → push.
function stageAfter(last: DrydockEvent | undefined): 'build' | 'test' | 'push' {
  if (last?.detailType === BUILD_COMPLETED) return 'test';
  if (last?.detailType === IMAGE_TESTED) return 'push';
  return 'build';
}

/**
 * The `Build Failed` for a finished build whose relayed events do not end it (`last`: the last relayed event),
 * from the CodeBuild facts: the stage after the last event, the failed phase and its message, a link to the log
 * and its tail; undefined when the events end the build or the build is still running.
 */
export function unfinishedBuild(
  facts: BuildFacts,
  request: BuildRequestedEvent,
  last: DrydockEvent | undefined,
  options: { readonly now: Date; readonly logTail?: string },
): BuildFailedEvent | undefined {
  if (facts.status === 'IN_PROGRESS' || endsBuild(last)) return undefined;
  const stage = stageAfter(last);
  const failed = facts.phases.find((p) => p.status !== undefined && p.status !== 'SUCCEEDED');
  const context = (failed?.context ?? []).filter((c) => c.trim() !== '' && c.trim() !== ':');
  const reason =
    facts.status === 'SUCCEEDED'
      ? `the CodeBuild build succeeded but drydock's ${stage} step reported no outcome`
      : `CodeBuild build ${facts.status.toLowerCase().replace('_', ' ')}${failed?.type ? ` in ${failed.type}` : ''}${
          context.length > 0 ? `: ${context.join('; ')}` : ''
        }`;
  const durationMs = Math.round(facts.phases.reduce((sum, p) => sum + (p.seconds ?? 0), 0) * 1000);
  const { dockerfile: _dockerfile, substitutions: _substitutions, ...subject } = request.detail;
  const event = {
    id: stableEventId('build-failed', facts.arn),
    source: EVENT_SOURCE,
    detailType: BUILD_FAILED,
    time: options.now.toISOString(),
    detail: {
      ...subject,
      stage,
      reason,
      durationMs,
      ...(facts.logLink ? { logPath: facts.logLink } : {}),
      logTail: options.logTail ?? context.join('\n'),
    },
  };
  const parsed = parseEvent(event);
  if (!parsed.ok) throw new BuildStateInvalidError(facts.arn, parsed.error.message);
  return parsed.event as BuildFailedEvent;
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
