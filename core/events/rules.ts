import { BAND_AID_REQUESTED } from './band-aid-requested.js';
import { BASE_IMAGE_BANNED } from './base-image-banned.js';
import { BASE_IMAGE_UNBANNED } from './base-image-unbanned.js';
import { BUILD_COMPLETED } from './build-completed.js';
import { BUILD_FAILED } from './build-failed.js';
import { BUILD_REQUESTED } from './build-requested.js';
import { DEFINITION_GATE_REQUESTED } from './definition-gate-requested.js';
import { DEFINITION_PUSHED } from './definition-pushed.js';
import { DEFINITION_VERDICT } from './definition-verdict.js';
import { EVENT_SOURCE } from './envelope.js';
import { IMAGE_PUBLISHED } from './image-published.js';
import { IMAGE_TESTED } from './image-tested.js';
import { type DrydockEvent, toEventBridge } from './index.js';
import { REBUILD_OUTCOME } from './rebuild-outcome.js';

/** A literal an EventBridge pattern compares with equality. */
export type PatternLiteral = string | number | boolean | null;

/** One value matcher of the EventBridge pattern syntax that drydock uses. */
export type PatternMatcher =
  | PatternLiteral
  | { readonly prefix: string }
  | { readonly 'anything-but': PatternLiteral | readonly PatternLiteral[] | { readonly prefix: string } }
  | { readonly exists: boolean };

/** An EventBridge event pattern: leaves are lists of matchers (any may match), objects nest into the event. */
export interface EventPattern {
  readonly [field: string]: readonly PatternMatcher[] | EventPattern;
}

/** A rule: a stable name, the pattern, and the queue its matching events go to. */
export interface EventRule {
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
  /** The work queue (SQS queue on AWS) the rule delivers to. */
  readonly target: string;
}

/** What git writes for the missing side of a push: `after` of a deleted branch. */
export const ZERO_COMMIT = '0000000000000000000000000000000000000000';

const source = [EVENT_SOURCE] as const;
// EventBridge marks an event replayed from an archive with `replay-name`; a step with side effects (a build,
// a push, a message to a team) must not run again because ops replayed the archive.
const notReplayed = [{ exists: false }] as const;

/** Every rule of the push flow, defined once: the local bus and the EventBridge stack deploy these patterns. */
export const EVENT_RULES = [
  {
    name: 'gate-pushed-definitions',
    description: 'Gate branch pushes that leave a commit behind (not deletions, not tags).',
    pattern: {
      source,
      'detail-type': [DEFINITION_PUSHED],
      'replay-name': notReplayed,
      detail: { ref: [{ prefix: 'refs/heads/' }], after: [{ 'anything-but': ZERO_COMMIT }] },
    },
    target: 'gate',
  },
  {
    name: 'gate-each-definition',
    description:
      'Gate each definition of a push on its own: one message per definition, so one big push cannot hold the gate.',
    pattern: { source, 'detail-type': [DEFINITION_GATE_REQUESTED], 'replay-name': notReplayed },
    target: 'gate',
  },
  {
    name: 'build-requested-definitions',
    description: 'Build each definition the gate passed.',
    pattern: { source, 'detail-type': [BUILD_REQUESTED], 'replay-name': notReplayed },
    target: 'build',
  },
  {
    name: 'test-built-images',
    description: 'Black-box test every image that built.',
    pattern: { source, 'detail-type': [BUILD_COMPLETED], 'replay-name': notReplayed },
    target: 'test',
  },
  {
    name: 'publish-tested-images',
    description: 'Push images whose black-box tests passed.',
    pattern: {
      source,
      'detail-type': [IMAGE_TESTED],
      'replay-name': notReplayed,
      detail: { passed: [true] },
    },
    target: 'publish',
  },
  {
    name: 'record-lineage',
    description: 'Record the lineage of every published image.',
    pattern: { source, 'detail-type': [IMAGE_PUBLISHED] },
    target: 'lineage',
  },
  {
    name: 'notify-teams',
    // A replayed archive must not message teams a second time: EventBridge marks replays with `replay-name`.
    description:
      'Tell the team about failed verdicts, failed builds and failed tests, once (never on replay).',
    pattern: {
      source,
      'detail-type': [DEFINITION_VERDICT, BUILD_FAILED, IMAGE_TESTED],
      'replay-name': notReplayed,
      detail: { passed: [false, { exists: false }] },
    },
    target: 'notify',
  },
  {
    name: 'notify-substitutions',
    description: 'Tell the team when a passed definition is built on a substituted base (never on replay).',
    pattern: {
      source,
      'detail-type': [DEFINITION_VERDICT],
      'replay-name': notReplayed,
      detail: { passed: [true], substituted: [{ exists: true }] },
    },
    target: 'notify',
  },
] as const satisfies readonly EventRule[];

/**
 * The rules of the ban response. The local pipeline routes them with `EVENT_RULES`; the AWS stack deploys them
 * with the ban response on AWS (issue #12), so they are kept apart until then.
 */
export const BAN_RULES = [
  {
    name: 'respond-to-bans',
    description: 'Plan and start the response to a ban, or undo it when the ban is lifted (never on replay).',
    pattern: {
      source,
      'detail-type': [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED],
      'replay-name': notReplayed,
    },
    target: 'ban',
  },
  {
    name: 'track-rebuilds',
    description:
      'Follow each rebuild to its end (published, or failed at the gate, build, tests or push) and start the rebuilds that waited for it.',
    pattern: {
      source,
      'detail-type': [IMAGE_PUBLISHED, BUILD_FAILED, DEFINITION_VERDICT, IMAGE_TESTED],
      'replay-name': notReplayed,
      detail: { rebuild: { banId: [{ exists: true }] }, passed: [false, { exists: false }] },
    },
    target: 'rebuilds',
  },
  {
    name: 'run-band-aids',
    description: 'Run an approved band-aid in the containers of one batch of hosts (never on replay).',
    pattern: { source, 'detail-type': [BAND_AID_REQUESTED], 'replay-name': notReplayed },
    target: 'band-aids',
  },
  {
    name: 'notify-rebuild-outcomes',
    description:
      'Tell the team what a ban did to each of its definitions and the FROM change to make (never on replay).',
    pattern: { source, 'detail-type': [REBUILD_OUTCOME], 'replay-name': notReplayed },
    target: 'notify',
  },
] as const satisfies readonly EventRule[];

/** Every rule the local pipeline routes: the push flow and the ban response. */
export const LOCAL_EVENT_RULES: readonly EventRule[] = [...EVENT_RULES, ...BAN_RULES];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesOne(matcher: PatternMatcher, present: boolean, value: unknown): boolean {
  if (!isObject(matcher)) return present && value === matcher;
  if ('exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  const but = matcher['anything-but'];
  if (isObject(but)) return typeof value === 'string' && !value.startsWith(but.prefix);
  const excluded: readonly PatternLiteral[] = Array.isArray(but) ? but : [but as PatternLiteral];
  return !excluded.includes(value as PatternLiteral);
}

// EventBridge matches a leaf only when it is a scalar or an array of scalars; an array matches when any element does.
function matchesLeaf(matchers: readonly PatternMatcher[], present: boolean, value: unknown): boolean {
  if (present && isObject(value)) return false;
  if (present && Array.isArray(value)) {
    return value.some((element) => matchers.some((m) => matchesOne(m, true, element)));
  }
  return matchers.some((m) => matchesOne(m, present, value));
}

function matchesObject(pattern: EventPattern, value: Record<string, unknown>): boolean {
  for (const [field, expected] of Object.entries(pattern)) {
    const present = Object.hasOwn(value, field);
    const actual = present ? value[field] : undefined;
    if (Array.isArray(expected)) {
      if (!matchesLeaf(expected as readonly PatternMatcher[], present, actual)) return false;
    } else if (isObject(actual)) {
      if (!matchesObject(expected as EventPattern, actual)) return false;
    } else if (!matchesAbsent(expected as EventPattern)) {
      return false;
    }
  }
  return true;
}

// A nested pattern over a missing object matches only when every leaf below accepts a missing field.
function matchesAbsent(pattern: EventPattern): boolean {
  return Object.values(pattern).every((expected) =>
    Array.isArray(expected)
      ? (expected as readonly PatternMatcher[]).some((m) => matchesOne(m, false, undefined))
      : matchesAbsent(expected as EventPattern),
  );
}

/**
 * True when the event matches the pattern under EventBridge semantics: every pattern field must match; a list
 * matches when any matcher does (exact value, `prefix`, `anything-but` value/list/prefix, `exists`).
 * Accepts a drydock event or a plain object in EventBridge wire form.
 */
export function matches(pattern: EventPattern, event: DrydockEvent | Record<string, unknown>): boolean {
  const wire = 'detailType' in event ? toEventBridge(event as DrydockEvent) : event;
  return matchesObject(pattern, wire);
}

/**
 * The message group of an event on its way to a rule's queue: the repository it concerns, so that a queue
 * serves repositories in turn (SQS calls it the message group id); undefined for an event of no repository.
 */
export function messageGroupOf(event: DrydockEvent): string | undefined {
  const repository = (event.detail as { readonly repository?: unknown }).repository;
  return typeof repository === 'string' && repository !== '' ? repository : undefined;
}

/** The rules an event matches, in definition order. */
export function matchingRules<R extends EventRule>(
  rules: readonly R[],
  event: DrydockEvent | Record<string, unknown>,
): R[] {
  return rules.filter((rule) => matches(rule.pattern, event));
}
