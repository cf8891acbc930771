import { BUILD_FAILED } from '../events/build-failed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_PUBLISHED, type ImagePublishedEvent } from '../events/image-published.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import type { DrydockEvent } from '../events/index.js';
import type { Rebuild } from '../events/rebuild.js';
import { type BanRecord, definitionKey, type RebuildRecord } from '../ports/ban-store.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import { type DispatchPorts, dispatchRebuilds } from './dispatch-rebuilds.js';
import { fromChange, fromLineChanges } from './from-change.js';
import { type OutcomeExtras, outcomeEvent } from './rebuild-outcomes.js';
import { settleWaitingRebuilds, stampRemediatedWhenDone } from './settle-rebuilds.js';

/** What the rebuild step needs: dispatching's ports and the teams' definitions (for the FROM change). */
export interface RebuildStepPorts extends DispatchPorts {
  readonly source: DefinitionSource;
}

// Each reason stays one readable line in the outcome and the team's message.
const MAX_REASON = 500;

// A team's Dockerfile, build output and test names reach the reason: no control character of theirs (an escape
// sequence that retitles or clears the operator's terminal) reaches `drydock ban show`, the log or a message.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(CONTROL, '?').trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}…` : line;
}

/** Why a rebuild failed, from the event that ended it; undefined for an event that does not end one. */
export function failureReason(event: DrydockEvent): string | undefined {
  switch (event.detailType) {
    case BUILD_FAILED:
      return cut(`${event.detail.stage} failed: ${event.detail.reason}`);
    case DEFINITION_VERDICT: {
      const d = event.detail;
      if (d.passed) return undefined;
      const denied = d.bases.flatMap((b) => (b.outcome === 'denied' ? [`${b.ref}: ${b.reason}`] : []));
      const findings = d.findings.map((f) => `${f.code} ${f.message}`);
      const unresolved = d.unresolved.map((u) => `${u.written}: ${u.reason}`);
      const first = [...denied, ...unresolved, ...findings];
      return cut(`the gate refused it${first.length ? `: ${first.slice(0, 3).join('; ')}` : ''}`);
    }
    case IMAGE_TESTED: {
      const d = event.detail;
      if (d.passed) return undefined;
      const names = d.failures.slice(0, 3).map((f) => f.name);
      return cut(
        `image tests failed (${d.summary.failures} of ${d.summary.tests})${names.length ? `: ${names.join(', ')}` : ''}`,
      );
    }
    default:
      return undefined;
  }
}

function rebuildOf(event: DrydockEvent): Rebuild | undefined {
  return (event.detail as { readonly rebuild?: Rebuild }).rebuild;
}

async function publishedExtras(
  rebuild: RebuildRecord,
  event: { readonly ref: string; readonly digest: string },
  ports: RebuildStepPorts,
): Promise<OutcomeExtras> {
  const substitutions = rebuild.dispatchedSubstitutions ?? rebuild.substitutions;
  const text = await ports.source.read(rebuild.repository, rebuild.commit, rebuild.definition);
  const change = text === undefined ? undefined : fromChange(rebuild.definition, text, substitutions);
  // The base named is the one the definition's FROM used, else the first substitution.
  const used =
    (text === undefined ? undefined : substitutions.find((s) => fromLineChanges(text, [s]).length > 0)) ??
    substitutions[0];
  return {
    ...(used ? { base: { from: used.from, to: used.to } } : {}),
    ref: event.ref,
    digest: event.digest,
    ...(change ? { fromChange: change } : {}),
  };
}

/**
 * Follows a rebuild to its end: `Image Published` → `published` (new ref and digest kept, the team told with the
 * FROM change) and its waiting children become ready; a failed verdict, build, test or push → `failed`, and the
 * rebuilds waiting on it, transitively, `reported`. Then dispatches what may start and stamps `remediatedAt`
 * once every rebuild of the ban has ended. An event of an unknown ban or of another rebuild number changes
 * nothing; a redelivery publishes the same ids.
 */
export async function trackRebuild(event: DrydockEvent, ports: RebuildStepPorts): Promise<void> {
  const rebuild = rebuildOf(event);
  if (!rebuild) return;
  const ban = await ports.store.get(rebuild.banId);
  if (!ban) return;
  const { repository, definition } = event.detail as { repository: string; definition: string };
  const key = definitionKey(repository, definition);
  const current = (await ports.store.rebuilds(ban.banId)).find(
    (r) => definitionKey(r.repository, r.definition) === key,
  );
  if (!current || current.number !== rebuild.number || current.of !== rebuild.of) return;

  if (event.detailType === IMAGE_PUBLISHED) {
    await onPublished(ban, current, event, ports);
  } else {
    const reason = failureReason(event);
    if (reason === undefined) return;
    const moved = await ports.store.updateRebuild(ban.banId, key, ['dispatched'], {
      state: 'failed',
      reason,
    });
    const failed = moved ?? (current.state === 'failed' ? current : undefined);
    if (failed) await ports.bus.publish([outcomeEvent(ban, failed, ports.clock.now().toISOString())]);
  }
  await settleWaitingRebuilds(ban, ports);
  await dispatchRebuilds(ports);
  await stampRemediatedWhenDone(ban, ports);
}

async function onPublished(
  ban: BanRecord,
  current: RebuildRecord,
  event: ImagePublishedEvent,
  ports: RebuildStepPorts,
): Promise<void> {
  const key = definitionKey(current.repository, current.definition);
  const moved = await ports.store.updateRebuild(ban.banId, key, ['dispatched'], {
    state: 'published',
    newRef: event.detail.ref,
    newDigest: event.detail.digest,
  });
  // Told again after a crash between the update and the publish: the same id, which the bus drops.
  const published = moved ?? (current.state === 'published' ? current : undefined);
  if (!published) return;
  const extras = await publishedExtras(published, event.detail, ports);
  await ports.bus.publish([outcomeEvent(ban, published, ports.clock.now().toISOString(), extras)]);
}

/** Handles one event of the `rebuilds` target. */
export async function handleRebuildEvent(event: DrydockEvent, ports: RebuildStepPorts): Promise<void> {
  await trackRebuild(event, ports);
}
