import type {
  BuildSummary,
  DeadLetterSummary,
  ImageSummary,
  NotificationSummary,
  PushSummary,
  QueueSummary,
  StatusResponse,
  VerdictSummary,
} from '../../runtime/local/api-types.js';

/** What text rendering needs besides the data: the clock for ages and whether to colour. */
export interface TextOptions {
  readonly now: Date;
  readonly colour: boolean;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'alarm';
const SGR: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
  alarm: '1;31',
};

const paint = (colour: boolean, style: Style, text: string): string =>
  colour && text !== '' ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;

// Matches the SGR sequences `paint` writes, so widths count only what the terminal shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleWidth = (s: string): number => s.replace(ANSI, '').length;

/** A column of `table`: its header and whether numbers in it align right. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/**
 * Rows under a header line (unless `header` is false), each column as wide as its widest cell (colour codes
 * not counted), separated by two spaces, every line prefixed with `indent`; no trailing spaces.
 */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  {
    colour = false,
    indent = '',
    header = true,
  }: { colour?: boolean; indent?: string; header?: boolean } = {},
): string {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => visibleWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `${indent}${cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - visibleWidth(cell));
        return columns[i]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')}`.trimEnd();
  const body = rows.map(line);
  const lines = header ? [paint(colour, 'dim', line(columns.map((c) => c.header))), ...body] : body;
  return `${lines.join('\n')}\n`;
}

/** "just now", "12s ago", "4m ago", "3h ago", "2d ago"; a time ahead of the clock is "just now". */
export function relativeTime(iso: string, now: Date): string {
  const seconds = Math.floor((now.getTime() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** "850ms", "1.4s", "12s", "2m05s", "1h02m". */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole}ms`;
  const tenths = Math.round(whole / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)}s`;
  const s = Math.round(whole / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The first 12 hex digits of a digest, without its algorithm. */
export const shortDigest = (digest: string): string => digest.replace(/^[a-z0-9]+:/, '').slice(0, 12);

/** The first 12 characters of a commit id, as image tags carry it. */
export const shortCommit = (commit: string): string => commit.slice(0, 12);

/** A build id without its `build-` prefix, cut to 12 characters; `drydock logs` accepts it as a prefix. */
export const shortBuildId = (id: string): string => id.replace(/^build-/, '').slice(0, 12);

const where = (repository: string, definition: string) => `${repository}/${definition}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const STATE_STYLE: Record<string, Style> = {
  published: 'green',
  failed: 'red',
  building: 'yellow',
  testing: 'yellow',
  pushing: 'yellow',
  queued: 'cyan',
};

const buildState = (state: string, colour: boolean) => paint(colour, STATE_STYLE[state] ?? 'bold', state);

/** How long a build took, or has run so far (marked "…"), or "—" before it starts. */
function buildDuration(b: BuildSummary, now: Date): string {
  if (b.durationMs !== undefined) return formatDuration(b.durationMs);
  if (b.startedAt && !b.finishedAt) return `${formatDuration(now.getTime() - Date.parse(b.startedAt))}…`;
  return '—';
}

/** Finding lines shown per verdict in `drydock status`; the rest are counted. */
export const FINDINGS_SHOWN = 3;

function verdictLines(v: VerdictSummary, colour: boolean): { head: string[]; findings: string[] } {
  const state = v.passed ? paint(colour, 'green', 'passed') : paint(colour, 'alarm', 'FAILED');
  const denied = v.bases.filter((b) => b.outcome !== 'allowed');
  // Say what failed the verdict: lint findings, bases the policy denied, bases the gate could not work out.
  const count = (outcome: string) => denied.filter((b) => b.outcome === outcome).length;
  const causes = [
    v.findings.length > 0 ? plural(v.findings.length, 'finding') : '',
    count('denied') > 0 ? `${plural(count('denied'), 'base')} denied` : '',
    count('unresolved') > 0 ? `${plural(count('unresolved'), 'base')} unresolved` : '',
  ].filter((c) => c !== '');
  const findings = causes.length > 0 ? causes.join(', ') : 'no findings';
  const build = v.buildId ? `build ${shortBuildId(v.buildId)}` : v.passed ? 'build pending' : 'not built';
  const lines = v.findings
    .slice(0, FINDINGS_SHOWN)
    .map(
      (f) =>
        `${f.line}:${f.column} ${paint(colour, 'bold', f.code)} ${paint(colour, f.level === 'error' ? 'red' : 'yellow', f.level)}: ${f.message}`,
    );
  if (v.findings.length > FINDINGS_SHOWN)
    lines.push(`… ${v.findings.length - FINDINGS_SHOWN} more (all: drydock notifications --format json)`);
  for (const b of denied) lines.push(`base ${b.ref} ${b.outcome}${b.detail ? `: ${b.detail}` : ''}`);
  return { head: [v.definition, state, findings, build], findings: lines };
}

function pushBlock(p: PushSummary, { now, colour }: TextOptions): string {
  const branch = p.ref.replace(/^refs\/heads\//, '');
  const title = `${paint(colour, 'bold', p.repository)} ${branch} ${shortCommit(p.commit)}  by ${p.pusher}, ${relativeTime(p.at, now)}`;
  const judged = new Set(p.verdicts.map((v) => v.definition));
  const verdicts = p.verdicts.map((v) => verdictLines(v, colour));
  const pending = p.definitions
    .filter((d) => !judged.has(d.path))
    .map((d) => ({
      head: [d.path, paint(colour, 'cyan', 'pending'), 'waiting for the gate', ''],
      findings: [] as string[],
    }));
  const all = [...verdicts, ...pending];
  if (all.length === 0) return `  ${title}\n    no definitions changed\n`;
  // One aligned table for the definitions of a push, with each verdict's findings under its row.
  const rows = table(
    [{ header: '' }, { header: '' }, { header: '' }, { header: '' }],
    all.map((v) => v.head),
    { indent: '    ', header: false },
  ).split('\n');
  const body = all.flatMap((v, i) => [rows[i] ?? '', ...v.findings.map((f) => `      ${f}`)]);
  return `  ${title}\n${body.join('\n')}\n`;
}

/** The pushes with their verdicts, newest first, or how to make the first one. */
export function renderPushes(pushes: readonly PushSummary[], options: TextOptions): string {
  if (pushes.length === 0) return '  no pushes yet — push to a repo: drydock repo create NAME\n';
  return pushes.map((p) => pushBlock(p, options)).join('');
}

/** The builds table: id, definition, commit, state, attempts, duration, age and the error of a failure. */
export function renderBuilds(
  builds: readonly BuildSummary[],
  { now, colour }: TextOptions,
  { indent = '', empty = 'no builds yet — a push whose definitions pass the gate starts one' } = {},
): string {
  if (builds.length === 0) return `${indent}${empty}\n`;
  return table(
    [
      { header: 'BUILD' },
      { header: 'DEFINITION' },
      { header: 'COMMIT' },
      { header: 'STATE' },
      { header: 'ATTEMPTS', align: 'right' },
      { header: 'DURATION', align: 'right' },
      { header: 'UPDATED' },
      { header: 'ERROR' },
    ],
    builds.map((b) => [
      shortBuildId(b.buildId),
      where(b.repository, b.definition),
      shortCommit(b.commit),
      buildState(b.state, colour),
      String(b.attempts),
      buildDuration(b, now),
      relativeTime(b.updatedAt, now),
      b.error ? (b.error.split('\n')[0] ?? '') : '',
    ]),
    { colour, indent },
  );
}

/** One build in full: where it came from, its state history with the time each step took, its image or error. */
export function renderBuild(b: BuildSummary, { now, colour }: TextOptions): string {
  const lines = [
    `${paint(colour, 'bold', b.buildId)}  ${buildState(b.state, colour)}`,
    `  definition  ${where(b.repository, b.definition)}`,
    `  commit      ${b.commit}`,
    `  attempts    ${b.attempts}`,
    `  queued      ${b.queuedAt} (${relativeTime(b.queuedAt, now)})`,
    `  duration    ${buildDuration(b, now)}`,
  ];
  if (b.imageDigest) lines.push(`  image       ${b.imageDigest}`);
  if (b.error) {
    const [first = '', ...rest] = b.error.split('\n');
    lines.push(`  error       ${paint(colour, 'red', first)}`, ...rest.map((l) => `              ${l}`));
  }
  lines.push('  history');
  const steps = b.history.map((h, i) => {
    const next = b.history[i + 1];
    const took = next ? formatDuration(Date.parse(next.at) - Date.parse(h.at)) : '';
    return [buildState(h.state, colour), h.at, took];
  });
  lines.push(
    table([{ header: 'STATE' }, { header: 'AT' }, { header: 'TOOK', align: 'right' }], steps, {
      indent: '    ',
      header: false,
    }).trimEnd(),
  );
  lines.push(`  log         drydock logs ${shortBuildId(b.buildId)}`);
  return `${lines.join('\n')}\n`;
}

function queueTable(queues: Readonly<Record<string, QueueSummary>>, colour: boolean): string {
  const names = Object.keys(queues);
  if (names.length === 0) return '  no queues\n';
  return table(
    [
      { header: 'QUEUE' },
      { header: 'VISIBLE', align: 'right' },
      { header: 'IN FLIGHT', align: 'right' },
      { header: 'DEAD LETTERS', align: 'right' },
    ],
    names.map((name) => {
      const q = queues[name]!;
      return [
        name,
        String(q.visible),
        String(q.inFlight),
        q.deadLetters > 0 ? paint(colour, 'alarm', String(q.deadLetters)) : String(q.deadLetters),
      ];
    }),
    { colour, indent: '  ' },
  );
}

const heading = (text: string, colour: boolean) => paint(colour, 'bold', text);

/** `drydock status`: where everything is, queue depths (dead letters called out), recent pushes and builds. */
export function renderStatus(s: StatusResponse, options: TextOptions): string {
  const { now, colour } = options;
  const out: string[] = [];
  out.push(
    `${heading(`drydock ${s.version}`, colour)} runs (pid ${s.pid}, started ${relativeTime(s.startedAt, now)})`,
  );
  const nameWidth = Math.max(0, ...s.repos.map((r) => r.name.length));
  const repoRows =
    s.repos.length === 0
      ? [['repos', 'none yet — drydock repo create NAME']]
      : s.repos.map((r, i) => [i === 0 ? 'repos' : '', `${r.name.padEnd(nameWidth)}  ${r.remote}`]);
  out.push(
    table(
      [{ header: '' }, { header: '' }],
      [
        ['state', s.stateDir],
        ['API', s.api],
        ['registry', s.registry.host],
        ['policy', s.policy],
        ...repoRows,
      ],
      { indent: '  ', header: false },
    ).trimEnd(),
  );
  out.push('', heading('Queues', colour));
  out.push(queueTable(s.queues, colour).trimEnd());
  const dead = Object.values(s.queues).reduce((n, q) => n + q.deadLetters, 0);
  if (dead > 0) {
    out.push(
      paint(
        colour,
        'alarm',
        `  ! ${plural(dead, 'dead letter')}: work that failed for good; see drydock dead-letters --state ${s.stateDir}`,
      ),
    );
  }
  out.push('', heading('Recent pushes', colour));
  out.push(renderPushes(s.pushes, options).trimEnd());
  out.push('', heading('Recent builds', colour));
  out.push(renderBuilds(s.builds, options, { indent: '  ' }).trimEnd());
  return `${out.join('\n')}\n`;
}

/** Shows a base by name without the registry host when the image it is under shares that host. */
function baseLabel(base: { name: string; digest: string }, imageRef: string): string {
  const host = imageRef.split('/')[0];
  const name = host && base.name.startsWith(`${host}/`) ? base.name.slice(host.length + 1) : base.name;
  return `${name}@${shortDigest(base.digest)}`;
}

/** `drydock images`: ref, digest, status, bases, definition, commit, age. */
export function renderImages(images: readonly ImageSummary[], { now, colour }: TextOptions): string {
  if (images.length === 0)
    return 'no images published yet — push a definition that passes the gate to a drydock repo\n';
  return table(
    [
      { header: 'REF' },
      { header: 'DIGEST' },
      { header: 'STATUS' },
      { header: 'BASES' },
      { header: 'DEFINITION' },
      { header: 'COMMIT' },
      { header: 'PUBLISHED' },
      // Why an image is unsupported (the bans that mark it) is shown only when one is.
      ...(images.some((i) => i.status !== 'supported') ? [{ header: 'REASON' }] : []),
    ],
    images.map((i) => [
      i.ref,
      shortDigest(i.digest),
      i.status === 'supported' ? i.status : paint(colour, 'alarm', i.status.toUpperCase()),
      i.bases.map((b) => baseLabel(b, i.ref)).join(', ') || '—',
      where(i.repository, i.definition),
      shortCommit(i.commit),
      relativeTime(i.publishedAt, now),
      (i.unsupportedBy ?? []).map((b) => `${b.banId}: ${b.reason}`).join('; '),
    ]),
    { colour },
  );
}

/** `drydock notifications`: the outbox, newest first, one line each (the summary's first line). */
export function renderNotifications(
  notifications: readonly NotificationSummary[],
  { now, colour }: TextOptions,
): string {
  if (notifications.length === 0)
    return 'no notifications — teams hear of failed verdicts, builds and tests here\n';
  return table(
    [
      { header: 'AGE' },
      { header: 'KIND' },
      { header: 'DEFINITION' },
      { header: 'COMMIT' },
      { header: 'SUMMARY' },
    ],
    notifications.map((n) => [
      relativeTime(n.at, now),
      paint(colour, n.kind.endsWith('failed') ? 'red' : 'bold', n.kind),
      where(n.repository, n.definition),
      shortCommit(n.commit),
      n.summary.split('\n')[0] ?? '',
    ]),
    { colour },
  );
}

/** `drydock dead-letters`: per queue, each message's reason, receive count and event type. */
export function renderDeadLetters(
  deadLetters: readonly DeadLetterSummary[],
  { colour }: TextOptions,
): string {
  if (deadLetters.length === 0) return 'no dead letters\n';
  return table(
    [
      { header: 'QUEUE' },
      { header: 'MESSAGE' },
      { header: 'RECEIVES', align: 'right' },
      { header: 'DETAIL TYPE' },
      { header: 'REASON' },
    ],
    deadLetters.map((d) => [
      paint(colour, 'alarm', d.queue),
      d.messageId,
      String(d.receiveCount),
      d.detailType ?? '—',
      d.reason.split('\n')[0] ?? '',
    ]),
    { colour },
  );
}
