import { finalStageBase } from '../dockerfile/dockerfile-bases.js';
import { type ExternalImage, externalImages } from '../dockerfile/image-uses.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { DrydockError } from '../errors.js';
import { BUILD_COMPLETED, type BuildCompletedEvent } from '../events/build-completed.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../events/build-failed.js';
import type { BuildRequestedEvent } from '../events/build-requested.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import { rebuildIdParts, rebuildKey, withRebuild } from '../events/rebuild-ids.js';
import { formatImageRef, parseImageRef } from '../image-ref/index.js';
import {
  BuildContextInvalidError,
  type BuildContextSource,
  type BuildWorkspaces,
} from '../ports/build-context.js';
import type { BuildRecord, BuildRecords } from '../ports/build-records.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildService,
  BuildTimedOutError,
} from '../ports/build-service.js';
import type { PipelineRegistry } from '../ports/image-registry.js';
import { capLogLine, capLogTail } from './event-caps.js';
import { pinnedTagOf, pinnedTagProblem } from './pinned-tag.js';

/** The log of one build: one line per `write`, kept at `path` (a file locally, CloudWatch Logs on AWS). */
export interface BuildLog {
  readonly path: string;
  write(line: string): void;
  /** Flushes and closes the log; called once, when the build step is done with it. */
  close(): Promise<void>;
}

/**
 * What the build step needs: the context, the builder, the registry the bases come from, the records. Event
 * times come from the records (when the build finished), so a replayed outcome carries the same time.
 */
export interface BuildStepDeps {
  readonly context: BuildContextSource;
  readonly builder: BuildService;
  /** Resolves the digest of every external image; only bases in this registry can be built on. */
  readonly registry: PipelineRegistry;
  readonly records: BuildRecords;
  readonly workspace: BuildWorkspaces;
  readonly logSink: (buildId: string) => BuildLog;
  readonly timeoutMs: number;
  /** Lines of the log carried in the outcome event. @default 20 */
  readonly tailLines?: number;
  /** Aborted when the pipeline stops: a running build is ended and left to run again, not failed. */
  readonly signal?: AbortSignal;
}

/** The pipeline stopped while the build ran: the build did not fail, and its request is to be handled again. */
export class BuildInterruptedError extends DrydockError {
  override readonly name = 'BuildInterruptedError';

  constructor(buildId: string, options: { cause?: unknown } = {}) {
    super(
      `build ${buildId} was interrupted because the pipeline is stopping; it runs again at the next start`,
      {
        code: 'BUILD_INTERRUPTED',
        retryable: true,
        ...options,
      },
    );
  }
}

/** The outcome of one build: the image to test next, or why there is none. */
export type BuildOutcome = BuildCompletedEvent | BuildFailedEvent;

/** Label names drydock sets on every image it builds. */
export const BUILD_LABELS = {
  baseName: 'org.opencontainers.image.base.name',
  baseDigest: 'org.opencontainers.image.base.digest',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  buildId: 'io.drydock.build-id',
  definition: 'io.drydock.definition',
  /** Set on a ban's rebuild only: the manifest digest of the published image it replaces. */
  rebuildOf: 'io.drydock.rebuild-of',
  /** Set on a ban's rebuild only: the id of the ban it answers. */
  ban: 'io.drydock.ban',
} as const;

/** The local tag of a build's image, which the test and publish steps read it by. */
export function buildImageTag(buildId: string): string {
  return `localhost/drydock-build/${buildId}:latest`;
}

/**
 * The `org.opencontainers.image.source` of a definition: `drydock://<repository>/<definition>`, the same on
 * every runtime, unlike a path or URL of the machine that happens to host the bare repository.
 */
export function definitionSource(repository: string, definition: string): string {
  return `drydock://${repository}/${definition}`;
}

const BUILD_ID = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const PAST_BUILDING = new Set(['testing', 'pushing', 'published']);

/**
 * Builds one requested definition: resolves every external base through the pipeline's registry (a base
 * elsewhere fails the build, as does a `name:tag@digest` whose tag points at another digest), pins the bases by digest, exports the context, builds with the lineage labels
 * and moves the record queued → building → testing (or failed). A redelivered request whose record is past
 * building returns the recorded outcome without building again; event ids derive from (repository, commit,
 * definition), and for a ban's rebuild also from its ban id and number: a rebuild has its own record (keyed by
 * `rebuildKey`), carries `rebuild` on its outcome and labels the image `io.drydock.rebuild-of` and
 * `io.drydock.ban`. A context the source refuses with `BuildContextInvalidError` is a `Build Failed` with its reason.
 * Throws `ToolMissingError`, `BuildInterruptedError` (`signal` aborted) and retryable errors (registry
 * unavailable) for the worker to handle.
 */
export async function runBuild(event: BuildRequestedEvent, deps: BuildStepDeps): Promise<BuildOutcome> {
  const d = event.detail;
  const { record } = await deps.records.enqueue({
    buildId: d.buildId,
    repository: d.repository,
    definition: d.definition,
    commit: d.commit,
    correlationId: d.correlationId,
    ...(d.rebuild ? { rebuild: rebuildKey(d.rebuild) } : {}),
  });
  const buildId = record.buildId;
  if (!BUILD_ID.test(buildId)) {
    throw new DrydockError(
      `build id ${JSON.stringify(buildId)} cannot name an image (lower-case a-z, 0-9, ._-)`,
      {
        code: 'BUILD_ID_INVALID',
      },
    );
  }
  const previous = recordedOutcome(event, record);
  if (previous === 'completed') {
    // The bases are not recorded; they resolve again to the digests the image was pinned to unless a tag moved.
    const again = await resolveBases(d.dockerfile, d.definition, deps.registry);
    return completed(event, record, { bases: again.ok ? again.bases : [], logTail: '' });
  }
  if (previous) return previous;

  const tailLines = deps.tailLines ?? 20;
  const log = deps.logSink(buildId);
  const tail: string[] = [];
  const write = (line: string) => {
    log.write(line);
    // The log keeps the whole line; the tail is carried in the outcome event, where a team's line is cut.
    tail.push(capLogLine(line));
    if (tail.length > tailLines) tail.shift();
  };
  try {
    const resolution = await resolveBases(d.dockerfile, d.definition, deps.registry);
    for (const b of resolution.ok ? resolution.bases : []) write(`drydock: base ${b.name} is ${b.digest}`);
    if (!resolution.ok) {
      write(`drydock: ${resolution.reason}`);
      return await failed(event, deps, buildId, { reason: resolution.reason, logPath: log.path, tail });
    }
    await deps.records.transition(buildId, 'building', { logPath: log.path });
    const labels: Record<string, string> = {
      [BUILD_LABELS.source]: definitionSource(d.repository, d.definition),
      [BUILD_LABELS.revision]: d.commit,
      [BUILD_LABELS.buildId]: buildId,
      [BUILD_LABELS.definition]: d.definition,
    };
    // Set on every build, empty on a push's, so that no LABEL of the Dockerfile can make an image pass for a
    // ban's rebuild of another image.
    labels[BUILD_LABELS.rebuildOf] = d.rebuild?.of ?? '';
    labels[BUILD_LABELS.ban] = d.rebuild?.banId ?? '';
    // Set even when the final stage has no base (FROM scratch), empty, so that no LABEL of the Dockerfile names one.
    labels[BUILD_LABELS.baseName] = resolution.labelBase?.name ?? '';
    labels[BUILD_LABELS.baseDigest] = resolution.labelBase?.digest ?? '';
    const workspace = await deps.workspace(buildId);
    let imageId: string;
    try {
      await deps.context.export(d.repository, d.commit, dirOf(d.definition), workspace.contextDir);
      const built = await deps.builder.build({
        buildId,
        contextDir: workspace.contextDir,
        dockerfileText: resolution.pinned,
        tag: buildImageTag(buildId),
        labels,
        timeoutMs: deps.timeoutMs,
        log: write,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      imageId = built.imageId;
    } catch (error) {
      if (error instanceof BuildCancelledError) {
        write('drydock: build interrupted: the pipeline is stopping');
        throw new BuildInterruptedError(buildId, { cause: error });
      }
      // A team's context that may not be built from is the team's to fix, told like a failed RUN; a fault of the
      // pipeline's own (a used workspace, git failing) is thrown for the worker and stays retryable or dead-lettered.
      if (error instanceof BuildContextInvalidError) {
        write(`drydock: ${error.message}`);
        return await failed(event, deps, buildId, { reason: error.message, logPath: log.path, tail });
      }
      if (error instanceof BuildFailedError || error instanceof BuildTimedOutError) {
        const reason = error instanceof BuildFailedError ? firstLine(error.message) : error.message;
        return await failed(event, deps, buildId, {
          reason,
          logPath: log.path,
          tail: error.logTail.slice(-tailLines),
        });
      }
      throw error;
    } finally {
      await workspace.release();
    }
    const done = await deps.records.transition(buildId, 'testing', { imageDigest: imageId });
    return completed(event, done, { bases: resolution.bases, logTail: capLogTail(tail) });
  } finally {
    await log.close();
  }
}

/** The outcome a finished build already recorded, or undefined when the build must (re)run. */
function recordedOutcome(
  event: BuildRequestedEvent,
  record: BuildRecord,
): BuildFailedEvent | 'completed' | undefined {
  // A build that made an image stays completed even when a later step (test, push) failed.
  if (record.imageDigest !== undefined && (PAST_BUILDING.has(record.state) || record.state === 'failed')) {
    return 'completed';
  }
  if (record.state === 'failed') {
    return failedEvent(event, record, { reason: record.error ?? 'the build failed', logTail: '' });
  }
  return undefined;
}

interface ResolvedBase {
  /** The normalised reference as written (`127.0.0.1:5000/base/busybox:1.36.0`). */
  readonly name: string;
  readonly digest: string;
}

type Resolution =
  | {
      readonly ok: true;
      readonly bases: readonly ResolvedBase[];
      /** The final stage's external base, the one the image's base labels name; none for `FROM scratch`. */
      readonly labelBase?: ResolvedBase;
      /** The Dockerfile with every external image pinned to the digest resolved. */
      readonly pinned: string;
    }
  | { readonly ok: false; readonly reason: string };

async function resolveBases(
  text: string,
  definition: string,
  registry: PipelineRegistry,
): Promise<Resolution> {
  const { model } = parseDockerfile(text, definition);
  if (model.stages.length === 0) return { ok: false, reason: `${definition} has no FROM instruction` };
  const uses = externalImages(model);
  if (uses.unresolved.length > 0) {
    return { ok: false, reason: uses.unresolved.map((u) => `line ${u.loc.line}: ${u.reason}`).join('; ') };
  }
  const parsed = uses.images.map((image) => ({ image, result: parseImageRef(image.text) }));
  const invalid = parsed.flatMap((p) => (p.result.ok ? [] : [`line ${p.image.line}: ${p.result.error}`]));
  if (invalid.length > 0) return { ok: false, reason: invalid.join('; ') };
  const refs = parsed.map((p) => ({ image: p.image, ref: (p.result as { ok: true; ref: ImageRefOf }).ref }));
  const foreign = refs.filter((r) => r.ref.registry !== registry.host);
  if (foreign.length > 0) {
    const names = [...new Set(foreign.map((r) => formatImageRef(r.ref)))].join(', ');
    return {
      ok: false,
      reason:
        `base image ${names} is not in the pipeline's registry ${registry.host}; ` +
        `drydock builds only on bases published there`,
    };
  }
  const resolved = new Map<ExternalImage, ResolvedBase>();
  const missing: string[] = [];
  const mispinned: string[] = [];
  for (const { image, ref } of refs) {
    const name = formatImageRef(ref);
    const details = await registry.inspect(name);
    if (details === undefined) {
      missing.push(name);
      continue;
    }
    // `name:tag@digest` builds on the digest: the tag the gate judged and the labels name must point at it.
    const tagged = pinnedTagOf(ref);
    const problem = tagged && pinnedTagProblem(ref, (await registry.inspect(tagged))?.digest);
    if (problem) mispinned.push(`line ${image.line}: ${problem}`);
    resolved.set(image, { name, digest: details.digest });
  }
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `base image ${[...new Set(missing)].join(', ')} not found in ${registry.host}`,
    };
  }
  if (mispinned.length > 0) return { ok: false, reason: mispinned.join('; ') };
  const bases = [...new Map([...resolved.values()].map((b) => [`${b.name}@${b.digest}`, b])).values()];
  const final = finalStageBase(model, uses.images);
  const labelBase = final === undefined ? undefined : resolved.get(final);
  return { ok: true, bases, pinned: pin(text, refs, resolved), ...(labelBase ? { labelBase } : {}) };
}

type ImageRefOf = Extract<ReturnType<typeof parseImageRef>, { ok: true }>['ref'];

/** Rewrites each external reference to `name@digest` so that the build uses exactly the base it is labelled with. */
function pin(
  text: string,
  refs: readonly { image: ExternalImage; ref: ImageRefOf }[],
  resolved: ReadonlyMap<ExternalImage, ResolvedBase>,
): string {
  let out = text;
  for (const { image, ref } of [...refs].sort((a, b) => b.image.start - a.image.start)) {
    const base = resolved.get(image);
    // An offset that does not point at the written reference is left alone rather than corrupting the file.
    if (base === undefined || out.slice(image.start, image.end) !== image.written) continue;
    out = `${out.slice(0, image.start)}${ref.name}@${base.digest}${out.slice(image.end)}`;
  }
  return out;
}

async function failed(
  event: BuildRequestedEvent,
  deps: BuildStepDeps,
  buildId: string,
  failure: { reason: string; logPath: string; tail: readonly string[] },
): Promise<BuildFailedEvent> {
  // A reason may quote the team's Dockerfile (a RUN line, every base it names): cut like a line of the log.
  const reason = capLogLine(failure.reason);
  const record = await deps.records.transition(buildId, 'failed', {
    error: reason,
    logPath: failure.logPath,
  });
  return failedEvent(event, record, { reason, logTail: capLogTail(failure.tail) });
}

function failedEvent(
  event: BuildRequestedEvent,
  record: BuildRecord,
  outcome: { reason: string; logTail: string },
): BuildFailedEvent {
  const d = event.detail;
  const at = lastEntry(record, 'failed') ?? record.updatedAt;
  const started = lastEntry(record, 'building');
  return {
    id: stableId('build-failed', d.repository, d.commit, d.definition, ...rebuildIdParts(d.rebuild)),
    source: EVENT_SOURCE,
    detailType: BUILD_FAILED,
    time: at.toISOString(),
    detail: {
      buildId: record.buildId,
      repository: d.repository,
      commit: d.commit,
      definition: d.definition,
      correlationId: d.correlationId,
      ...withRebuild(d.rebuild),
      stage: 'build',
      reason: outcome.reason,
      ...(started ? { durationMs: Math.max(0, at.getTime() - started.getTime()) } : {}),
      ...(record.logPath === undefined ? {} : { logPath: record.logPath }),
      logTail: outcome.logTail,
    },
  };
}

function completed(
  event: BuildRequestedEvent,
  record: BuildRecord,
  outcome: { bases: readonly ResolvedBase[]; logTail: string },
): BuildCompletedEvent {
  const d = event.detail;
  // The first `testing` after the last start is when the build finished; later steps do not move it.
  const startIndex = record.history.map((h) => h.state).lastIndexOf('building');
  const finished =
    record.history.slice(startIndex + 1).find((h) => h.state === 'testing')?.at ?? record.updatedAt;
  const started = startIndex >= 0 ? record.history[startIndex]!.at : finished;
  return {
    id: stableId('build-completed', d.repository, d.commit, d.definition, ...rebuildIdParts(d.rebuild)),
    source: EVENT_SOURCE,
    detailType: BUILD_COMPLETED,
    time: finished.toISOString(),
    detail: {
      buildId: record.buildId,
      repository: d.repository,
      commit: d.commit,
      definition: d.definition,
      correlationId: d.correlationId,
      ...withRebuild(d.rebuild),
      imageRef: buildImageTag(record.buildId),
      configDigest: record.imageDigest!,
      bases: outcome.bases.map((b) => ({ name: b.name, digest: b.digest })),
      durationMs: Math.max(0, finished.getTime() - started.getTime()),
      ...(record.logPath === undefined ? {} : { logPath: record.logPath }),
      logTail: outcome.logTail,
    },
  };
}

function lastEntry(record: BuildRecord, state: BuildRecord['state']): Date | undefined {
  return [...record.history].reverse().find((h) => h.state === state)?.at;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  return line.replace(/^build \S+ failed: /, '');
}
