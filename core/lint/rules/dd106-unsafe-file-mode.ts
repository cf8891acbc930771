import { hasFlag, operands, transferArgs } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { expandText } from '../build-variables.js';
import { commandInput, fileWrites, toolOf } from '../file-writes.js';
import { defineRule, type RuleContext, type RuleFinding, type RunCommand } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import { shippedStages, stageLineage } from '../stage-lineage.js';

/** What a mode sets: the bits that matter for who can change or run a file as someone else. */
interface ModeEffect {
  readonly worldWritable: boolean;
  readonly setuid: boolean;
  readonly setgid: boolean;
  readonly sticky: boolean;
}

const NONE: ModeEffect = { worldWritable: false, setuid: false, setgid: false, sticky: false };

/** Reads an octal (`777`, `4755`, `01777`) or symbolic (`a+w`, `u+s,o=rwx`) mode; undefined when unreadable. */
function modeEffect(mode: string): ModeEffect | undefined {
  if (/^[0-7]{1,5}$/.test(mode)) {
    const digits = mode.padStart(4, '0').slice(-4);
    const special = Number(digits[0]);
    const other = Number(digits[3]);
    return {
      worldWritable: (other & 2) !== 0,
      setuid: (special & 4) !== 0,
      setgid: (special & 2) !== 0,
      sticky: (special & 1) !== 0,
    };
  }
  const effect = { ...NONE };
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] ?? '';
    // Without a who, the umask (022 in a build) keeps w away from group and others, but not s or t.
    const others = /[oa]/.test(who);
    const user = who === '' || /[ua]/.test(who);
    const group = who === '' || /[ga]/.test(who);
    for (const op of (m[2] ?? '').match(/[-+=][rwxXstugo]*/g) ?? []) {
      const sign = op[0];
      const perms = op.slice(1);
      const adds = sign !== '-';
      // `o=u` copies the owner's bits, which include w for nearly every file.
      const writes = /w|u|g/.test(perms);
      if (others && (perms.includes('w') || sign === '=' || /[ug]/.test(perms))) {
        effect.worldWritable = adds && writes;
      }
      if (perms.includes('s') || sign === '=') {
        if (user) effect.setuid = adds && perms.includes('s');
        if (group) effect.setgid = adds && perms.includes('s');
      }
      if (perms.includes('t') || (sign === '=' && others)) effect.sticky = adds && perms.includes('t');
    }
  }
  return effect;
}

/** A mode being applied: by chmod, install -m, mkdir -m, find -exec chmod or COPY/ADD --chmod. */
interface ModeChange {
  readonly tool: string;
  readonly mode: string;
  readonly paths: readonly string[];
  /** True when every target is known to be a directory (setgid on a directory only sets group inheritance). */
  readonly directories: boolean;
  readonly recursive: boolean;
}

function referenceOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--reference') return args[i + 1] ?? '';
    if (a.startsWith('--reference=')) return a.slice(12);
  }
  return undefined;
}

function chmodChange(args: readonly string[], tool = 'chmod'): ModeChange | undefined {
  if (args.some((a) => a.startsWith('--reference'))) return undefined;
  // `-w`, `-s` and `-rwx` are modes (remove bits), not options, when they come where the mode goes.
  const words = args.filter((a) => !a.startsWith('-') || /^-[rwxXst]+$/.test(a));
  const [mode, ...paths] = words;
  if (!mode) return undefined;
  return { tool, mode, paths, directories: false, recursive: hasFlag({ args }, 'R', 'recursive') };
}

// Programs distributions install setuid root: `chmod --reference=/usr/bin/passwd f` copies that bit.
const STOCK_SETUID = new Set([
  'su',
  'sudo',
  'passwd',
  'mount',
  'umount',
  'newgrp',
  'chsh',
  'chfn',
  'gpasswd',
  'pkexec',
  'fusermount',
  'fusermount3',
  'ssh-keysign',
]);

// install/mkdir options that take a value: mode, owner, group, target directory, backup suffix.
const INSTALL_VALUE_LETTERS = new Set(['m', 'o', 'g', 't', 'S']);
const INSTALL_VALUE_LONG = new Set(['mode', 'owner', 'group', 'target-directory', 'suffix']);

// install/mkdir arguments as getopt reads them: `-m` may end a letter cluster with its value joined or next
// (`-pm777`, `-Dm 4755`), and `-d` may sit in a cluster (`-dm777`). The last mode wins.
function installArgs(args: readonly string[]): { mode?: string; operands: string[]; directory: boolean } {
  let mode: string | undefined;
  let directory = false;
  const ops: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      ops.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name = '', value] = a.slice(2).split(/=(.*)/s);
      if (name === 'directory') directory = true;
      if (!INSTALL_VALUE_LONG.has(name)) continue;
      const v = value ?? args[++i];
      if (name === 'mode') mode = v;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const letter = a[j] ?? '';
        if (letter === 'd') directory = true;
        if (!INSTALL_VALUE_LETTERS.has(letter)) continue;
        const v = j < a.length - 1 ? a.slice(j + 1) : args[++i];
        if (letter === 'm') mode = v;
        break;
      }
    } else ops.push(a);
  }
  return { ...(mode === undefined ? {} : { mode }), operands: ops, directory };
}

function modeChange(cmd: Command): ModeChange | undefined {
  const { name, args } = toolOf(cmd);
  if (name === 'chmod') {
    const reference = referenceOf(args);
    if (reference !== undefined) {
      const setuid = STOCK_SETUID.has(reference.split('/').at(-1) ?? '');
      const paths = args.filter((a) => !a.startsWith('-') && a !== reference);
      return setuid
        ? {
            tool: `chmod --reference=${reference}`,
            mode: '4755',
            paths,
            directories: false,
            recursive: false,
          }
        : undefined;
    }
    return chmodChange(args);
  }
  if (name === 'install' || name === 'mkdir') {
    const { mode, operands: ops, directory } = installArgs(args);
    if (!mode) return undefined;
    const dirs = name === 'mkdir' || directory;
    return {
      tool: `${name} -m`,
      mode,
      paths: dirs ? ops : ops.slice(-1),
      directories: dirs,
      recursive: false,
    };
  }
  if (name === 'find') {
    const exec = args.findIndex((a) => /^-(exec|execdir|ok|okdir)$/.test(a));
    if (exec < 0 || args[exec + 1] !== 'chmod') return undefined;
    const end = args.findIndex((a, i) => i > exec && (a === ';' || a === '+'));
    const change = chmodChange(args.slice(exec + 2, end < 0 ? undefined : end), 'find -exec chmod');
    if (!change) return undefined;
    // find's start points come before its first test or action.
    const firstTest = args.findIndex((a) => /^[-(!]/.test(a));
    const roots = firstTest < 0 ? args : args.slice(0, firstTest);
    const typeD = args.some((a, i) => a === '-type' && args[i + 1] === 'd');
    return { ...change, paths: roots, directories: typeD, recursive: true };
  }
  return undefined;
}

function commandText(change: ModeChange): string {
  const recursive = change.recursive && change.tool === 'chmod' ? ' -R' : '';
  const target = change.paths.length > 0 ? change.paths.join(' ') : '(paths from stdin)';
  return `${change.tool}${recursive} ${change.mode} ${target}`;
}

const under = (path: string, root: string): boolean => {
  const p = path.replace(/\/+$/, '');
  const r = root.replace(/\/+$/, '');
  return r !== '' && (p === r || p.startsWith(`${r}/`));
};

// The resolved commands of each RUN, grouped once per file.
const grouped = new WeakMap<object, Map<Instruction, RunCommand[]>>();
function commandsOf(ctx: RuleContext, inst: Instruction): readonly RunCommand[] {
  const all = ctx.resolved();
  let map = grouped.get(all);
  if (!map) {
    map = new Map();
    for (const r of all) {
      const list = map.get(r.instruction) ?? [];
      list.push(r);
      map.set(r.instruction, list);
    }
    grouped.set(all, map);
  }
  return map.get(inst) ?? [];
}

/** True when every path is removed later in the same RUN, or lives in a cache/tmpfs mount: no layer keeps the mode. */
function transient(ctx: RuleContext, inst: Instruction, cmd: Command, paths: readonly string[]): boolean {
  if (paths.length === 0 || paths.some((p) => p.includes('$') || !p.startsWith('/'))) return false;
  const mounts = ephemeralMountTargets(inst);
  const runs = commandsOf(ctx, inst);
  const after = runs.slice(runs.findIndex((r) => r.command === cmd) + 1).map((r) => toolOf(r.command));
  const removed = after.filter((c) => c.name === 'rm').flatMap((c) => operands(c));
  return paths.every((p) => mounts.some((m) => under(p, m)) || removed.some((r) => under(p, r)));
}

// A path made absolute against `cwd` and normalized (`/srv/./a/` → `/srv/a`); undefined when it
// depends on the environment (`$HOME`, `~`) or on an unknown working directory.
function resolvePath(path: string, cwd: string | undefined): string | undefined {
  if (path.includes('$') || path.startsWith('~')) return undefined;
  const full = path.startsWith('/') ? path : cwd === undefined ? undefined : `${cwd}/${path}`;
  if (full === undefined) return undefined;
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// The path and every directory above it: all of them are directories once the path is.
function withAncestors(path: string): string[] {
  const out = [path];
  for (let p = path; p.lastIndexOf('/') > 0; ) {
    p = p.slice(0, p.lastIndexOf('/'));
    out.push(p);
  }
  return out;
}

/**
 * Working directory at each instruction of the stages an instruction's stage is built from, and the
 * directories made before it there: WORKDIRs, `mkdir` in earlier RUNs and `mkdir` earlier in its own
 * RUN, with their parents. The same RUN's working directory may differ after a `cd`, so relative
 * paths there are compared as written.
 */
function knownDirectories(
  ctx: RuleContext,
  inst: Instruction,
  cmd: Command,
): { dirs: Set<string>; cwd?: string } {
  const lineage = new Set(stageLineage(ctx.stages, inst.stage));
  const dirs = new Set<string>();
  const add = (path: string | undefined) => {
    if (path !== undefined) for (const p of withAncestors(path)) dirs.add(p);
  };
  const mkdirs = (c: Command) => {
    const u = toolOf(c);
    return u.name === 'mkdir' ? operands(u, ['m', 'mode', 'Z', 'context']) : [];
  };
  let cwd: string | undefined = '/';
  for (const i of ctx.instructions) {
    if (i.index >= inst.index) break;
    if (!lineage.has(i.stage) || (i.onbuild && !inst.onbuild)) continue;
    if (i.keyword === 'WORKDIR') {
      cwd = resolvePath(i.args[0] ?? '', cwd);
      add(cwd);
    } else if (i.keyword === 'RUN') {
      const here = cwd;
      for (const r of commandsOf(ctx, i)) {
        for (const m of mkdirs(r.command)) add(resolvePath(m, here));
      }
    }
  }
  const runs = commandsOf(ctx, inst);
  const at = runs.findIndex((r) => r.command === cmd);
  for (const r of runs.slice(0, at)) {
    for (const m of mkdirs(r.command)) {
      dirs.add(m.replace(/\/+$/, ''));
      add(resolvePath(m, cwd));
    }
  }
  return { dirs, ...(cwd !== undefined ? { cwd } : {}) };
}

/** True when every path is spelled as a directory, is a WORKDIR, or was made by mkdir before this command. */
function directories(ctx: RuleContext, inst: Instruction, cmd: Command, paths: readonly string[]): boolean {
  if (paths.length === 0) return false;
  const { dirs, cwd } = knownDirectories(ctx, inst, cmd);
  return paths.every((p) => {
    const resolved = resolvePath(p, cwd);
    return (
      p.endsWith('/') || dirs.has(p.replace(/\/+$/, '')) || (resolved !== undefined && dirs.has(resolved))
    );
  });
}

function describe(what: string, change: ModeChange, effect: ModeEffect): string | undefined {
  const reasons: string[] = [];
  // A sticky world-writable directory is the /tmp idiom: anyone may create files, only owners may remove them.
  if (effect.worldWritable && !effect.sticky) {
    reasons.push(
      'makes it writable by every user in the container, so any process, whatever its uid, can replace code or config that others run; give write access to the owning user or group instead (chown, then 755/775), or use 1777 for a shared scratch directory',
    );
  }
  if (effect.setuid) {
    reasons.push(
      'sets setuid, so the file runs as its owner (usually root) for whoever starts it, a classic privilege-escalation path; drop the bit',
    );
  }
  if (effect.setgid && !effect.setuid && !change.directories && !change.recursive) {
    reasons.push('sets setgid, so the file runs with its group for whoever starts it; drop the bit');
  }
  return reasons.length > 0 ? `Unsafe file mode: ${what} ${reasons.join('; it also ')}` : undefined;
}

export const unsafeFileMode = defineRule({
  id: 'DD106',
  level: 'warning',
  title: 'World-writable or setuid/setgid file mode',
  rationale:
    "A world-writable file or directory in the image lets any process in the container, whatever user it runs as, change what others execute or read; a setuid or setgid file hands its owner's rights to whoever runs it. Both undo the point of running as a non-root user. Modes are read through ENV/ARG values and busybox, in chmod/install/mkdir/find -exec/COPY --chmod, interpreter code (os.chmod, perl chmod, fs.chmodSync), setcap of root-equivalent capabilities (cap_setuid, cap_sys_admin, cap_dac_override…), umask 000 and other-writable ACLs. Sticky temp directories (1777), setgid on directories, who-less modes the build's umask 022 masks (`chmod =rwxrwxrwx` is 755), and modes on paths the same RUN deletes or a cache mount holds are not reported; only stages that end up in the final image are checked.",
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const findings: RuleFinding[] = [];
    for (const { command, instruction } of ctx.resolved()) {
      if (!shipped.has(instruction.stage) && !instruction.onbuild) continue;
      const found = modeChange(command);
      const change =
        found && !found.directories && directories(ctx, instruction, command, found.paths)
          ? { ...found, directories: true }
          : found;
      const effect = change && modeEffect(change.mode);
      const message = change && effect && describe(commandText(change), change, effect);
      if (!message || transient(ctx, instruction, command, change.paths)) continue;
      findings.push(ctx.finding(command, message));
    }
    for (const inst of ctx.of('COPY', 'ADD')) {
      if (!shipped.has(inst.stage) && !inst.onbuild) continue;
      const written = inst.flags.find((f) => f.name.toLowerCase() === 'chmod')?.value;
      // `--chmod=$MODE` takes the stage's ENV/ARG values, as BuildKit expands it.
      const mode =
        written === undefined || written === null ? undefined : expandText(ctx.model, inst, written);
      const effect = mode ? modeEffect(mode) : undefined;
      const dest = transferArgs(inst)?.dest ?? '';
      const change = {
        tool: inst.keyword,
        mode: mode ?? '',
        paths: [dest],
        directories: false,
        recursive: false,
      };
      const message = effect && describe(`${inst.keyword} --chmod=${mode} … ${dest}`, change, effect);
      if (message) findings.push(ctx.finding(inst, message));
    }
    findings.push(...otherGrants(ctx, shipped));
    return findings.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});

// Capabilities that make whoever runs the file root, or able to become it (read or write any file, become any
// user, load kernel code, trace root's processes). cap_net_bind_service, cap_net_raw, cap_ipc_lock… are not.
const ROOT_CAPS = new Set([
  'cap_setuid',
  'cap_setgid',
  'cap_sys_admin',
  'cap_dac_override',
  'cap_dac_read_search',
  'cap_chown',
  'cap_fowner',
  'cap_sys_ptrace',
  'cap_sys_module',
  'cap_sys_rawio',
  'cap_setfcap',
  'cap_bpf',
  'cap_mknod',
]);

// The root-equivalent capabilities `setcap CAPS FILE…` puts in a file's permitted set.
function setcapGrants(args: readonly string[]): { caps: string[]; files: string[] } {
  const words = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-n');
  if (args.includes('-r')) return { caps: [], files: [] };
  const caps = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) {
    const granted: string[] = [];
    for (const clause of (words[i] ?? '').split(/\s+/).filter(Boolean)) {
      const m = /^([a-z_,]*)((?:[-+=][eip]*)+)$/i.exec(clause);
      if (!m) continue;
      const names = (m[1] ?? '').toLowerCase().split(',').filter(Boolean);
      const gives = (m[2] ?? '').match(/[-+=][eip]*/g)?.some((op) => op[0] !== '-' && /p/i.test(op));
      if (!gives) continue;
      const all = names.length === 0 || names.includes('all');
      granted.push(...(all ? ['all capabilities'] : names.filter((n) => ROOT_CAPS.has(n))));
    }
    if (granted.length > 0) {
      for (const c of granted) caps.add(c);
      files.push(words[i + 1] ?? '');
    }
  }
  return { caps: [...caps], files };
}

// `os.chmod(p, 0o4755)`, `Path(p).chmod(0o777)`, perl `chmod 04755, $f`, node `fs.chmodSync(p, '777')`, ruby
// `File.chmod(0777, f)`: the modes interpreter code gives files.
function codeModes(code: string): string[] {
  if (!code.includes('chmod')) return [];
  const out: string[] = [];
  for (const m of code.matchAll(/\bchmod(?:Sync)?\s*\(?([^;\n)]*)/g)) {
    let bits = 0;
    let found = false;
    const args = m[1] ?? '';
    for (const t of args.matchAll(
      /(["'])([0-7]{3,5}|[ugoa]*[-+=][rwxXst]+)\1|\b0[oO]?([0-7]+)\b|\b([1-9]\d*)\b|\bS_(ISUID|ISGID|ISVTX|IWOTH|IRWXO)\b/g,
    )) {
      if (t[2] !== undefined) {
        if (!/^[0-7]+$/.test(t[2])) {
          out.push(t[2]);
          continue;
        }
        bits |= Number.parseInt(t[2], 8);
      } else if (t[3] !== undefined) bits |= Number.parseInt(t[3], 8);
      else if (t[4] !== undefined) bits |= Number(t[4]);
      else bits |= { ISUID: 0o4000, ISGID: 0o2000, ISVTX: 0o1000, IWOTH: 0o2, IRWXO: 0o7 }[t[5] ?? ''] ?? 0;
      found = true;
    }
    // Python's stat bits may carry the file type (0o100777): only the permission bits matter.
    if (found) out.push((bits & 0o7777).toString(8));
  }
  return out;
}

const INTERPRETER = /^(python[0-9.]*|pypy3?|perl|node|nodejs|ruby|php)$/;

// The code an interpreter command runs when the Dockerfile shows it: -c/-e/-r text, its stdin, or a script written earlier.
function interpreterCode(ctx: RuleContext, command: Command, instruction: Instruction): string | undefined {
  const { name, args } = toolOf(command);
  if (!INTERPRETER.test(name)) return undefined;
  const flag = args.findIndex((a) => /^(-c|-e|-E|-r|--eval|--print|-p)$/.test(a));
  if (flag >= 0) return args[flag + 1];
  const script = args.find((a) => !a.startsWith('-'));
  if (script === undefined || script === '-') return commandInput(ctx, { command, instruction });
  const written = fileWrites(ctx, { copies: true }).filter(
    (w) => w.path === script && w.instruction.index <= instruction.index,
  );
  return written.length > 0 ? written.map((w) => w.content).join('\n') : undefined;
}

// An octal umask that lets files be created writable by others: `umask 000`, `umask 0`, `umask o=rwx`.
function permissiveUmask(args: readonly string[]): boolean {
  const [value] = args.filter((a) => a !== '-S' && a !== '-p');
  if (value === undefined) return false;
  if (/^[0-7]{1,4}$/.test(value)) return (Number.parseInt(value, 8) & 0o2) === 0;
  return value.split(',').some((c) => /^[ugoa]*[oa][ugoa]*[=+][rwx]*w/.test(c) || /^[=+][rwx]*w/.test(c));
}

// ACL entries for everyone else (`o::rwx`, `other:w`) that include write.
function aclWorldWritable(args: readonly string[]): boolean {
  const specs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-m' || a === '--modify' || a === '--set' || /^-[a-zA-Z]*m$/.test(a))
      specs.push(args[++i] ?? '');
    else if (a.startsWith('--modify=') || a.startsWith('--set=')) specs.push(a.slice(a.indexOf('=') + 1));
  }
  return specs.some((s) => s.split(',').some((e) => /^(d(efault)?:)?o(ther)?::?[rwxX-]*w/.test(e.trim())));
}

// setcap, chmod in interpreter code, umask 000 and other-writable ACLs: the other ways a file gets unsafe rights.
function otherGrants(ctx: RuleContext, shipped: ReadonlySet<number>): RuleFinding[] {
  const out: RuleFinding[] = [];
  const report = (loc: Loc | Command | Instruction, message: string) => out.push(ctx.finding(loc, message));
  const runs = ctx.resolved();
  runs.forEach(({ command, instruction }, index) => {
    if (!shipped.has(instruction.stage) && !instruction.onbuild) return;
    const { name, args } = toolOf(command);
    if (name === 'setcap') {
      const { caps, files } = setcapGrants(args);
      if (caps.length > 0) {
        report(
          command,
          `Unsafe file capabilities: setcap gives ${files.join(' ')} ${caps.join(', ')}, so whoever runs it can become root or read and change any file; grant only what it needs (cap_net_bind_service) or do the work at build time`,
        );
      }
    } else if (name === 'umask' && permissiveUmask(args)) {
      const later = runs.slice(index + 1).some((r) => r.instruction === instruction);
      if (later) {
        report(
          command,
          `Unsafe file mode: umask ${args.join(' ')} makes every file and directory created after it in this RUN writable by every user; keep the default 022 (or 002 for group-shared files)`,
        );
      }
    } else if (name === 'setfacl' && aclWorldWritable(args)) {
      report(
        command,
        `Unsafe file mode: setfacl ${args.join(' ')} gives every user write access through an ACL entry for others; grant the owning user or group instead`,
      );
    } else {
      const code = interpreterCode(ctx, command, instruction);
      for (const mode of code ? codeModes(code) : []) {
        const effect = modeEffect(mode);
        const change = { tool: `${name} chmod`, mode, paths: [], directories: false, recursive: false };
        const message = effect && describe(`${name} code setting mode ${mode}`, change, effect);
        if (message) report(command, message);
      }
    }
  });
  // RUN heredocs run by their shebang's interpreter: `RUN <<EOF` + `#!/usr/bin/env python3`.
  for (const inst of ctx.of('RUN')) {
    if (!shipped.has(inst.stage) && !inst.onbuild) continue;
    for (const h of inst.heredocs) {
      const shebang = /^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?/.exec(h.body);
      const first = shebang?.[1]?.split('/').at(-1);
      const interpreter = first === 'env' ? shebang?.[2] : first;
      if (!interpreter || !INTERPRETER.test(interpreter)) continue;
      for (const mode of codeModes(h.body)) {
        const effect = modeEffect(mode);
        const change = { tool: 'chmod', mode, paths: [], directories: false, recursive: false };
        const message = effect && describe(`${interpreter} code setting mode ${mode}`, change, effect);
        if (message) report(h.loc, message);
      }
    }
  }
  return out;
}
