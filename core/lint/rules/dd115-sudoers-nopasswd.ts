import type { Loc } from '../../dockerfile/source-map.js';
import { applyEdits, type FileWrite, fileWrites } from '../file-writes.js';
import { defineRule } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

const SUDOERS = /(^|\/)etc\/sudoers(\.d\/[^/]+)?$/;
// sudo skips files of sudoers.d whose names contain a dot or end in `~` (package and editor leftovers).
const SKIPPED_DROP_IN = /\/sudoers\.d\/([^/]*\.[^/]*|[^/]*~)$/;
// `who hosts=(runas) TAG: commands`, e.g. `app ALL=(ALL:ALL) NOPASSWD: ALL`.
const RULE_LINE = /^\s*(\S+)\s+[^\s=]+\s*=\s*(.*)$/;
// The entries distributions ship: full sudo for root and the admin groups, behind a password.
const DISTRO_DEFAULT_GRANTEES = new Set(['root', '%sudo', '%admin', '%wheel', '%root']);
// Programs that start a shell or write any file for whoever runs them as root (GTFOBins' sudo list):
// NOPASSWD for one of them is NOPASSWD for everything.
const SHELL_ESCAPES = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'ash',
  'csh',
  'tcsh',
  'fish',
  'busybox',
  'su',
  'sudo',
  'sudoedit',
  'visudo',
  'env',
  'nohup',
  'nice',
  'xargs',
  'find',
  'vi',
  'vim',
  'nvim',
  'view',
  'nano',
  'pico',
  'ed',
  'emacs',
  'less',
  'more',
  'man',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'perl',
  'python',
  'python2',
  'python3',
  'ruby',
  'node',
  'lua',
  'php',
  'tclsh',
  'expect',
  'tar',
  'zip',
  'rsync',
  'git',
  'apt',
  'apt-get',
  'aptitude',
  'dpkg',
  'yum',
  'dnf',
  'microdnf',
  'rpm',
  'apk',
  'zypper',
  'pip',
  'pip3',
  'npm',
  'yarn',
  'gem',
  'make',
  'docker',
  'podman',
  'chmod',
  'chown',
  'cp',
  'mv',
  'tee',
  'dd',
  'install',
  'ln',
  'mount',
  'crontab',
  'tcpdump',
  'nmap',
  'chroot',
  'nsenter',
  'unshare',
  'strace',
  'gdb',
  'journalctl',
  'systemctl',
  'script',
  'socat',
  'openssl',
  'scp',
  'ssh',
  'ftp',
  'zsh',
  'timeout',
  'watch',
  'flock',
  'taskset',
  'ionice',
  'stdbuf',
  'time',
  'setarch',
]);

interface Grant {
  readonly nopasswd: boolean;
  readonly command: string;
}

// Splits a sudoers command list on commas (not `\,`), carrying tags and runas lists forward as sudo does.
function grants(spec: string): { runas: string | undefined; grants: Grant[] }[] {
  const out: { runas: string | undefined; grants: Grant[] }[] = [];
  let runas: string | undefined;
  let nopasswd = false;
  let current: { runas: string | undefined; grants: Grant[] } | undefined;
  for (const raw of spec.split(/(?<!\\),/)) {
    let item = raw.trim();
    const r = /^\(([^)]*)\)\s*/.exec(item);
    if (r) {
      runas = r[1] ?? '';
      item = item.slice(r[0].length);
      current = undefined;
    }
    for (let tag = /^([A-Z_]+)\s*:\s*/.exec(item); tag; tag = /^([A-Z_]+)\s*:\s*/.exec(item)) {
      if (tag[1] === 'NOPASSWD') nopasswd = true;
      else if (tag[1] === 'PASSWD') nopasswd = false;
      item = item.slice(tag[0].length);
    }
    if (!current) {
      current = { runas, grants: [] };
      out.push(current);
    }
    current.grants.push({ nopasswd, command: item });
  }
  return out;
}

// A runas list lets a command run as root: absent (root is the default), ALL, root, #0 or a group of users.
function asRoot(runas: string | undefined): boolean {
  if (runas === undefined) return true;
  const users = (runas.split(':')[0] ?? '').split(',').map((u) => u.trim());
  if (users.length === 1 && users[0] === '') return runas.trim() === '';
  return users.some(
    (u) => u === 'ALL' || u === 'root' || u === '#0' || u.startsWith('%') || u.startsWith('+'),
  );
}

function commandName(command: string): string {
  return (command.trim().split(/\s+/)[0] ?? '').split('/').at(-1) ?? '';
}

// Why a sudoers line weakens sudo, or undefined; `aliases` are the file's Cmnd_Alias definitions.
function weakening(line: string, aliases: ReadonlyMap<string, string[]>): string | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  if (/^Defaults\b.*!\s*authenticate\b/.test(text))
    return 'turns off password checks for sudo (!authenticate)';
  const m = RULE_LINE.exec(text);
  if (!m) return undefined;
  const [, who = '', spec = ''] = m;
  if (who.startsWith('Defaults') || /_Alias$/.test(who)) return undefined;
  for (const group of grants(spec)) {
    if (!asRoot(group.runas)) continue;
    const expanded = group.grants.flatMap((g) =>
      (aliases.get(g.command.trim()) ?? [g.command]).map((command) => ({ ...g, command })),
    );
    const all = expanded.find((g) => g.command.trim() === 'ALL');
    if (all?.nopasswd) return `lets ${who} run any command as root without a password`;
    const shell = expanded.find(
      (g) => g.nopasswd && (SHELL_ESCAPES.has(commandName(g.command)) || /^\S*\*/.test(g.command.trim())),
    );
    if (shell) {
      return `lets ${who} run ${shell.command.trim()} as root without a password, and that program can start a shell or write any file, so it is every command`;
    }
    if (all && !DISTRO_DEFAULT_GRANTEES.has(who)) return `lets ${who} run any command as root`;
  }
  return undefined;
}

interface SudoersLine {
  readonly text: string;
  readonly loc: Loc;
  readonly path: string;
}

// The lines of a sudoers file as the build leaves them; `known` once the whole text was written.
interface SudoersFile {
  known: boolean;
  lines: SudoersLine[];
}

function apply(file: SudoersFile, w: FileWrite, aliases: ReadonlyMap<string, string[]>): void {
  const lines = (text: string) => joined(text).map((t) => ({ text: t, loc: w.loc, path: w.path }));
  if (w.mode === 'replace') {
    file.known = true;
    file.lines = lines(w.content);
  } else if (w.mode === 'append') {
    file.lines.push(...lines(w.content));
  } else {
    const after =
      w.edits &&
      applyEdits(
        file.lines.map((l) => l.text),
        w.edits,
      );
    const weak = lines(w.content).filter((l) => weakening(l.text, aliases) !== undefined);
    if (after) {
      file.lines = after.map(
        (t) => file.lines.find((l) => l.text === t) ?? { text: t, loc: w.loc, path: w.path },
      );
      // The edit may also have matched the base image's text, which the linter does not see.
      if (!file.known) file.lines.push(...weak);
    } else file.lines.push(...weak);
  }
}

// sudoers lines ending in a backslash continue on the next line.
function joined(text: string): string[] {
  return text.replace(/\\\n/g, ' ').replace(/\n$/, '').split('\n');
}

function cmndAliases(writes: readonly FileWrite[]): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const w of writes) {
    for (const line of joined(w.content)) {
      const m = /^\s*Cmn?d_Alias\s+(.+)$/.exec(line);
      // `Cmnd_Alias A = x, y : B = z` defines several.
      for (const def of (m?.[1] ?? '').split(/\s:\s/)) {
        const d = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.+)$/.exec(def);
        if (d)
          aliases.set(
            d[1] ?? '',
            (d[2] ?? '').split(/(?<!\\),/).map((c) => c.trim()),
          );
      }
    }
  }
  return aliases;
}

export const sudoersNopasswd = defineRule({
  id: 'DD115',
  level: 'warning',
  title: 'sudo grants root without a password',
  rationale:
    'A sudoers entry that lets a user run ALL commands as root (or NOPASSWD: a program that can start a shell or write files, such as apt-get, vim, find, tee, python) makes that user root: any code running as it can take over the container, which undoes the USER instruction. The files are read as the build leaves them (echo/printf/tee/heredocs, sed/perl edits, visudo with EDITOR=tee, cp/mv/install of a known file, COPY from the pushed tree, ENV-named paths, Cmnd_Alias, files named by `@include`/`@includedir`), as are OpenDoas `permit nopass` rules; sudoers.d files with a dot in the name, which sudo skips, and runas lists without root are not reported. Grant NOPASSWD only for exact commands (`app ALL=(root) NOPASSWD: /usr/sbin/nginx -s reload`).',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const shippedWrites = fileWrites(ctx, { copies: true }).filter((w) => shipped.has(w.instruction.stage));
    const doas = doasFindings(shippedWrites);
    const { read, skipped } = sudoersPaths(shippedWrites);
    const writes = shippedWrites.filter((w) => read(w.path));
    if (writes.length === 0) return doas.map((d) => ctx.finding(d.loc, d.message));
    const aliases = cmndAliases(writes);
    const files = new Map<string, SudoersFile>();
    for (const w of writes) {
      const path = w.path.replace(/\/{2,}/g, '/');
      let file = files.get(path);
      if (!file) {
        file = { known: false, lines: [] };
        files.set(path, file);
      }
      apply(file, w, aliases);
    }
    const found = new Map<string, ReturnType<typeof ctx.finding>>();
    for (const [path, file] of files) {
      if (skipped(path)) continue;
      for (const line of file.lines) {
        const why = weakening(line.text, aliases);
        const key = `${line.loc.line}:${line.loc.column}:${line.path}`;
        if (!why || found.has(key)) continue;
        found.set(
          key,
          ctx.finding(
            line.loc,
            `${line.path} ${why}: code running as that user can become root; allow only the commands it needs`,
          ),
        );
      }
    }
    return [...found.values(), ...doas.map((d) => ctx.finding(d.loc, d.message))].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    );
  },
});

const normal = (p: string) => p.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

// The files sudo reads: sudoers, sudoers.d, and whatever an `@include`/`#include` names or an
// `@includedir`/`#includedir` holds (relative paths from the including file's directory), followed to a fixpoint.
// In an included directory, as in sudoers.d, names with a dot or ending in `~` are skipped.
function sudoersPaths(writes: readonly FileWrite[]): {
  read: (path: string) => boolean;
  skipped: (path: string) => boolean;
} {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const read = (path: string) => {
    const p = normal(path);
    return SUDOERS.test(p) || files.has(p) || dirs.has(dirOf(p));
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of writes) {
      if (!w.content.includes('include') || !read(w.path)) continue;
      for (const line of joined(w.content)) {
        const m = /^\s*[@#]include(dir)?\s+(\S+)\s*$/.exec(line);
        if (!m) continue;
        const raw = m[2] ?? '';
        const target = normal(raw.startsWith('/') ? raw : `${dirOf(normal(w.path))}/${raw}`);
        const set = m[1] ? dirs : files;
        if (!set.has(target)) {
          set.add(target);
          changed = true;
        }
      }
    }
  }
  const skipped = (path: string) => {
    const p = normal(path);
    if (SKIPPED_DROP_IN.test(p)) return true;
    return dirs.has(dirOf(p)) && !files.has(p) && /\.|~$/.test(p.slice(p.lastIndexOf('/') + 1));
  };
  return { read, skipped };
}

// OpenDoas (Alpine): /etc/doas.conf and /etc/doas.d/*.conf, `permit [options] identity [as target] [cmd c [args …]]`.
const DOAS = /(^|\/)etc\/(doas\.conf|doas\.d\/[^/]+\.conf)$/;

function doasFindings(writes: readonly FileWrite[]): { loc: Loc; message: string }[] {
  const out: { loc: Loc; message: string }[] = [];
  for (const w of writes) {
    if (!DOAS.test(normal(w.path))) continue;
    for (const line of joined(w.content)) {
      const text = line
        .replace(/#.*$/, '')
        .replace(/setenv\s*\{[^}]*\}/, ' ')
        .trim();
      const m = /^permit\s+(.*)$/.exec(text);
      if (!m) continue;
      const words = (m[1] ?? '').split(/\s+/);
      const options = new Set<string>();
      while (['nopass', 'nolog', 'persist', 'keepenv'].includes(words[0] ?? ''))
        options.add(words.shift() ?? '');
      const who = words.shift() ?? '';
      if (!options.has('nopass') || who === '') continue;
      // Without `as`, the target is root.
      if (words[0] === 'as' && words[1] !== 'root') continue;
      const cmd = words.indexOf('cmd');
      const command = cmd < 0 ? undefined : (words[cmd + 1] ?? '');
      if (command !== undefined && !SHELL_ESCAPES.has(commandName(command)) && !command.includes('*'))
        continue;
      out.push({
        loc: w.loc,
        message: `${w.path} lets ${who} run ${command ?? 'any command'} as root without a password (doas nopass)${
          command === undefined ? '' : ', and that program can start a shell or write any file'
        }: code running as that user can become root; allow only the commands it needs`,
      });
    }
  }
  return out;
}
