import picomatch from 'picomatch';
import type { Command, Instruction } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { applyEdits, type FileEdit, type FileWrite, fileWrites, toolOf } from '../file-writes.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

const WEAK: Readonly<Record<string, string>> = {
  permitrootlogin: 'root can log in with a password',
  passwordauthentication: 'passwords are accepted, so they can be guessed',
  permitemptypasswords: 'accounts with an empty password can log in',
  kbdinteractiveauthentication: 'PAM asks for the password through keyboard-interactive logins',
};
const SPELLING: Readonly<Record<string, string>> = {
  permitrootlogin: 'PermitRootLogin',
  passwordauthentication: 'PasswordAuthentication',
  permitemptypasswords: 'PermitEmptyPasswords',
  kbdinteractiveauthentication: 'KbdInteractiveAuthentication',
  challengeresponseauthentication: 'ChallengeResponseAuthentication',
  usepam: 'UsePAM',
};
// What a sed pattern replaces tells which setting a bare `yes` replacement belongs to.
const PATTERN_HINTS: readonly (readonly [string, RegExp])[] = [
  ['PermitRootLogin', /PermitRootLogin|prohibit-password|without-password/i],
  ['PasswordAuthentication', /PasswordAuthentication/i],
  ['PermitEmptyPasswords', /PermitEmptyPasswords/i],
  ['KbdInteractiveAuthentication', /KbdInteractiveAuthentication/i],
  ['ChallengeResponseAuthentication', /ChallengeResponseAuthentication/i],
  ['UsePAM', /UsePAM/i],
];
// The drop-ins stock sshd_config files (Debian 12, Ubuntu 22.04+, Fedora/RHEL 9, Alpine) include first.
const STOCK_INCLUDE = '/etc/ssh/sshd_config.d/*.conf';
const MAIN_CONFIG = '/etc/ssh/sshd_config';

/** One line of an sshd configuration and the write it came from. */
interface ConfLine {
  readonly text: string;
  readonly loc: Loc;
  readonly path: string;
}

/**
 * A configuration file as the build leaves it. `known` is false while its beginning is the base image's:
 * then `stock` holds lines edits may have put into that unknown text (only ones that weaken, so that an
 * edit that matched nothing cannot hide a setting), and `lines` what was appended after it.
 */
interface ConfFile {
  known: boolean;
  stock: ConfLine[];
  lines: ConfLine[];
}

interface Setting {
  readonly key: string;
  readonly value: string;
}

function setting(line: string): Setting | undefined {
  const m = /^\s*([A-Za-z]+)(?:\s*=\s*|\s+)["']?([^\s"'#]*)/.exec(line);
  if (!m || line.trim().startsWith('#')) return undefined;
  let key = (m[1] ?? '').toLowerCase();
  // ChallengeResponseAuthentication is the old name of KbdInteractiveAuthentication.
  if (key === 'challengeresponseauthentication') key = 'kbdinteractiveauthentication';
  return { key, value: (m[2] ?? '').toLowerCase() };
}

// A line that could turn a weak setting on (a `yes` of a weak key, or UsePAM yes for keyboard-interactive).
function enabling(line: string): boolean {
  const s = setting(line);
  return !!s && (s.key in WEAK || s.key === 'usepam') && s.value === 'yes';
}

// An edit's text with a bare `yes` named after the setting its pattern replaces.
function editLines(w: FileWrite): string[] {
  const edits: readonly FileEdit[] = w.edits ?? [{ kind: 'text', extended: true, text: w.content }];
  return edits.flatMap((e) =>
    e.text.split('\n').map((t) => {
      if (!/^\s*(yes|no)\s*$/i.test(t)) return t;
      const hint = PATTERN_HINTS.find(([, re]) => re.test(e.pattern ?? ''))?.[0];
      return hint ? `${hint} ${t.trim()}` : t;
    }),
  );
}

function apply(file: ConfFile, w: FileWrite): void {
  const lines = (text: string): ConfLine[] =>
    text
      .replace(/\n$/, '')
      .split('\n')
      .map((t) => ({ text: t, loc: w.loc, path: w.path }));
  if (w.mode === 'replace') {
    file.known = true;
    file.stock = [];
    file.lines = lines(w.content);
    return;
  }
  if (w.mode === 'append') {
    file.lines.push(...lines(w.content));
    return;
  }
  const added = editLines(w)
    .filter(enabling)
    .map((t) => ({ text: t, loc: w.loc, path: w.path }));
  const replay = (region: ConfLine[]): ConfLine[] | undefined => {
    const after =
      w.edits &&
      applyEdits(
        region.map((l) => l.text),
        w.edits,
      );
    if (!after) return undefined;
    return after.map((t) => region.find((l) => l.text === t) ?? { text: t, loc: w.loc, path: w.path });
  };
  const stock = replay(file.stock);
  const rest = replay(file.lines);
  if (stock && rest) {
    file.stock = stock;
    file.lines = rest;
    // An edit may also have matched the base image's text, which the linter does not see.
    if (!file.known) file.stock.push(...added);
  } else {
    // An edit the linter cannot replay: what it puts in may land anywhere, so it counts first.
    file.stock = [...added, ...file.stock];
  }
}

/** The effective weak settings of one sshd start: first value wins, Match blocks count on their own. */
interface Weakness {
  readonly line: ConfLine;
  readonly key: string;
  readonly inMatch: boolean;
}

function evaluate(lines: readonly ConfLine[]): Weakness[] {
  const first = new Map<string, { value: string; line: ConfLine }>();
  const matched: Weakness[] = [];
  let inMatch = false;
  for (const line of lines) {
    const s = setting(line.text);
    if (!s) continue;
    if (s.key === 'match') {
      inMatch = true;
      continue;
    }
    if (inMatch) {
      if (s.key in WEAK && s.value === 'yes') matched.push({ line, key: s.key, inMatch: true });
      continue;
    }
    if (!first.has(s.key)) first.set(s.key, { value: s.value, line });
  }
  const out: Weakness[] = [];
  // Keyboard-interactive logins ask for a password only through PAM; sshd's own default is UsePAM no,
  // but the stock files of Debian, Ubuntu and RHEL set it to yes, so only an explicit `no` makes it safe.
  const pamOff = first.get('usepam')?.value === 'no';
  for (const [key, { value, line }] of first) {
    if (!(key in WEAK) || value !== 'yes') continue;
    if (key === 'kbdinteractiveauthentication' && pamOff) continue;
    out.push({ line, key, inMatch: false });
  }
  for (const m of matched) if (!(m.key === 'kbdinteractiveauthentication' && pamOff)) out.push(m);
  return out;
}

const matchers = new Map<string, (path: string) => boolean>();
function matcher(glob: string): (path: string) => boolean {
  let found = matchers.get(glob);
  if (!found) {
    found = picomatch(glob);
    if (matchers.size < 100) matchers.set(glob, found);
  }
  return found;
}

// The lines sshd reads from a configuration file, with Include lines replaced by the files they name.
function expand(
  path: string,
  files: ReadonlyMap<string, ConfFile>,
  stockInclude: boolean,
  depth = 0,
): ConfLine[] {
  const file = files.get(path);
  if (!file || depth > 8) return [];
  const out: ConfLine[] = [];
  const include = (patterns: string) => {
    for (const raw of patterns.split(/\s+/).filter(Boolean)) {
      const pattern = raw.startsWith('/') ? raw : `/etc/ssh/${raw}`;
      const isMatch = matcher(pattern.replace(/^["']|["']$/g, ''));
      const names = [...files.keys()].filter((p) => p !== path && isMatch(p)).sort();
      for (const name of names) out.push(...expand(name, files, false, depth + 1));
    }
  };
  if (!file.known && stockInclude) include(STOCK_INCLUDE);
  for (const line of [...file.stock, ...file.lines]) {
    const inc = /^\s*Include\s+(.+)$/i.exec(line.text);
    if (inc) include(inc[1] ?? '');
    else out.push(line);
  }
  return out;
}

// sshd's options that take a value (getopt: joined to the letter, or the next word).
const SSHD_VALUE_LETTERS = new Set(['C', 'c', 'E', 'f', 'g', 'h', 'k', 'o', 'p', 'u']);

// `-o Key=value`, `-oKey value` and `-f FILE` of an sshd command line, also ending a letter cluster (`-Df FILE`,
// `-Deo Key=value`, `-Df/opt/s.conf`), as getopt reads them.
function sshdOptions(args: readonly string[]): { options: string[]; config?: string } {
  const options: string[] = [];
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    if (!a.startsWith('-') || a.startsWith('--')) continue;
    for (let j = 1; j < a.length; j++) {
      const letter = a[j] ?? '';
      if (!SSHD_VALUE_LETTERS.has(letter)) continue;
      const value = j < a.length - 1 ? a.slice(j + 1) : (args[++i] ?? '');
      if (letter === 'o') options.push(value);
      if (letter === 'f') config = value;
      break;
    }
  }
  return { options: options.map((o) => o.replace(/=/, ' ')), ...(config ? { config } : {}) };
}

// Files outside /etc/ssh that an `Include` of a configuration sshd reads names (relative patterns are under
// /etc/ssh), followed through includes of includes; expand() then places them where the Include stands.
function includedPaths(writes: readonly FileWrite[], roots: ReadonlySet<string>): (path: string) => boolean {
  const patterns = new Set<string>();
  const matches = (path: string) => [...patterns].some((p) => matcher(p)(path));
  const read = (path: string) =>
    /(^|\/)sshd_config(\.d\/[^/]+)?$/.test(path) || roots.has(path) || matches(path);
  for (let changed = true, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    for (const w of writes) {
      if (!/include/i.test(w.content) || !read(w.path.replace(/\/{2,}/g, '/'))) continue;
      for (const line of w.content.split('\n')) {
        const inc = /^\s*Include\s+(.+)$/i.exec(line);
        for (const raw of (inc?.[1] ?? '').split(/\s+/).filter(Boolean)) {
          const p = raw.replace(/^["']|["']$/g, '');
          const pattern = p.startsWith('/') ? p : `/etc/ssh/${p}`;
          if (!patterns.has(pattern)) {
            patterns.add(pattern);
            changed = true;
          }
        }
      }
    }
  }
  return matches;
}

interface SshdStart {
  readonly loc: Loc;
  readonly stage: number;
  readonly what: string;
  readonly args: readonly string[];
}

function isSshd(name: string): boolean {
  return name === 'sshd' || name.endsWith('/sshd');
}

// sshd runs in RUN lines and at container start; a CMD/ENTRYPOINT the evaluation did not parse is read as text.
function sshdStarts(ctx: RuleContext, shipped: ReadonlySet<number>): SshdStart[] {
  const out: SshdStart[] = [];
  const fromRun = (cmd: Command, inst: Instruction, what: string) => {
    const { name, args } = toolOf(cmd);
    if (isSshd(name) && shipped.has(inst.stage)) out.push({ loc: cmd.loc, stage: inst.stage, what, args });
  };
  for (const r of ctx.resolved()) fromRun(r.command, r.instruction, 'sshd -o');
  const started = ctx.startCommands();
  for (const r of started) fromRun(r.command, r.instruction, `${r.instruction.keyword} sshd -o`);
  for (const inst of ctx.of('CMD', 'ENTRYPOINT')) {
    if (!shipped.has(inst.stage) || started.some((r) => r.instruction === inst)) continue;
    const words = inst.json ?? inst.argsText.split(/\s+/);
    const at = words.findIndex((w) => isSshd(w));
    if (at >= 0) {
      out.push({
        loc: inst.loc,
        stage: inst.stage,
        what: `${inst.keyword} sshd -o`,
        args: words.slice(at + 1),
      });
    }
  }
  return out;
}

function explain(keys: readonly string[]): string {
  return keys.map((k) => `${SPELLING[k] ?? k} yes (${WEAK[k]})`).join(', ');
}

export const weakSshdConfig = defineRule({
  id: 'DD116',
  level: 'error',
  title: 'SSH server configured to accept root or password logins',
  rationale:
    'PermitRootLogin yes, PasswordAuthentication yes, PermitEmptyPasswords yes and KbdInteractiveAuthentication (ChallengeResponseAuthentication) yes with PAM open the daemon to password guessing, and to root directly; every container from the image carries the setting. The configuration is read as sshd reads it (first value wins, drop-ins where an Include puts them, Match blocks, `sshd -o`/`-f`), from every way the build writes it: echo/printf/tee/heredocs, sed/perl/awk/ed edits, cp/mv/install/ln/dd of a known file, COPY from the pushed tree, file names through ENV/ARG. Use key-only authentication for a named user, or no SSH daemon at all (docker exec / kubectl exec).',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const starts = sshdStarts(ctx, shipped);
    const roots = new Set([MAIN_CONFIG]);
    for (const s of starts) {
      const config = sshdOptions(s.args).config;
      if (config) roots.add(config);
    }
    const files = new Map<string, ConfFile>();
    const writes = fileWrites(ctx, { copies: true }).filter((w) => shipped.has(w.instruction.stage));
    const included = includedPaths(writes, roots);
    for (const w of writes) {
      const path = w.path.replace(/\/{2,}/g, '/');
      const main = /(^|\/)sshd_config$/.test(path);
      if (!main && !/(^|\/)sshd_config\.d\/[^/]+$/.test(path) && !roots.has(path) && !included(path))
        continue;
      if (main) roots.add(path);
      let file = files.get(path);
      if (!file) {
        file = { known: false, stock: [], lines: [] };
        files.set(path, file);
      }
      apply(file, w);
    }
    // Nothing written to an sshd configuration: only command-line options can weaken it.
    if (files.size > 0)
      files.set(MAIN_CONFIG, files.get(MAIN_CONFIG) ?? { known: false, stock: [], lines: [] });
    const found = new Map<string, { loc: Loc; where: string; keys: Set<string>; match: boolean }>();
    const report = (loc: Loc, where: string, key: string, match: boolean) => {
      const id = `${loc.line}:${loc.column}:${where}`;
      const entry = found.get(id) ?? { loc, where, keys: new Set<string>(), match: false };
      entry.keys.add(key);
      entry.match ||= match;
      found.set(id, entry);
    };
    for (const root of roots) {
      if (!files.has(root)) continue;
      // Whether the base image's sshd_config includes the drop-ins is not known: a setting counts if it
      // takes effect either way.
      for (const stockInclude of [true, false]) {
        for (const w of evaluate(expand(root, files, stockInclude))) {
          report(w.line.loc, w.line.path, w.key, w.inMatch);
        }
      }
    }
    for (const s of starts) {
      const opts = evaluate(sshdOptions(s.args).options.map((text) => ({ text, loc: s.loc, path: s.what })));
      for (const w of opts) report(s.loc, s.what, w.key, false);
    }
    const out: RuleFinding[] = [...found.values()].map((f) =>
      ctx.finding(
        f.loc,
        `${f.where} sets ${explain([...f.keys])}${f.match ? ' (in a Match block)' : ''}; allow key-only logins for a named user`,
      ),
    );
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
