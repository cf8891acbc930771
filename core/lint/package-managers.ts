import { operands, unwrap } from '../dockerfile/command-args.js';
import type { Command, Instruction } from '../dockerfile/model.js';
import type { RuleContext } from './rule.js';

/** One run of a tool in a RUN instruction, with wrappers (sudo, env, xargs, …) removed. */
export interface ToolRun {
  readonly command: Command;
  readonly instruction: Instruction;
  /** The tool's name without its path (`pip3`, `apt-get`). */
  readonly tool: string;
  /** The tool's arguments after the wrappers. */
  readonly args: readonly string[];
  /** Position among the instruction's commands, so rules can tell what runs after what. */
  readonly order: number;
}

/** Every run of the tools `accept` names, in Dockerfile order; RUNs under a non-POSIX SHELL are skipped. */
export function toolRuns(ctx: RuleContext, accept: (tool: string) => boolean): ToolRun[] {
  const runs: ToolRun[] = [];
  let current: Instruction | undefined;
  let order = 0;
  for (const { command, instruction } of ctx.commands()) {
    if (instruction !== current) {
      current = instruction;
      order = 0;
    }
    const position = order++;
    if (ctx.nonPosixShell(instruction)) continue;
    const { name, args } = unwrap(command);
    if (accept(name)) runs.push({ command, instruction, tool: name, args, order: position });
  }
  return runs;
}

/** A subcommand-style call split at its subcommand: `apt-get -q install -y curl` → `install` and `-y curl`. */
export interface SubcommandCall {
  readonly name: string;
  /** Arguments before the subcommand (global options). */
  readonly before: readonly string[];
  /** Arguments after the subcommand. */
  readonly rest: readonly string[];
}

/** Finds the subcommand: the first argument that is neither an option nor the value of one in `valueFlags`. */
export function subcommand(
  args: readonly string[],
  valueFlags: readonly string[],
): SubcommandCall | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') return undefined;
    if (!a.startsWith('-') || a === '-')
      return { name: a, before: args.slice(0, i), rest: args.slice(i + 1) };
    const long = a.startsWith('--');
    const name = long ? (a.slice(2).split('=')[0] ?? '') : a.slice(1);
    const inline = long ? a.includes('=') : a.length > 2;
    if (!inline && valueFlags.includes(name)) i++;
  }
  return undefined;
}

/** Operands of a subcommand (package names, paths), skipping options and the values of `valueFlags`. */
export function subcommandOperands(call: SubcommandCall, valueFlags: readonly string[]): string[] {
  return operands({ args: call.rest }, valueFlags);
}

/** True when a word holds a shell expansion, so its value is only known at build time. */
export function isDynamic(value: string): boolean {
  return /[$`]/.test(value);
}

/** The package managers whose install sub-commands {@link INSTALL_SUBCOMMANDS} lists. */
export type InstallingTool = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'gem' | 'go' | 'apt' | 'apk' | 'rpm';

/**
 * The sub-commands that install named packages, per package manager: the one list every rule that reads
 * installs uses. npm's are its own alias table (lib/utils/cmd-list.js: `i`, `add`, the abbreviations `in` …
 * `instal` and the typos `isnt` … `isntall`; `install-test`/`it` install too). `npm ci` and its aliases install
 * from the lockfile and name no package, so they are not here. `rpm` holds the canonical verbs `rpmCall`
 * resolves yum, dnf, microdnf and zypper aliases to (`in`, `localinstall` → `install`).
 */
export const INSTALL_SUBCOMMANDS: Readonly<Record<InstallingTool, ReadonlySet<string>>> = {
  npm: new Set([
    'install',
    'i',
    'add',
    'in',
    'ins',
    'inst',
    'insta',
    'instal',
    'isnt',
    'isnta',
    'isntal',
    'isntall',
    'install-test',
    'it',
  ]),
  yarn: new Set(['add']),
  pnpm: new Set(['add', 'install', 'i']),
  pip: new Set(['install']),
  gem: new Set(['install', 'i']),
  go: new Set(['install', 'get']),
  apt: new Set(['install', 'reinstall']),
  apk: new Set(['add']),
  rpm: new Set(['install', 'reinstall', 'group install', 'module install', 'source-install']),
};

/** True when `sub` is one of the sub-commands with which `tool` installs named packages. */
export function isInstallSubcommand(tool: InstallingTool, sub: string | undefined): boolean {
  return sub !== undefined && INSTALL_SUBCOMMANDS[tool].has(sub);
}

/** Options of npm (and of yarn and pnpm where they share them) that take the next argument as their value. */
export const NPM_VALUE_FLAGS = [
  'registry',
  'loglevel',
  'prefix',
  'C',
  'cache',
  'userconfig',
  'globalconfig',
  'tag',
  'workspace',
  'w',
  'omit',
  'include',
  'install-strategy',
  'before',
  'otp',
  'scope',
  'auth-type',
  'proxy',
  'https-proxy',
  'noproxy',
  'ca',
  'cafile',
  'cert',
  'key',
  'fetch-retries',
  'fetch-timeout',
  'fetch-retry-mintimeout',
  'fetch-retry-maxtimeout',
  'maxsockets',
  'script-shell',
  'node-options',
  'location',
  'only',
  'also',
  'depth',
  'lockfile-version',
  'cpu',
  'os',
  'libc',
  'save-prefix',
  'user-agent',
  'filter',
  'cwd',
  'dir',
];

/** Options of apt-get, apt and aptitude that take the next argument as their value. */
export const APT_VALUE_FLAGS = [
  'o',
  'option',
  'c',
  'config-file',
  't',
  'target-release',
  'default-release',
  'a',
  'host-architecture',
  'P',
  'build-profiles',
];

/** The `apt-get <sub> …` call of a run, or undefined when the run is not apt-get with that subcommand. */
export function aptGetCall(run: ToolRun, ...subs: string[]): SubcommandCall | undefined {
  if (run.tool !== 'apt-get') return undefined;
  const call = subcommand(run.args, APT_VALUE_FLAGS);
  return call && subs.includes(call.name) ? call : undefined;
}

/** The values given to an apt `-o`/`--option` (`APT::Install-Recommends=false`). */
export function aptOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-o' || a === '--option') out.push(args[++i] ?? '');
    else if (a.startsWith('--option=')) out.push(a.slice('--option='.length));
    else if (a.startsWith('-o') && !a.startsWith('--')) out.push(a.slice(a[2] === '=' ? 3 : 2));
  }
  return out;
}

const PIP = /^pip(\d+(\.\d+)*)?$/;
const PYTHON = /^python(\d+(\.\d+)*)?$/;

/** The arguments pip receives from `pip …`, `pip3.12 …` or `python3 -m pip …`; undefined for other commands. */
export function pipArgs(run: Pick<ToolRun, 'tool' | 'args'>): readonly string[] | undefined {
  if (PIP.test(run.tool)) return run.args;
  if (!PYTHON.test(run.tool)) return undefined;
  for (let i = 0; i < run.args.length; i++) {
    const a = run.args[i] ?? '';
    if (a === '-m') return run.args[i + 1] === 'pip' ? run.args.slice(i + 2) : undefined;
    if (a === '-mpip') return run.args.slice(i + 1);
    // Interpreter options come first; anything else is a script whose arguments are not pip's.
    if (!a.startsWith('-') || a === '-c') return undefined;
  }
  return undefined;
}

/** True for commands that may be pip (`pip`, `pip3.12`, `python3`), to pre-filter runs for {@link pipArgs}. */
export function mayBePip(tool: string): boolean {
  return PIP.test(tool) || PYTHON.test(tool);
}

/** Options of pip (general and `install`) that take the next argument as their value. */
export const PIP_VALUE_FLAGS = [
  // general options
  'python',
  'log',
  'log-file',
  'proxy',
  'retries',
  'timeout',
  'exists-action',
  'trusted-host',
  'cert',
  'client-cert',
  'cache-dir',
  'use-feature',
  'use-deprecated',
  'keyring-provider',
  'resume-retries',
  // install options
  'r',
  'requirement',
  'c',
  'constraint',
  'e',
  'editable',
  't',
  'target',
  'platform',
  'python-version',
  'implementation',
  'abi',
  'root',
  'prefix',
  'src',
  'upgrade-strategy',
  'C',
  'config-settings',
  'global-option',
  'install-option',
  'build-option',
  'report',
  'i',
  'index-url',
  'extra-index-url',
  'f',
  'find-links',
  'no-binary',
  'only-binary',
  'progress-bar',
  'root-user-action',
  'group',
  'b',
  'build',
];

/** Options of apk that take the next argument as their value. */
export const APK_VALUE_FLAGS = [
  'X',
  'repository',
  't',
  'virtual',
  'p',
  'root',
  'keys-dir',
  'repositories-file',
  'arch',
  'cache-dir',
  'cache-max-age',
  'wait',
  'timeout',
  'from',
];

/** True when the run is an `rm` deleting a path `target` accepts (`rm -rf /var/lib/apt/lists/*`). */
export function removes(run: ToolRun, target: (path: string) => boolean): boolean {
  return run.tool === 'rm' && operands(run).some(target);
}

/** Names for a message, quoted and shortened: `` `curl`, `git` and 3 more ``. */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
