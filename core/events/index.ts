import type * as z from 'zod';
import { quoteInput } from '../errors.js';
import { BAND_AID_REQUESTED, BandAidRequestedEvent } from './band-aid-requested.js';
import { BASE_IMAGE_BANNED, BaseImageBannedEvent } from './base-image-banned.js';
import { BASE_IMAGE_UNBANNED, BaseImageUnbannedEvent } from './base-image-unbanned.js';
import { BUILD_COMPLETED, BuildCompletedEvent } from './build-completed.js';
import { BUILD_FAILED, BuildFailedEvent } from './build-failed.js';
import { BUILD_REQUESTED, BuildRequestedEvent } from './build-requested.js';
import { DEFINITION_GATE_REQUESTED, DefinitionGateRequestedEvent } from './definition-gate-requested.js';
import { DEFINITION_PUSHED, DefinitionPushedEvent } from './definition-pushed.js';
import { DEFINITION_VERDICT, DefinitionVerdictEvent } from './definition-verdict.js';
import { IMAGE_PUBLISHED, ImagePublishedEvent } from './image-published.js';
import { IMAGE_TESTED, ImageTestedEvent } from './image-tested.js';
import { type EventIssue, InvalidEventError } from './invalid-event-error.js';
import { REBUILD_OUTCOME, RebuildOutcomeEvent } from './rebuild-outcome.js';

export * from './band-aid-requested.js';
export * from './base-image-banned.js';
export * from './base-image-unbanned.js';
export * from './build-completed.js';
export * from './build-failed.js';
export * from './build-requested.js';
export * from './definition-gate-requested.js';
export * from './definition-pushed.js';
export * from './definition-verdict.js';
export { CommitId, Digest, EVENT_SOURCE, eventEnvelope } from './envelope.js';
export * from './image-published.js';
export * from './image-tested.js';
export { type EventIssue, InvalidEventError } from './invalid-event-error.js';
export * from './rebuild.js';
export * from './rebuild-outcome.js';

/** The envelope schema of every detail-type drydock emits, keyed by detail-type. */
export const EVENT_SCHEMAS = {
  [DEFINITION_PUSHED]: DefinitionPushedEvent,
  [DEFINITION_GATE_REQUESTED]: DefinitionGateRequestedEvent,
  [DEFINITION_VERDICT]: DefinitionVerdictEvent,
  [BUILD_REQUESTED]: BuildRequestedEvent,
  [BUILD_COMPLETED]: BuildCompletedEvent,
  [BUILD_FAILED]: BuildFailedEvent,
  [IMAGE_TESTED]: ImageTestedEvent,
  [IMAGE_PUBLISHED]: ImagePublishedEvent,
  [BASE_IMAGE_BANNED]: BaseImageBannedEvent,
  [BASE_IMAGE_UNBANNED]: BaseImageUnbannedEvent,
  [BAND_AID_REQUESTED]: BandAidRequestedEvent,
  [REBUILD_OUTCOME]: RebuildOutcomeEvent,
} as const;

/** A detail-type drydock emits. */
export type DetailType = keyof typeof EVENT_SCHEMAS;

/** Any drydock event, discriminated by `detailType`. */
export type DrydockEvent = { [K in DetailType]: z.infer<(typeof EVENT_SCHEMAS)[K]> }[DetailType];

/** The event of one detail-type. */
export type EventOf<K extends DetailType> = Extract<DrydockEvent, { detailType: K }>;

/** The outcome of parsing: the typed event, or an error that names every bad field and keeps the input. */
export type ParseEventResult =
  | { readonly ok: true; readonly event: DrydockEvent }
  | { readonly ok: false; readonly error: InvalidEventError };

/** The detail-types drydock emits, in flow order. */
export const DETAIL_TYPES = Object.keys(EVENT_SCHEMAS) as DetailType[];

// Fields EventBridge adds to every delivered event that drydock's envelope does not carry.
const EVENTBRIDGE_ONLY = new Set(['version', 'account', 'region', 'resources']);

/** The path of a schema issue as `detail.definitions[0].change`. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * The EventBridge wire form (`detail-type`, `replay-name`, account, region…) turned into drydock's envelope
 * fields; drydock's own form, and anything that is not an object, come back as they are.
 */
export function fromEventBridge(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return normalise(input as Record<string, unknown>);
}

/**
 * The key under which a drydock event's own id travels in its EventBridge `detail`: PutEvents cannot set an
 * event's id (EventBridge gives every entry a new one), and consumers need the stable id drydock derived, as the
 * local bus keeps it. The wire form read back takes its id from there and drops the key from the detail.
 */
export const WIRE_ID_KEY = 'drydock-event-id';

function normalise(input: Record<string, unknown>): Record<string, unknown> {
  if (!('detail-type' in input) && !('replay-name' in input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'detail-type') out.detailType = value;
    else if (key === 'replay-name') out.replayName = value;
    else if (!EVENTBRIDGE_ONLY.has(key)) out[key] = value;
  }
  const detail = out.detail;
  if (typeof detail === 'object' && detail !== null && !Array.isArray(detail) && WIRE_ID_KEY in detail) {
    const { [WIRE_ID_KEY]: id, ...rest } = detail as Record<string, unknown>;
    // Only a usable id replaces EventBridge's; anything else stays in the detail, where the schema refuses it.
    if (typeof id === 'string' && id !== '') {
      out.id = id;
      out.detail = rest;
    }
  }
  return out;
}

function isDetailType(value: unknown): value is DetailType {
  return typeof value === 'string' && Object.hasOwn(EVENT_SCHEMAS, value);
}

/**
 * Validates any drydock event by its detail-type (drydock or EventBridge wire form) and returns the typed event,
 * or an `InvalidEventError` naming each bad field path; the input itself is never changed or dropped.
 */
export function parseEvent(input: unknown): ParseEventResult {
  const fail = (issues: EventIssue[], cause?: unknown): ParseEventResult => ({
    ok: false,
    error: new InvalidEventError(issues, input, { cause }),
  });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail([{ path: '', message: 'an event must be a JSON object' }]);
  }
  const candidate = normalise(input as Record<string, unknown>);
  const detailType = candidate.detailType;
  if (!isDetailType(detailType)) {
    const known = DETAIL_TYPES.map((t) => `"${t}"`).join(', ');
    const message =
      detailType === undefined
        ? `is required (one of ${known})`
        : `unknown detail-type ${typeof detailType === 'string' ? quoteInput(detailType) : typeof detailType} (one of ${known})`;
    return fail([{ path: 'detailType', message }]);
  }
  const parsed = EVENT_SCHEMAS[detailType].safeParse(candidate);
  if (parsed.success) return { ok: true, event: parsed.data as DrydockEvent };
  return fail(
    parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })),
    parsed.error,
  );
}

/** The EventBridge wire form of an event (`detail-type`, `replay-name`), the shape rules match and AWS delivers. */
export function toEventBridge(event: DrydockEvent): Record<string, unknown> {
  const { detailType, replayName, ...rest } = event;
  return {
    ...rest,
    'detail-type': detailType,
    ...(replayName === undefined ? {} : { 'replay-name': replayName }),
  };
}
