import { flagValue, hasFlag, operands, transferArgs, unwrap } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';
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

function chmodChange(args: readonly string[], tool = 'chmod'): ModeChange | undefined {
  if (args.some((a) => a.startsWith('--reference'))) return undefined;
  const words = args.filter((a) => !a.startsWith('-'));
  const [mode, ...paths] = words;
  if (!mode) return undefined;
  return { tool, mode, paths, directories: false, recursive: hasFlag({ args }, 'R', 'recursive') };
}

function modeChange(cmd: Command): ModeChange | undefined {
  const { name, args } = unwrap(cmd);
  if (name === 'chmod') return chmodChange(args);
  if (name === 'install' || name === 'mkdir') {
    const mode = flagValue({ args }, 'm', 'mode');
    if (!mode) return undefined;
    const ops = operands({ args }, [
      'm',
      'mode',
      'o',
      'owner',
      'g',
      'group',
      't',
      'target-directory',
      'S',
      'suffix',
    ]);
    const dirs = name === 'mkdir' || hasFlag({ args }, 'd', 'directory');
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

/** True when every path is removed later in the same RUN, or lives in a cache/tmpfs mount: no layer keeps the mode. */
function transient(ctx: RuleContext, inst: Instruction, cmd: Command, paths: readonly string[]): boolean {
  if (paths.length === 0 || paths.some((p) => p.includes('$') || !p.startsWith('/'))) return false;
  const mounts = ephemeralMountTargets(inst);
  const runs = ctx.commands().filter((r) => r.instruction === inst);
  const after = runs.slice(runs.findIndex((r) => r.command === cmd) + 1).map((r) => unwrap(r.command));
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
    const u = unwrap(c);
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
      for (const r of ctx.commands()) {
        if (r.instruction === i) for (const m of mkdirs(r.command)) add(resolvePath(m, here));
      }
    }
  }
  const runs = ctx.commands().filter((r) => r.instruction === inst);
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
    "A world-writable file or directory in the image lets any process in the container, whatever user it runs as, change what others execute or read; a setuid or setgid file hands its owner's rights to whoever runs it. Both undo the point of running as a non-root user. Sticky temp directories (1777), setgid on directories, and modes on paths the same RUN deletes or that live in a cache mount are not reported; only stages that end up in the final image are checked.",
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const findings: RuleFinding[] = [];
    for (const { command, instruction } of ctx.commands()) {
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
      const mode = inst.flags.find((f) => f.name.toLowerCase() === 'chmod')?.value;
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
    return findings;
  },
});
