import { BUILD_FAILED } from '../events/build-failed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import type { DrydockEvent } from '../events/index.js';

/** A message for the team that owns a definition: what went wrong, in one paragraph. */
export interface TeamNotification {
  /** The id of the event it tells about; one notification per event. */
  readonly id: string;
  readonly kind: 'verdict-failed' | 'build-failed' | 'tests-failed' | 'base-substituted';
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly summary: string;
  readonly at: string;
}

const MAX_LISTED = 10;

function listed(lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_LISTED).map((l) => `  ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`  … and ${lines.length - MAX_LISTED} more`);
  return shown.join('\n');
}

/**
 * The team notification an event calls for: a failed verdict (every finding and denied base), a passed one
 * whose base was substituted, a failed build (with the log tail), failed image tests (each failure); none
 * for anything else.
 */
export function teamNotificationFor(event: DrydockEvent): TeamNotification | undefined {
  const at = event.time;
  if (event.detailType === DEFINITION_VERDICT) {
    const d = event.detail;
    const subject = {
      id: event.id,
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
    };
    const denied = d.bases.flatMap((b) => (b.outcome === 'denied' ? [`${b.ref}: ${b.reason}`] : []));
    const substituted = d.bases.flatMap((b) =>
      b.outcome === 'substituted' ? [`${b.from} → ${b.to}: ${b.why}`] : [],
    );
    if (!d.passed) {
      const findings = d.findings.map((f) => `${f.line}:${f.column} ${f.code} ${f.level}: ${f.message}`);
      const unresolved = d.unresolved.map((u) => `${u.written} (line ${u.loc.line}): ${u.reason}`);
      const parts = [`${d.definition} at ${d.commit.slice(0, 12)} did not pass the gate; nothing was built.`];
      if (findings.length) parts.push(`Findings:\n${listed(findings)}`);
      if (denied.length) parts.push(`Base images denied:\n${listed(denied)}`);
      if (unresolved.length) parts.push(`Base images not resolved:\n${listed(unresolved)}`);
      if (substituted.length) parts.push(`Base images policy substitutes:\n${listed(substituted)}`);
      return { ...subject, kind: 'verdict-failed', summary: parts.join('\n') };
    }
    if (substituted.length) {
      return {
        ...subject,
        kind: 'base-substituted',
        summary: `${d.definition} at ${d.commit.slice(0, 12)} is built on a substituted base:\n${listed(substituted)}\nUpdate the FROM line to stop seeing this.`,
      };
    }
    return undefined;
  }
  if (event.detailType === BUILD_FAILED) {
    const d = event.detail;
    return {
      id: event.id,
      kind: 'build-failed',
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
      summary: `${d.definition} at ${d.commit.slice(0, 12)}: ${d.stage} failed: ${d.reason}${d.logTail ? `\nLast lines of the log:\n${d.logTail}` : ''}`,
    };
  }
  if (event.detailType === IMAGE_TESTED && !event.detail.passed) {
    const d = event.detail;
    const failures = d.failures.map((f) => `${f.name}: ${f.message}`);
    return {
      id: event.id,
      kind: 'tests-failed',
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
      summary: `${d.definition} at ${d.commit.slice(0, 12)}: ${d.summary.failures} of ${d.summary.tests} image tests failed; the image was not published.\n${listed(failures)}`,
    };
  }
  return undefined;
}
