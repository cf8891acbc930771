import type { Instruction } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { expandText } from '../build-variables.js';
import { type FileWrite, fileWrites, toolOf } from '../file-writes.js';
import { networkCoverage, openToInternet } from '../network-set.js';
import { defineRule, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Environment variables common mail-relay images turn into mynetworks or exim's relay_from_hosts.
const RELAY_NETS_ENV =
  /^(POSTFIX_)?(MYNETWORKS|RELAY_?NETWORKS|RELAY_?NETS|DC_RELAY_NETS|RELAY_FROM_HOSTS)$/i;
// …and into relay_domains / relay_to_domains.
const RELAY_DOMAINS_ENV = /^(POSTFIX_)?(RELAY_?DOMAINS|DC_RELAY_DOMAINS|RELAY_TO_DOMAINS)$/i;
// Postfix restriction steps that stop mail to foreign domains.
const STOPS_RELAY = /^(reject_unauth_destination|defer_unauth_destination|reject|defer|defer_if_permit)$/;
const POSTFIX_SETTING =
  /^(?:[\w.-]+\/[\w.-]+\/)?(mynetworks|smtpd_relay_restrictions|smtpd_recipient_restrictions|relay_domains)\s*=\s*(.*)$/;
// `-o name=value` in master.cf, `postconf -M` and daemon command lines; postfix 3 allows `-o { name = value }`.
const DASH_O = /(?:^|\s)-o\s*(?:\{\s*([\w.]+)\s*=\s*([^}]*)\}|([\w.]+)=(\S*))/g;
const EXIM_SETTING =
  /^(?:(?:hostlist|domainlist)\s+)?(relay_from_hosts|relay_to_domains|dc_relay_nets|dc_relay_domains)\s*=\s*(.*)$/;
// Words every relay setting holds.
const RELAY_WORDS = /mynetworks|relay|smtpd_re|FEATURE/;
// Where postfix, exim and sendmail read their configuration.
const MAIL_CONFIG_PATH =
  /\/(postfix|exim4?|mail|sendmail)\/|(^|\/)(main|master)\.cf$|exim[^/]*\.conf[^/]*$|\.mc$/;
// Addresses a regexp/pcre table key must match to match every client.
const PROBES = ['8.8.8.8', '93.184.216.34', '203.0.113.9', '2001:4860:4860::8888', 'mail.example.com'];

/** A setting as `name = value`, the way main.cf, master.cf `-o`, postconf and exim configs give it. */
interface Setting {
  readonly name: string;
  readonly value: string;
}

/** The relay settings a configuration text holds (main.cf, master.cf, exim configs, postconf output). */
function settingsIn(text: string): Setting[] {
  const out: Setting[] = [];
  // main.cf and master.cf continue a line on lines that start with whitespace.
  for (const raw of text.replace(/\n[ \t]+(?=\S)/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out.push(...dashO(line));
    const pf = POSTFIX_SETTING.exec(line);
    if (pf) out.push({ name: pf[1] ?? '', value: pf[2] ?? '' });
    const ex = EXIM_SETTING.exec(line);
    if (ex) out.push({ name: ex[1] ?? '', value: unquote(ex[2] ?? '') });
    const sendmail = /FEATURE\(\s*[`']?(promiscuous_relay|relay_local_from|relay_mail_from)\b/.exec(line);
    if (sendmail) out.push({ name: 'sendmail', value: sendmail[1] ?? '' });
  }
  return out;
}

function dashO(text: string): Setting[] {
  return [...text.matchAll(DASH_O)].map((m) => ({
    name: m[1] ?? m[3] ?? '',
    value: (m[2] ?? m[4] ?? '').trim(),
  }));
}

const unquote = (v: string): string => v.trim().replace(/^'(.*)'$|^"(.*)"$/s, (_m, a, b) => a ?? b ?? '');

/** An exim list: `:` separated (`::` is a literal colon), or another separator chosen by a leading `<x`. */
function eximList(value: string): string[] {
  const v = value.trim();
  const custom = /^<\s*(\S)\s*/.exec(v);
  if (custom)
    return v
      .slice(custom[0].length)
      .split(custom[1] ?? ';')
      .map((s) => s.trim());
  return v.split(/(?<!:):(?!:)/).map((s) => s.replace(/::/g, ':').trim());
}

/** The patterns a postfix list names, with `cidr:`, `regexp:`/`pcre:` tables and `/file` patterns read from the text the build puts there. */
function postfixPatterns(value: string, textOf: (path: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const raw of value.replace(/\$\{?config_directory\}?/g, '/etc/postfix').split(/[\s,]+/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const table = /^(!?)([a-z]+):(.*)$/.exec(entry);
    if (!table) {
      if (entry.startsWith('/')) out.push(...tokens(textOf(entry)));
      else out.push(entry);
      continue;
    }
    const [, not = '', type = '', path = ''] = table;
    // A static table answers every lookup: it matches every client.
    if (type === 'static') out.push(`${not}*`);
    else if (type === 'cidr') out.push(...lines(textOf(path)).map((l) => not + (l.split(/\s+/)[0] ?? '')));
    else if (type === 'regexp' || type === 'pcre') {
      if (lines(textOf(path)).some(matchesEveryone)) out.push(`${not}*`);
    }
    // hash:, lmdb:, texthash: … keys are looked up whole, so a network written there matches nothing.
  }
  return out;
}

const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
const tokens = (text: string | undefined): string[] => lines(text).flatMap((l) => l.split(/[\s,]+/));

// A regexp table line `/re/flags result` whose expression matches any client address and name.
function matchesEveryone(line: string): boolean {
  const m = /^\/(.*)\/([a-z]*)(\s|$)/i.exec(line);
  if (!m) return false;
  try {
    const re = new RegExp(m[1] ?? '', (m[2] ?? '').includes('i') ? 'i' : '');
    return PROBES.every((p) => re.test(p));
  } catch {
    return false;
  }
}

// Access-table answers that accept (access(5)): OK, all-numerical, and RELAY; `permit` is the restriction's spelling.
const ACCEPTS = /^(ok|permit|relay|\d+)$/i;

/**
 * The first restriction step that accepts every client: `permit`, or a `check_*_access` whose table answers OK for
 * everyone (`static:OK`, or a `cidr:` table whose accepting lines cover the Internet); -1 when none does.
 */
function permitsEveryone(steps: readonly string[], textOf: (path: string) => string | undefined): number {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] ?? '';
    if (step === 'permit') return i;
    if (!/^check_[a-z_]+_access$/.test(step)) continue;
    const table = /^([a-z]+):(.*)$/.exec(
      (steps[i + 1] ?? '').replace(/\$\{?config_directory\}?/g, '/etc/postfix'),
    );
    const [, type = '', arg = ''] = table ?? [];
    if (type === 'static' && ACCEPTS.test(arg.replace(/^\{|\}$/g, '').trim())) return i;
    if (type === 'cidr' && step === 'check_client_access') {
      const accepted = lines(textOf(arg))
        .map((l) => l.split(/\s+/))
        .filter((f) => ACCEPTS.test(f[1] ?? ''))
        .map((f) => f[0] ?? '');
      if (openToInternet(networkCoverage(accepted))) return i;
    }
  }
  return -1;
}

/** Why a setting relays mail for anyone, or undefined. */
function openRelay(s: Setting, textOf: (path: string) => string | undefined): string | undefined {
  if (s.name === 'mynetworks') {
    const why = openToInternet(networkCoverage(postfixPatterns(s.value, textOf)));
    return why && `postfix mynetworks ${why}, and mynetworks may relay by default`;
  }
  if (s.name === 'relay_domains') {
    const all = s.value.split(/[\s,]+/).some((d) => d === '*' || d.startsWith('static:'));
    return all ? 'postfix relay_domains matches every domain, so mail to any domain is relayed' : undefined;
  }
  if (s.name === 'smtpd_relay_restrictions' || s.name === 'smtpd_recipient_restrictions') {
    const steps = s.value.split(/[\s,]+/).filter(Boolean);
    const permit = permitsEveryone(steps, textOf);
    const stop = steps.findIndex((step) => STOPS_RELAY.test(step));
    return permit >= 0 && (stop < 0 || permit < stop)
      ? `postfix ${s.name} permits every client (\`${steps.slice(permit, steps[permit] === 'permit' ? permit + 1 : permit + 2).join(' ')}\`) before reject_unauth_destination, so any sender may relay`
      : undefined;
  }
  if (s.name === 'relay_from_hosts' || s.name === 'dc_relay_nets') {
    const why = openToInternet(networkCoverage(eximList(s.value)));
    return why && `exim ${s.name} ${why}`;
  }
  if (s.name === 'relay_to_domains' || s.name === 'dc_relay_domains') {
    return eximList(s.value).includes('*')
      ? `exim ${s.name} is *, so mail to any domain is relayed`
      : undefined;
  }
  if (s.name === 'sendmail') {
    return s.value === 'promiscuous_relay'
      ? 'sendmail promiscuous_relay relays for everyone'
      : `sendmail ${s.value} relays for anyone who forges a local sender address`;
  }
  return undefined;
}

// Postfix programs that take `-o name=value` overrides of main.cf on their command line.
const POSTFIX_DAEMONS = new Set(['postfix', 'master', 'smtpd', 'postmulti', 'sendmail']);

/** The settings a container start command applies: `postconf name=value`, `postfix -o name=value`. */
function startSettings(name: string, args: readonly string[]): Setting[] {
  if (name === 'postconf') {
    if (args.some((a) => /^-[a-zA-Z]*[X#]/.test(a))) return [];
    return args
      .filter((a) => !a.startsWith('-') && a.includes('='))
      .flatMap((a) => settingsIn(a.replace('=', ' = ')));
  }
  if (!POSTFIX_DAEMONS.has(name)) return [];
  return dashO(args.map((a) => (/\s/.test(a) ? `{ ${a} }` : a)).join(' '));
}

export const openMailRelay = defineRule({
  id: 'DD118',
  level: 'error',
  title: 'Mail server configured as an open relay',
  rationale:
    'A mail server that relays for every network carries spam and phishing from anyone under your domain and IP addresses, and is blocklisted within hours. DD118 reads postfix main.cf and master.cf `-o` settings, postconf and `postfix -o` in RUN, CMD and ENTRYPOINT, files COPYed in by their content, `cidr:`/`regexp:`/`static:` tables and `/file` lists mynetworks names, exim relay_from_hosts/relay_to_domains and Debian dc_relay_*, and relay-image ENV settings, with variables resolved; networks are unioned as address sets, so `0/0`, `0.0.0.0/1 128.0.0.0/1` or `[::ffff:0.0.0.0]/96` are everyone (more public addresses than a /8 of IPv4 or a /16 of IPv6 counts as the Internet). It cannot see a configuration generated by a program at run time, nor a hash: table (whose keys match single addresses only).',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    const shipped = shippedStages(ctx.stages);
    const ships = (i: Instruction) => i.onbuild || i.stage < 0 || shipped.has(i.stage);
    const report = (loc: Loc, where: string, why: string) => {
      const key = `${loc.line}:${loc.column}:${why}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(ctx.finding(loc, `${where}: ${why}; relay only for known networks and authenticated clients`));
    };
    const writes = fileWrites(ctx, { copies: true }).filter((w) => ships(w.instruction));
    const byPath = new Map<string, FileWrite[]>();
    for (const w of writes) byPath.set(w.path, [...(byPath.get(w.path) ?? []), w]);
    const textOf = (path: string) =>
      byPath
        .get(path)
        ?.map((w) => w.content)
        .join('\n');
    for (const w of writes) {
      // Cheap keyword check first; a file copied in bulk (`COPY . /app`) is read only where a mail server reads it.
      if (!RELAY_WORDS.test(w.content)) continue;
      if (w.via === 'copy' && !MAIL_CONFIG_PATH.test(w.path)) continue;
      for (const s of settingsIn(w.content)) {
        const why = openRelay(s, textOf);
        if (why) report(w.loc, w.via === 'postconf' ? 'postconf' : w.path, why);
      }
    }
    for (const { command, instruction } of ctx.startCommands()) {
      if (!ships(instruction)) continue;
      const { name, args } = toolOf(command);
      for (const s of startSettings(name, args)) {
        const why = openRelay(s, textOf);
        if (why) report(command.loc, `${instruction.keyword} ${name}`, why);
      }
    }
    for (const inst of ctx.of('ENV', 'ARG')) {
      if (!ships(inst)) continue;
      for (const p of inst.properties) {
        if (p.value === null) continue;
        const nets = RELAY_NETS_ENV.test(p.name);
        if (!nets && !RELAY_DOMAINS_ENV.test(p.name)) continue;
        const value = unquote(expandText(ctx.model, inst, p.value) ?? p.value);
        const entries = value
          .split(/[\s,;]+/)
          .flatMap((e) => (e.includes('.') && e.includes(':') ? eximList(e) : [e]));
        const open = nets
          ? openToInternet(networkCoverage(entries))
          : entries.includes('*')
            ? 'is *'
            : undefined;
        if (open) {
          report(
            p.loc,
            `${inst.keyword} ${p.name}`,
            `relay-image setting that ${open}, so anyone may relay mail`,
          );
        }
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
