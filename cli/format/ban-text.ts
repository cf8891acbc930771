import type { BanPlan } from '../../core/ban/ban-plan.js';
import type { BanDetail, BanSummary, CountByState } from '../../runtime/local/api-types.js';
import { relativeTime, type TextOptions, table } from './pipeline-text.js';

const short = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12);
// A definition path is whatever file name a team pushed (git takes any byte but NUL): shown, never obeyed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Text from the pipeline's data on one line, every control character (an escape sequence, a line break) as `?`. */
export const printable = (text: string): string => text.replace(ANY_CONTROL, '?');
const where = (repository: string, definition: string): string => printable(`${repository}/${definition}`);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `12.3s`, `850ms`, `4m05s`: a duration for people. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `published 2, waiting 1`: counts by state, largest first. */
export function counts(byState: CountByState): string {
  const entries = Object.entries(byState).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? 'none' : entries.map(([state, n]) => `${state} ${n}`).join(', ');
}

/** An argv as the shell would have to quote it to run the same thing, for reading only (it never runs as text). */
export function argvText(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** The impact of a ban before anything happens: what `drydock ban --dry-run` and `GET /api/bans/plan` show. */
export function renderBanPlan(plan: BanPlan): string {
  const out: string[] = [`Ban ${plan.ref}`, `  reason       ${plan.reason}`];
  if (plan.replacement) out.push(`  replacement  ${plan.replacement}`);
  if (plan.affected.length === 0) {
    out.push('', 'No published image is built on it: nothing is marked, rebuilt or band-aided.');
    return `${out.join('\n')}\n`;
  }
  out.push('', `Affected images (${plan.affected.length}), by depth:`);
  out.push(
    table(
      [
        { header: 'DEPTH', align: 'right' },
        { header: 'REF' },
        { header: 'DIGEST' },
        { header: 'DEFINITION' },
      ],
      plan.affected.map((a) => [String(a.depth), a.ref, short(a.digest), where(a.repository, a.definition)]),
      { indent: '  ' },
    ).trimEnd(),
  );
  out.push('', `Rebuilds (${plan.rebuilds.length}), in start order:`);
  for (const r of plan.rebuilds) {
    const head = `  ${where(r.repository, r.definition)} at ${r.commit.slice(0, 12)} (depth ${r.depth}, ${plural(r.runningContainers, 'running container')})`;
    if (r.reportReason) {
      out.push(`${head}: NOT REBUILT, reported: ${printable(r.reportReason)}`);
      continue;
    }
    out.push(`${head}`);
    for (const s of r.substitutions) out.push(`      FROM ${s.from} → ${s.to}  (${s.rule})`);
    if (r.waitsFor.length > 0)
      out.push(
        `      after ${r.waitsFor.map((k) => printable(k.replace('\u0000', '/'))).join(', ')} (built on its new digest)`,
      );
  }
  if (plan.skipped.length > 0) {
    out.push('', `Not rebuilt (${plan.skipped.length}):`);
    for (const s of plan.skipped) out.push(`  ${where(s.repository, s.definition)}: ${printable(s.reason)}`);
  }
  out.push('', `Teams to notify: ${plan.teams.length === 0 ? 'none' : plan.teams.join(', ')}`);
  const running = plan.containers.reduce((n, h) => n + h.containers.length, 0);
  out.push(
    '',
    `Running containers of affected images: ${running} on ${plural(plan.containers.length, 'host')}`,
  );
  for (const h of plan.containers)
    out.push(`  ${h.host}: ${h.containers.map((c) => `${c.name} (${c.image})`).join(', ')}`);
  if (plan.bandAids.length > 0) {
    out.push('', 'Band-aids that would run (argv, never a shell string):');
    for (const b of plan.bandAids) {
      const containers = b.batches.reduce((n, batch) => n + batch.length, 0);
      out.push(`  ${b.bandAidId}: ${argvText(b.argv)}`);
      out.push(
        `      in ${plural(containers, 'container')}, ${plural(b.batches.length, 'batch', 'batches')}; at most ${b.maxConcurrency} at once, ${b.maxErrors} errors; time limit ${duration(b.timeoutMs)}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** `drydock bans`: every ban, newest first, one line each. */
export function renderBans(bans: readonly BanSummary[], { now, colour }: TextOptions): string {
  if (bans.length === 0) return 'no bans — drydock ban REF --reason TEXT publishes one\n';
  return table(
    [
      { header: 'ID' },
      { header: 'STATE' },
      { header: 'REF' },
      { header: 'REPLACEMENT' },
      { header: 'PROTECTED' },
      { header: 'REMEDIATED' },
      { header: 'AGE' },
      { header: 'REASON' },
    ],
    bans.map((b) => [
      b.banId,
      b.state,
      b.ref,
      b.replacement ?? '—',
      b.timeToProtectionMs === undefined ? 'not yet' : duration(b.timeToProtectionMs),
      b.timeToRemediationMs === undefined ? 'not yet' : duration(b.timeToRemediationMs),
      relativeTime(b.at, now),
      b.reason,
    ]),
    { colour },
  );
}

/** `drydock ban show ID`: a ban's progress and results. */
export function renderBanDetail(ban: BanDetail, { now, colour }: TextOptions): string {
  const out: string[] = [
    `${ban.banId}  ${ban.state.toUpperCase()}  ${ban.ref}`,
    `  reason        ${ban.reason}`,
  ];
  if (ban.replacement) out.push(`  replacement   ${ban.replacement}`);
  out.push(`  by            ${ban.by}, ${ban.at} (${relativeTime(ban.at, now)})`);
  if (ban.state === 'lifted') out.push(`  lifted        by ${ban.liftedBy ?? '?'}, ${ban.liftedAt ?? '?'}`);
  if (ban.bandAids.length > 0)
    out.push(
      `  band-aids     ${ban.bandAids
        .map(
          (b) =>
            `${b.id}${Object.entries(b.params)
              .map(([k, v]) => ` ${k}=${v}`)
              .join('')}`,
        )
        .join('; ')}`,
    );
  out.push(
    `  protection    ${ban.timeToProtectionMs === undefined ? 'not yet' : `${duration(ban.timeToProtectionMs)} after the ban`}`,
    `  remediation   ${ban.timeToRemediationMs === undefined ? 'not yet' : `${duration(ban.timeToRemediationMs)} after the ban`}`,
    '',
    `Images marked unsupported: ${ban.progress.images}`,
  );
  if (ban.images.length > 0)
    out.push(
      table(
        [{ header: 'DEPTH', align: 'right' }, { header: 'REF' }, { header: 'DIGEST' }],
        ban.images.map((i) => [String(i.depth), i.ref, short(i.digest)]),
        { indent: '  ', colour },
      ).trimEnd(),
    );
  out.push('', `Rebuilds: ${counts(ban.progress.rebuilds)}`);
  if (ban.rebuilds.length > 0)
    out.push(
      table(
        [{ header: 'DEFINITION' }, { header: 'STATE' }, { header: 'NEW IMAGE' }, { header: 'NOTE' }],
        ban.rebuilds.map((r) => [
          `${where(r.repository, r.definition)} r${r.number}`,
          r.state,
          r.newRef ? `${r.newRef}${r.newDigest ? `@${short(r.newDigest)}` : ''}` : '—',
          printable(r.reason ?? r.reportReason ?? ''),
        ]),
        { indent: '  ', colour },
      ).trimEnd(),
    );
  out.push('', `Band-aid runs: ${counts(ban.progress.bandAids)}`);
  if (ban.bandAidRuns.length > 0)
    out.push(
      table(
        [
          { header: 'BAND-AID' },
          { header: 'HOST' },
          { header: 'CONTAINER' },
          { header: 'STATE' },
          { header: 'EXIT', align: 'right' },
          { header: 'TOOK', align: 'right' },
          { header: 'OUTPUT (last line)' },
        ],
        ban.bandAidRuns.map((r) => [
          r.bandAidId,
          r.host,
          r.containerId.slice(0, 12),
          r.state,
          r.exitCode === undefined || r.exitCode === null ? '—' : String(r.exitCode),
          r.durationMs === undefined ? '—' : duration(r.durationMs),
          lastLine(r.outputTail ?? r.reason ?? ''),
        ]),
        { indent: '  ', colour },
      ).trimEnd(),
    );
  return `${out.join('\n')}\n`;
}

// Output comes from inside a container: its control characters must not reach the operator's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function lastLine(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? '';
  const clean = line.replace(CONTROL, '?');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}
