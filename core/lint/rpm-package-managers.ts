import { hasFlag } from '../dockerfile/command-args.js';
import type { Word } from '../dockerfile/model.js';
import { expandWord } from './build-variables.js';
import { removes, type ToolRun, toolRuns } from './package-managers.js';
import type { RuleContext } from './rule.js';
import { ephemeralMountTargets } from './run-mounts.js';
import { shippedStages } from './stage-lineage.js';

/** The rpm-based package managers the yum, dnf and zypper rules read. */
export type RpmTool = 'yum' | 'dnf' | 'microdnf' | 'zypper';

const TOOLS: ReadonlySet<string> = new Set(['yum', 'dnf', 'dnf5', 'dnf-3', 'microdnf', 'zypper']);

/** The command names of dnf (4 and 5) and microdnf. */
export const DNF_COMMANDS: readonly string[] = ['dnf', 'dnf5', 'dnf-3', 'microdnf'];

/** A yum, dnf, microdnf or zypper call split into its subcommand (aliases resolved) and operands. */
export interface RpmCall {
  readonly run: ToolRun;
  readonly tool: RpmTool;
  /** Canonical subcommand: `install`, `upgrade`, `remove`, `group install`, `module install`, `dist-upgrade`…; '' when none. */
  readonly verb: string;
  /** Operands after the subcommand (package specs), values with quotes removed and expansions kept. */
  readonly operands: readonly Word[];
}

// yum and dnf (argparse/optparse) accept options anywhere; these take the next argument as value.
const DNF_VALUE_FLAGS = [
  'c',
  'config',
  'installroot',
  'releasever',
  'enablerepo',
  'disablerepo',
  'repo',
  'repoid',
  'x',
  'exclude',
  'excludepkgs',
  'setopt',
  'd',
  'debuglevel',
  'e',
  'errorlevel',
  'R',
  'randomwait',
  'rpmverbosity',
  'forcearch',
  'downloaddir',
  'destdir',
  'comment',
  'color',
  'disableexcludes',
  'disableexcludepkgs',
  'enableplugin',
  'disableplugin',
  'advisory',
  'advisories',
  'bz',
  'bzs',
  'cve',
  'cves',
  'sec-severity',
  'secseverity',
  'repofrompath',
  'platform-id',
];

// zypper's global options come before the subcommand, the subcommand's own after it.
const ZYPPER_GLOBAL_VALUE_FLAGS = [
  'R',
  'root',
  'c',
  'config',
  'D',
  'reposd-dir',
  'C',
  'cache-dir',
  'raw-cache-dir',
  'solv-cache-dir',
  'pkg-cache-dir',
  'userdata',
  'p',
  'plus-repo',
  'plus-content',
  's',
  'table-style',
  'installroot',
];
const ZYPPER_VALUE_FLAGS = ['t', 'type', 'r', 'repo', 'from', 'download'];

const DNF_ALIASES: Readonly<Record<string, string>> = {
  in: 'install',
  localinstall: 'install',
  rei: 'reinstall',
  up: 'upgrade',
  update: 'upgrade',
  localupdate: 'upgrade',
  'up-min': 'upgrade-minimal',
  'update-minimal': 'upgrade-minimal',
  rm: 'remove',
  erase: 'remove',
  dg: 'downgrade',
  dsync: 'distro-sync',
  distrosync: 'distro-sync',
  'distribution-synchronization': 'distro-sync',
  mc: 'makecache',
  groupinstall: 'group install',
  groupupdate: 'group upgrade',
  groupupgrade: 'group upgrade',
  groupremove: 'group remove',
  grouperase: 'group remove',
};
const DNF_GROUP_ALIASES: Readonly<Record<string, string>> = {
  in: 'install',
  update: 'upgrade',
  up: 'upgrade',
  erase: 'remove',
  rm: 'remove',
};
const ZYPPER_ALIASES: Readonly<Record<string, string>> = {
  in: 'install',
  rm: 'remove',
  up: 'update',
  dup: 'dist-upgrade',
  si: 'source-install',
  ref: 'refresh',
  cc: 'clean',
  ve: 'verify',
  inr: 'install-new-recommends',
};

/** The rpm package manager call of a run; undefined for other tools. */
export function rpmCall(run: ToolRun): RpmCall | undefined {
  if (!TOOLS.has(run.tool)) return undefined;
  const tool: RpmTool =
    run.tool === 'microdnf' ? 'microdnf' : run.tool === 'yum' || run.tool === 'zypper' ? run.tool : 'dnf';
  // unwrap() keeps a suffix of the command's arguments, so the words line up from the end.
  const words = run.command.words.slice(run.command.args.length - run.args.length);
  const zypper = tool === 'zypper';
  // zypper's options change meaning after the subcommand, so only its subcommand is found here.
  const found = positionals(run.args, zypper ? ZYPPER_GLOBAL_VALUE_FLAGS : DNF_VALUE_FLAGS, zypper);
  const first = found[0];
  if (first === undefined) return { run, tool, verb: '', operands: [] };
  let verb = run.args[first] ?? '';
  let rest = found.slice(1);
  if (zypper) {
    verb = ZYPPER_ALIASES[verb] ?? verb;
    rest = positionals(run.args.slice(first + 1), ZYPPER_VALUE_FLAGS, false).map((i) => i + first + 1);
  } else if (['group', 'groups', 'grp', 'module'].includes(verb) && rest[0] !== undefined) {
    const sub = run.args[rest[0]] ?? '';
    verb = `${verb === 'module' ? 'module' : 'group'} ${DNF_GROUP_ALIASES[sub] ?? sub}`;
    rest = rest.slice(1);
  } else {
    verb = DNF_ALIASES[verb] ?? verb;
  }
  const operands = rest.map((i) => words[i]).filter((w): w is Word => w !== undefined);
  return { run, tool, verb, operands };
}

// Indexes of the arguments that are neither options nor option values; after `--` all are.
function positionals(args: readonly string[], valueFlags: readonly string[], stopAtFirst: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      for (let j = i + 1; j < args.length; j++) out.push(j);
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const long = a.startsWith('--');
      const name = long ? (a.slice(2).split('=')[0] ?? '') : a.slice(1);
      const inline = long ? a.includes('=') : a.length > 2;
      if (!inline && valueFlags.includes(name)) i++;
      continue;
    }
    out.push(i);
    if (stopAtFirst) break;
  }
  return out;
}

/** True when `yes | …` feeds the run's prompts, which answers them as `-y` would. */
export function fedByYes(run: ToolRun, all: readonly ToolRun[]): boolean {
  const p = run.command.pipeline;
  return (
    p !== undefined &&
    p.position > 0 &&
    all.some(
      (o) =>
        o.tool === 'yes' &&
        o.instruction === run.instruction &&
        o.command.pipeline?.id === p.id &&
        o.command.pipeline.position < p.position,
    )
  );
}

// yum and dnf subcommands that ask "Is this ok [y/N]" before changing anything.
const PROMPTS: ReadonlySet<string> = new Set([
  'install',
  'reinstall',
  'upgrade',
  'upgrade-minimal',
  'remove',
  'downgrade',
  'distro-sync',
  'autoremove',
  'swap',
  'group install',
  'group upgrade',
  'group remove',
  'module install',
  'module enable',
  'module disable',
  'module reset',
  'module remove',
  'module update',
  'module switch-to',
]);

/** The yum or dnf calls among `commands` that stop at a confirmation prompt: no `-y`, `assumeyes=1` or `yes |`. */
export function missingAssumeYes(ctx: RuleContext, commands: readonly string[]): RpmCall[] {
  const runs = toolRuns(ctx, (t) => commands.includes(t) || t === 'yes');
  return runs.flatMap((run) => {
    const call = rpmCall(run);
    if (!call || !PROMPTS.has(call.verb)) return [];
    const assumeYes =
      hasFlag(run, 'y', 'assumeyes') ||
      run.args.some((a) => /^(--setopt=)?assumeyes=(1|true|yes)$/i.test(a)) ||
      fedByYes(run, runs);
    return assumeYes ? [] : [call];
  });
}

/** Cache directories of yum, dnf (4 and 5) and microdnf, and of zypper. */
export const RPM_CACHE_DIRS: Readonly<Record<RpmTool, readonly string[]>> = {
  yum: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'],
  dnf: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'],
  microdnf: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'],
  zypper: ['/var/cache/zypp'],
};

// `/var/cache/yum/*`, `/var/cache/yum/` and `/var/cache` all cover /var/cache/yum.
const covers = (path: string, dir: string): boolean => {
  const p = path.replace(/\/(\*|\.)?$/, '').replace(/\/+$/, '') || '/';
  return p === dir || dir.startsWith(p === '/' ? '/' : `${p}/`);
};

/** True when the run deletes one of the cache directories (`rm -rf /var/cache/yum/*`). */
export function removesCache(run: ToolRun, dirs: readonly string[]): boolean {
  return removes(run, (path) => dirs.some((dir) => covers(path, dir)));
}

/** True when the RUN keeps one of the cache directories out of the layer with a cache or tmpfs mount. */
export function mountsCache(run: ToolRun, dirs: readonly string[]): boolean {
  return ephemeralMountTargets(run.instruction).some((t) => dirs.some((dir) => covers(t, dir)));
}

/** yum and dnf subcommands that download metadata and packages into the cache. */
export const FILLS_DNF_CACHE: ReadonlySet<string> = new Set([
  'install',
  'reinstall',
  'upgrade',
  'upgrade-minimal',
  'downgrade',
  'distro-sync',
  'swap',
  'group install',
  'group upgrade',
  'module install',
  'module update',
]);

/** True for `yum clean all` and `dnf clean all`. */
export function cleansAll(call: RpmCall): boolean {
  return call.verb === 'clean' && call.operands.some((w) => w.value === 'all');
}

/** Which calls fill a package manager's cache and which empty it, for `uncleanedCaches`. */
export interface CacheUse {
  /** Commands whose calls fill the cache; these are the ones reported. */
  readonly fillers: readonly string[];
  /** Other commands whose calls may empty the cache; `rm` is always read. */
  readonly cleaners: readonly string[];
  /** Subcommands that fill the cache. */
  readonly fills: ReadonlySet<string>;
  /** The cache directories: removing one, or mounting a cache or tmpfs on it, keeps it out of the layer. */
  readonly dirs: readonly string[];
  /** True when `call`, later in the same RUN, empties the cache that `filler` filled. */
  readonly empties: (call: RpmCall, filler: RpmCall) => boolean;
}

/** Per RUN of the final image (or ONBUILD), the last call that fills the cache and leaves it in the layer. */
export function uncleanedCaches(ctx: RuleContext, use: CacheUse): RpmCall[] {
  const shipped = shippedStages(ctx.stages);
  const runs = toolRuns(ctx, (t) => t === 'rm' || use.fillers.includes(t) || use.cleaners.includes(t));
  const cleans = (run: ToolRun, filler: RpmCall): boolean => {
    const call = rpmCall(run);
    return call ? use.empties(call, filler) : removesCache(run, use.dirs);
  };
  const unclean = new Map<number, RpmCall>();
  for (const run of runs) {
    const call = rpmCall(run);
    if (!call || !use.fillers.includes(run.tool) || !use.fills.has(call.verb)) continue;
    const inst = run.instruction;
    // Only layers of the final image matter; an ONBUILD trigger runs in the image built from this one.
    if (!inst.onbuild && inst.stage >= 0 && !shipped.has(inst.stage)) continue;
    if (mountsCache(run, use.dirs)) continue;
    if (runs.some((o) => o.instruction === inst && o.order > run.order && cleans(o, call))) continue;
    unclean.set(inst.index, call);
  }
  return [...unclean.values()];
}

/**
 * True when a yum or dnf package spec names a version (`name-1.2`, `name-1:1.2-3.el9`, `name >= 1.2`)
 * or a file or URL (`./x.rpm`, `https://…/x.rpm`), which carries its version.
 */
export function rpmSpecPinned(spec: string): boolean {
  return /[<>=]/.test(spec) || spec.includes('/') || spec.endsWith('.rpm') || /.-\d/.test(spec);
}

/** A yum or dnf install with the operands that name no version (`<package>-<version>`, `<module>:<stream>`). */
export interface UnpinnedInstall {
  readonly call: RpmCall;
  readonly unpinned: readonly Word[];
}

/** The `install` and `module install` calls among `commands` (yum or dnf) that leave a version open. */
export function unpinnedInstalls(ctx: RuleContext, commands: readonly string[]): UnpinnedInstall[] {
  return toolRuns(ctx, (t) => commands.includes(t)).flatMap((run) => {
    const call = rpmCall(run);
    if (call?.verb !== 'install' && call?.verb !== 'module install') return [];
    const unpinned = call.operands.filter((word) => {
      const spec = expandWord(ctx.model, run.instruction, word);
      // Groups (`@web-server`) and capabilities (`perl(JSON)`, `dnf-command(config-manager)`) carry no version.
      if (spec === undefined || spec === '' || spec.startsWith('@') || spec.includes('(')) return false;
      // A module is pinned by its stream (`nodejs:18`), a package by its version.
      return call.verb === 'module install' ? !spec.includes(':') : !rpmSpecPinned(spec);
    });
    return unpinned.length === 0 ? [] : [{ call, unpinned }];
  });
}
