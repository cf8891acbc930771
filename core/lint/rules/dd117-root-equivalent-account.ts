import { flagValue, hasFlag, operands } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { commandInput, type FileWrite, fileWrites, toolOf } from '../file-writes.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

const USERADD_VALUE_FLAGS = [
  'u',
  'uid',
  'g',
  'gid',
  'G',
  'groups',
  'd',
  'home',
  'home-dir',
  's',
  'shell',
  'c',
  'comment',
  'k',
  'skel',
  'K',
  'key',
  'e',
  'expiredate',
  'f',
  'inactive',
  'p',
  'password',
  'R',
  'root',
  'P',
  'prefix',
  'Z',
  'selinux-user',
  'h',
];
const ADMIN_GROUPS = new Set(['sudo', 'wheel', 'admin']);

/** A run of one of the account tools, as the shell would run it (variables resolved, busybox applets unwrapped). */
interface ToolRun {
  readonly command: Command;
  readonly instruction: Instruction;
  readonly tool: string;
  readonly args: readonly string[];
}

const ACCOUNT_TOOLS = new Set([
  'useradd',
  'usermod',
  'adduser',
  'addgroup',
  'gpasswd',
  'chpasswd',
  'passwd',
  'newusers',
]);

function accountRuns(ctx: RuleContext, shipped: ReadonlySet<number>): ToolRun[] {
  const out: ToolRun[] = [];
  for (const { command, instruction } of ctx.resolved()) {
    if (!shipped.has(instruction.stage)) continue;
    const { name, args } = toolOf(command);
    if (ACCOUNT_TOOLS.has(name)) out.push({ command, instruction, tool: name, args });
  }
  return out;
}

// `0`, `00`: the number sshd, login and the kernel read as uid 0.
function isZero(uid: string | undefined): boolean {
  return uid !== undefined && /^0+$/.test(uid.trim());
}

// The uid given to useradd/usermod/adduser, read as getopt does: the last `-u`, also ending a letter cluster with
// its value joined or next (`-ou0`, `-Mou 0`), or `--uid[=]V` (`--ui` is its unambiguous start). shadow's parser
// (strtol) reads a leading `+` too, so the value is returned without it.
function uidOf(args: readonly string[]): string | undefined {
  let uid: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    if (a.startsWith('--')) {
      const [name = '', value] = a.slice(2).split(/=(.*)/s);
      if (name === 'ui' || name === 'uid') uid = value ?? args[++i];
      else if (value === undefined && USERADD_VALUE_FLAGS.includes(name)) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const letter = a[j] ?? '';
        if (!USERADD_VALUE_FLAGS.includes(letter)) continue;
        const value = j < a.length - 1 ? a.slice(j + 1) : args[++i];
        if (letter === 'u') uid = value;
        break;
      }
    }
  }
  return uid?.trim().replace(/^\+/, '');
}

interface Account {
  readonly user: string;
  readonly loc: Loc;
}

// The first operand of useradd/usermod/adduser is the user (adduser's second is a group).
function userOf(run: ToolRun): string {
  return userOperands(run.args).at(0) ?? 'root';
}

// Operands of the shadow tools, where a letter cluster may end in a flag taking a value (`-aG sudo`).
function userOperands(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      if (!a.includes('=') && USERADD_VALUE_FLAGS.includes(a.slice(2))) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      if (USERADD_VALUE_FLAGS.includes(a.at(-1) ?? '')) i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

// The groups of `-G sudo`, `--groups=sudo,docker` and clusters like usermod's `-aG sudo`.
function groupsOf(args: readonly string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--groups')) return (a.includes('=') ? a.slice(9) : (args[i + 1] ?? '')).split(',');
    if (/^-[a-zA-Z]*G$/.test(a)) return (args[i + 1] ?? '').split(',');
    if (/^-[a-zA-Z]*G./.test(a) && !a.startsWith('--')) return a.slice(a.indexOf('G') + 1).split(',');
  }
  return [];
}

// Users given a password: `echo 'u:pw' | chpasswd`, `passwd [--stdin] u`, `usermod -p HASH u`.
// `!` and `*` in the password field lock the account: the opposite of setting a password.
function locks(hash: string): boolean {
  return /^[!*]/.test(hash.trim());
}

function passwordsSet(ctx: RuleContext, runs: readonly ToolRun[]): (Account & { empty: boolean })[] {
  const out: (Account & { empty: boolean })[] = [];
  for (const run of runs) {
    const loc = run.command.loc;
    if (run.tool === 'chpasswd') {
      const input = commandInput(ctx, run) ?? '';
      // chpasswd reads `user:password` lines; an empty password field is no password at all.
      for (const line of input.split('\n')) {
        const m = /^\s*([^:\s#]+):(.*)$/.exec(line);
        if (m && !locks(m[2] ?? '')) out.push({ user: m[1] ?? '', loc, empty: (m[2] ?? '').trim() === '' });
      }
    } else if (run.tool === 'passwd') {
      const user = operands(run).at(0) ?? 'root';
      if (hasFlag(run, 'd', 'delete')) out.push({ user, loc, empty: true });
      else if (commandInput(ctx, run) !== undefined) out.push({ user, loc, empty: false });
    } else if (run.tool === 'usermod' || run.tool === 'useradd') {
      const hash = flagValue(run, 'p', 'password');
      if (hash !== undefined && !locks(hash)) out.push({ user: userOf(run), loc, empty: hash === '' });
    }
  }
  return out;
}

// Users put in a group that sudo lets run anything as root on stock distributions.
function sudoCapable(runs: readonly ToolRun[]): Set<string> {
  const users = new Set<string>();
  for (const run of runs) {
    const groups = groupsOf(run.args);
    if ((run.tool === 'usermod' || run.tool === 'useradd') && groups.some((g) => ADMIN_GROUPS.has(g))) {
      users.add(userOf(run));
    }
    const ops = userOperands(run.args);
    if (
      (run.tool === 'adduser' || run.tool === 'addgroup') &&
      ops.length === 2 &&
      ADMIN_GROUPS.has(ops[1] ?? '')
    ) {
      users.add(ops[0] ?? '');
    }
    if (run.tool === 'gpasswd' && ADMIN_GROUPS.has(ops.at(-1) ?? '')) {
      const member = flagValue(run, 'a', 'add');
      if (member) users.add(member);
    }
  }
  return users;
}

export const rootEquivalentAccount = defineRule({
  id: 'DD117',
  level: 'error',
  title: 'Account equivalent to root, or root with a known or empty password',
  rationale:
    'A second account with uid 0 is root under another name, invisible to anyone checking for root; a root password (or a known password for a user in sudo/wheel) set in the Dockerfile is readable from the Dockerfile and the image history and works in every container; an empty password lets anyone who reaches a login prompt or `su` in. Commands are read as the shell runs them (ENV/ARG values, busybox applets) and /etc/passwd and /etc/shadow as the build leaves them (echo/tee/heredocs, sed/perl edits, cp/mv/cat of a known file, files fed to chpasswd, COPY from the pushed tree); a uid or password computed by a program the build runs is not seen. Run as an unprivileged user and do root work at build time.',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const report = (loc: Loc, message: string) => out.push(ctx.finding(loc, message));
    const shipped = shippedStages(ctx.stages);
    const runs = accountRuns(ctx, shipped);
    for (const run of runs) {
      if (!['useradd', 'usermod', 'adduser'].includes(run.tool)) continue;
      const uid = uidOf(run.args);
      if (isZero(uid) && userOf(run) !== 'root') {
        report(
          run.command.loc,
          `${run.tool} gives ${userOf(run)} uid 0: a second root account under another name`,
        );
      }
    }
    // newusers reads passwd-format lines (`name:password:uid:gid:…`) and creates or updates those accounts.
    for (const run of runs.filter((r) => r.tool === 'newusers')) {
      const input = commandInput(ctx, run) ?? '';
      for (const line of input.split('\n')) {
        const [name = '', password, uid] = line.split(':');
        if (name === '' || password === undefined) continue;
        if (isZero(uid) && name !== 'root') {
          report(run.command.loc, `newusers gives ${name} uid 0: a second root account under another name`);
        }
        if (password === '') {
          report(
            run.command.loc,
            `newusers gives ${name} an empty password: anyone reaching a login or su gets in`,
          );
        } else if (name === 'root' && !locks(password)) {
          report(
            run.command.loc,
            'root gets a password set in the Dockerfile: it works in every container and is readable from the build',
          );
        }
      }
    }
    for (const w of fileWrites(ctx, { copies: true })) {
      if (!/(^|\/)etc\/(passwd|shadow)$/.test(w.path) || !shipped.has(w.instruction.stage)) continue;
      for (const message of accountFileFindings(w)) report(w.loc, message);
    }
    const admins = sudoCapable(runs);
    for (const set of passwordsSet(ctx, runs)) {
      if (set.empty) {
        report(
          set.loc,
          `${set.user} gets an empty password: anyone reaching a login prompt or su gets in as ${set.user}`,
        );
      } else if (set.user === 'root') {
        report(
          set.loc,
          'root gets a password set in the Dockerfile: it works in every container and is readable from the build',
        );
      } else if (admins.has(set.user)) {
        report(
          set.loc,
          `${set.user} can sudo and gets a password set in the Dockerfile: that password is root's in every container`,
        );
      }
    }
    const seen = new Set<string>();
    return out
      .filter((f) => {
        const key = `${f.line}:${f.column}:${f.message}`;
        return !seen.has(key) && !!seen.add(key);
      })
      .sort((a, b) => a.line - b.line || a.column - b.column);
  },
});

// What a text put into /etc/passwd or /etc/shadow does: a uid 0 account other than root, an empty password.
function accountFileFindings(w: FileWrite): string[] {
  const out: string[] = [];
  const passwd = w.path.endsWith('passwd');
  const lines = w.content.split('\n');
  for (const line of lines) {
    const fields = line.split(':');
    const [name = ''] = fields;
    if (name === '' || /^\s*#/.test(line) || /\s/.test(name)) continue;
    // A whole line (`name:x:0:0:…`), or the start of one an edit writes (`app:x:0`).
    const uidZero = passwd && fields.length >= (w.mode === 'edit' ? 3 : 4) && isZero(fields[2]);
    if (uidZero && name !== 'root') {
      out.push(`${w.path} gets ${name} with uid 0: a second root account under another name`);
    }
    // A hash in root's shadow field is a root password set in the build (`*`/`!` lock the account).
    if (
      !passwd &&
      name === 'root' &&
      fields.length >= 3 &&
      (fields[1] ?? '') !== '' &&
      !locks(fields[1] ?? '')
    ) {
      out.push(
        `${w.path} gives root a password hash written in the Dockerfile: it works in every container and is readable from the build`,
      );
    }
    if (
      fields.length >= 2 &&
      fields[1] === '' &&
      (w.mode !== 'edit' || fields.length >= 3 || line.endsWith(':'))
    ) {
      out.push(`${w.path} gives ${name} an empty password: anyone reaching a login or su gets in`);
    }
  }
  // An edit that turns a uid field into 0 without naming the account (`s/:1000:1000:/:0:0:/`).
  if (passwd && w.mode === 'edit') {
    for (const e of w.edits ?? []) {
      if (e.kind !== 's' || /^[^:#\s]+:/.test(e.text)) continue;
      if (/(^|:)0+:/.test(e.text) && !/(^|:)0+:|root/.test(e.pattern ?? '')) {
        out.push(
          `${w.path} is edited to give an account uid 0 (${e.pattern} → ${e.text}): a second root account`,
        );
      }
    }
  }
  return out;
}
