import { BUILD_FAILED } from '../events/build-failed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import type { DrydockEvent } from '../events/index.js';
import { REBUILD_OUTCOME, type RebuildOutcomeDetail } from '../events/rebuild-outcome.js';
import {
  fitLine,
  INVALID_TESTS_SUITE,
  invalidTestsLine,
  testsFailedLine,
} from '../image-tests/failure-summary.js';
import { imageTestsPathFor } from '../image-tests/paths.js';

/** A message for the team that owns a definition: what went wrong, in one paragraph. */
export interface TeamNotification {
  /** The id of the event it tells about; one notification per event. */
  readonly id: string;
  readonly kind: 'verdict-failed' | 'build-failed' | 'tests-failed' | 'base-substituted' | 'rebuild-outcome';
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly summary: string;
  readonly at: string;
}

const MAX_LISTED = 10;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const oneLine = (text: string): string => text.replace(CONTROL, '?');
// Each listed failure stays short: a message (SNS too) stays readable with ten of them.
const MAX_ITEM = 500;

function listed(lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_LISTED).map((l) => `  ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`  … and ${lines.length - MAX_LISTED} more`);
  return shown.join('\n');
}

const short = (digest: string): string => digest.slice(0, 19);

/**
 * What a ban did to one definition, for its team: what was banned and why, what the rebuild was built on and
 * published as, and the FROM change to make in git, because the rebuild is a stop-gap and the next push would
 * build on the banned base again.
 */
export function rebuildOutcomeSummary(detail: RebuildOutcomeDetail): string {
  // The definition path is any file name the team pushed, and a reason may quote it: each stays on its line.
  const d = {
    ...detail,
    definition: oneLine(detail.definition),
    ...(detail.reason === undefined ? {} : { reason: oneLine(detail.reason) }),
  };
  const at12 = `${d.definition} at ${d.commit.slice(0, 12)}`;
  const banned = `Ops banned ${d.banRef} (${d.banReason}; ban ${d.banId}). Your image ${short(d.of)} is built on it and is now unsupported: new containers of it are refused.`;
  const reason = d.reason ? `: ${d.reason}` : '';
  switch (d.state) {
    case 'published': {
      const base = d.base ? ` on ${d.base.to} instead of ${d.base.from}` : '';
      const image = d.ref ? ` and published it as ${d.ref}${d.digest ? ` (${short(d.digest)})` : ''}` : '';
      const change = d.fromChange
        ? `The rebuild is a stop-gap: make this change in git so that your next push builds on an approved base:\n${d.fromChange}`
        : `The rebuild is a stop-gap: change the FROM line of ${d.definition}${d.base ? ` from ${d.base.from} to ${d.base.to}` : ' to an approved base'} in git before your next push.`;
      return `${banned}\ndrydock rebuilt ${at12} (rebuild ${d.number})${base}${image}.\n${change}`;
    }
    case 'failed':
      return `${banned}\nThe rebuild of ${at12} failed${reason}. Move ${d.definition} to an approved base in git and push.`;
    case 'reported':
      return `${banned}\n${at12} was not rebuilt${reason}. Move ${d.definition} to an approved base in git and push.`;
    case 'superseded':
      return `${banned}\n${at12} was not rebuilt: a newer push of ${d.definition} came first${reason ? ` (${d.reason})` : ''}; it is gated against the ban like any push.`;
    case 'cancelled':
      return `Ops lifted the ban on ${d.banRef} (ban ${d.banId}) before ${at12} was rebuilt; nothing was rebuilt and nothing needs to change.`;
  }
}

/**
 * The team notification an event calls for: a failed verdict (every finding and denied base), a passed one
 * whose base was substituted, a failed build (with the log tail), failed image tests (each failure), what a
 * ban did to a definition (`Rebuild Outcome`); none for anything else.
 */
export function teamNotificationFor(event: DrydockEvent): TeamNotification | undefined {
  const at = event.time;
  if (event.detailType === REBUILD_OUTCOME) {
    const d = event.detail;
    return {
      id: event.id,
      kind: 'rebuild-outcome',
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
      summary: rebuildOutcomeSummary(d),
    };
  }
  if (event.detailType === DEFINITION_VERDICT) {
    // A verdict on a ban's rebuild carries the definition's recorded name, which may predate the gate's DD206.
    const d = { ...event.detail, definition: oneLine(event.detail.definition) };
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
    const at12 = `${d.definition} at ${d.commit.slice(0, 12)}`;
    const log = d.logTail ? `\nLast lines of the log:\n${d.logTail}` : '';
    // On AWS failed image tests end the build: the first line names what failed, as the local Image Tested does.
    const tests = d.stage === 'test' ? testFailureInLog(d.logTail, d.definition) : undefined;
    return {
      id: event.id,
      kind: 'build-failed',
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
      summary: tests
        ? `${at12}: test failed: ${tests}\n${d.reason}${log}`
        : `${at12}: ${d.stage} failed: ${d.reason}${log}`,
    };
  }
  if (event.detailType === IMAGE_TESTED && !event.detail.passed) {
    const d = event.detail;
    const subject = {
      id: event.id,
      kind: 'tests-failed' as const,
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      at,
    };
    const at12 = `${d.definition} at ${d.commit.slice(0, 12)}`;
    const [only] = d.failures;
    if (d.failures.length === 1 && only?.suite === INVALID_TESTS_SUITE) {
      // The file could not be read as tests: no test ran, so none failed.
      const problems = only.message.split('\n').filter((l) => l.trim() !== '');
      return {
        ...subject,
        summary: `${at12}: ${invalidTestsLine(only.name, problems)}\nNo image test ran and the image was not published. Problems in ${only.name}:\n${listed(problems.map((p) => fitLine(p, '', MAX_ITEM)))}`,
      };
    }
    // One line per broken assertion, each naming its test.
    const failures = d.failures.flatMap((f) => {
      const assertions = f.message.split('\n').filter((l) => l.trim() !== '');
      return (assertions.length ? assertions : ['failed']).map((a) =>
        fitLine(`${f.name}: ${a}`, '', MAX_ITEM),
      );
    });
    const first = d.failures[0];
    const firstAssertion = first && `${first.name}: ${first.message.split('\n')[0] || 'failed'}`;
    return {
      ...subject,
      summary: `${at12}: ${testsFailedLine({ failed: d.summary.failures, tests: d.summary.tests }, firstAssertion)}\nThe image was not published. Every broken assertion:\n${listed(failures)}`,
    };
  }
  return undefined;
}

/**
 * The first failed test in the log of a build whose test stage failed, as `drydock image test` prints it
 * (`FAIL commandTests[1] uid (12 ms)`, then its broken assertions indented), or the first problem of an invalid
 * tests file (`…: invalid image tests (1 problem):`, then the problems indented); one line, or undefined when
 * the log's tail shows neither.
 */
export function testFailureInLog(logTail: string, definition?: string): string | undefined {
  const lines = logTail.split(/\r?\n/);
  const indented = (i: number) => {
    const next = lines[i + 1];
    return next !== undefined && /^\s+\S/.test(next) ? next.trim() : undefined;
  };
  const failed = lines.findIndex((l) => /^FAIL \S/.test(l));
  if (failed >= 0) {
    const test = (lines[failed] ?? '').slice('FAIL '.length).replace(/ \(\d+ ms\)\s*$/, '');
    const assertion = indented(failed);
    return fitLine(assertion ? `${test}: ${assertion}` : test);
  }
  const invalid = lines.findIndex((l) => /invalid image tests \(\d+ problems?\):\s*$/.test(l));
  if (invalid >= 0) {
    // The log names the file where the build machine had it (.drydock/context/…); the team knows it by its path
    // beside the definition.
    const header = lines[invalid] ?? '';
    const file = definition
      ? imageTestsPathFor(definition)
      : /(?:^drydock: )?(.*?): invalid image tests/.exec(header)?.[1];
    const count = Number(/\((\d+) problems?\)/.exec(header)?.[1] ?? 1);
    const problem = indented(invalid);
    const more = problem && count > 1 ? `; and ${count - 1} more` : '';
    return fitLine(`invalid ${file || 'image tests'}${problem ? `: ${problem}` : ''}`, more);
  }
  return undefined;
}
