import { appletOf, invocation } from '../dockerfile/command-args.js';
import type { Command, Instruction } from '../dockerfile/model.js';
import { baseName } from '../dockerfile/shell.js';
import type { Loc } from '../dockerfile/source-map.js';
import { fileWrites } from './file-writes.js';
import type { RuleContext, RunCommand } from './rule.js';

// Shared by DD104 and DD105: where a build can turn a verification setting off. Each source is
// read as the tool that honours it reads it (a command's own options, an environment variable by
// its exact name, a configuration file by its path), so the same words anywhere else are data.

/** An environment variable the build or the container sets: ENV, ARG, `X=1 cmd`, `export`, `env X=1`, `go env -w`. */
export interface EnvSetting {
  readonly name: string;
  readonly value: string;
  readonly loc: Loc;
  readonly instruction: Instruction;
}

/** Text put into a file of the image (RUN echo/printf/tee/sed, COPY heredoc, COPY/ADD from the pushed tree). */
export interface ConfigText {
  /** Absolute (or as written) path in the image; undefined when only the build knows it. */
  readonly path: string | undefined;
  readonly content: string;
  readonly instruction: Instruction;
  /** Where line `n` (0-based) of the content is reported: its own line for heredocs, else the writing command. */
  readonly locOf: (line: number) => Loc;
  /** How the text got there, for messages (`written by RUN`, `copied from etc/x.repo`). */
  readonly origin: string;
  /**
   * The paths the file is read as: its own, and the well-known file of any tool told to read it instead (`curl -K f`
   * → `.curlrc`, `APT_CONFIG=f` → `/etc/apt/apt.conf`); empty when only the build knows the path.
   */
  readonly readAs: readonly string[];
}

/** True when a file is read as a path the pattern matches; a path only the build knows may be any file. */
export function readAs(file: ConfigText, path: RegExp): boolean {
  return file.path === undefined || file.readAs.some((p) => path.test(p));
}

// Environment variables that name a tool's configuration file, and the file it then stands for.
const CONFIG_ENV: Readonly<Record<string, string>> = {
  APT_CONFIG: '/etc/apt/apt.conf',
  WGETRC: '/etc/wgetrc',
  PIP_CONFIG_FILE: '/etc/pip.conf',
  NPM_CONFIG_USERCONFIG: '/root/.npmrc',
  npm_config_userconfig: '/root/.npmrc',
  NPM_CONFIG_GLOBALCONFIG: '/usr/etc/npmrc',
  npm_config_globalconfig: '/usr/etc/npmrc',
  GIT_CONFIG_GLOBAL: '/root/.gitconfig',
  GIT_CONFIG_SYSTEM: '/etc/gitconfig',
  CONDARC: '/root/.condarc',
  GEMRC: '/root/.gemrc',
};

// Options that make a tool read a configuration file, and the file it then stands for.
function configOptions(name: string, args: readonly string[]): { path: string; as: string }[] {
  const as = (paths: string[], to: string) => paths.map((path) => ({ path, as: to }));
  if (name === 'curl') {
    const paths = optionValues(args, 'K', 'config');
    // A short-option group ending in K takes the next word (`-sK file`).
    for (let i = 0; i < args.length; i++)
      if (/^-[a-zA-Z]+K$/.test(args[i] ?? '')) paths.push(args[i + 1] ?? '');
    return as(paths, '/root/.curlrc');
  }
  if (name === 'wget' || name === 'wget2') return as(optionValues(args, 'config'), '/etc/wgetrc');
  if (/^(apt|apt-get|aptitude|apt-cache)$/.test(name))
    return as(optionValues(args, 'c', 'config-file'), '/etc/apt/apt.conf');
  if (/^pip[0-9.]*$/.test(name)) return [];
  if (['npm', 'yarn', 'pnpm'].includes(name)) return as(optionValues(args, 'userconfig'), '/root/.npmrc');
  if (/^(yum|dnf|dnf5|microdnf|tdnf)$/.test(name))
    return as(optionValues(args, 'c', 'config'), '/etc/yum.conf');
  if (name === 'pacman') return as(optionValues(args, 'config'), '/etc/pacman.conf');
  return [];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOCAL_HOST = /^(localhost|127\.[\d.]+|\[::1\]|::1|host\.docker\.internal)(:\d+)?$/i;

/** True for a host (or URL) on the build machine itself, where plain HTTP or no verification crosses no network. */
export function isLocalHost(hostOrUrl: string): boolean {
  const noScheme = hostOrUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  return LOCAL_HOST.test(noScheme.split(/[/?#]/)[0] ?? '');
}

/** A plain-HTTP URL to a host other than the build machine. */
export function isRemoteHttp(url: string): boolean {
  return /^http:\/\//i.test(url) && !isLocalHost(url);
}

/** Removes shell quoting from a word as written (`"a b"c` → `a bc`); expansions stay as written. */
export function shellUnquote(word: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && '"\\$`'.includes(word[i + 1] ?? 'x')) out += word[++i];
      else out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '\\' && i + 1 < word.length) {
      out += word[++i];
    } else {
      out += ch;
    }
  }
  return out;
}

/** `NAME=value` split, or undefined when the word is no assignment. */
function assignment(word: string): { name: string; value: string } | undefined {
  const eq = word.indexOf('=');
  if (eq <= 0) return undefined;
  const name = word.slice(0, eq);
  return ENV_NAME.test(name) ? { name, value: word.slice(eq + 1) } : undefined;
}

const EXPORTERS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

interface Shared {
  readonly runs: readonly RunCommand[];
  readonly env: readonly EnvSetting[];
  readonly files: readonly ConfigText[];
}

const cache = new WeakMap<object, Shared>();

/** The commands a rule checks: every RUN command as the shell runs it, then the container's start commands. */
export function checkedCommands(ctx: RuleContext): readonly RunCommand[] {
  return shared(ctx).runs;
}

/** Every environment variable the Dockerfile sets, in order, with quotes removed as the shell or Docker removes them. */
export function envSettings(ctx: RuleContext): readonly EnvSetting[] {
  return shared(ctx).env;
}

/** Every file text the build puts into the image that the gate can see, in instruction order. */
export function configTexts(ctx: RuleContext): readonly ConfigText[] {
  return shared(ctx).files;
}

function shared(ctx: RuleContext): Shared {
  // Both rules read the same sources; they depend only on the parse (and the pushed tree), so keep them.
  const key = ctx.resolved();
  let found = cache.get(key);
  if (!found) {
    const runs = [...key, ...ctx.startCommands()];
    const written = collectFiles(ctx);
    const env = [...collectEnv(ctx, runs), ...profileEnv(written)];
    const aliases = new Map<string, string[]>();
    const alias = (path: string, as: string) => aliases.set(path, [...(aliases.get(path) ?? []), as]);
    for (const e of env) {
      const as = CONFIG_ENV[e.name];
      if (as && e.value !== '') alias(e.value, as);
      // curl reads $CURL_HOME/.curlrc.
      if (e.name === 'CURL_HOME' && e.value !== '')
        alias(`${e.value.replace(/\/+$/, '')}/.curlrc`, '/root/.curlrc');
    }
    for (const { command } of runs) {
      const { name, args } = toolCall(command);
      for (const { path, as } of configOptions(name, args)) alias(path, as);
    }
    const files = written.map((f) => ({
      ...f,
      readAs: f.path === undefined ? [] : [f.path, ...(aliases.get(f.path) ?? [])],
    }));
    found = { runs, env, files };
    cache.set(key, found);
  }
  return found;
}

function collectEnv(ctx: RuleContext, runs: readonly RunCommand[]): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const instruction of ctx.of('ENV', 'ARG')) {
    // An ARG without a default sets nothing unless the build passes a value.
    for (const p of instruction.properties) {
      if (p.value !== null) out.push({ name: p.name, value: p.value, loc: p.loc, instruction });
    }
  }
  for (const { command, instruction } of runs) {
    const at = { loc: command.loc, instruction };
    for (const a of command.assigns) {
      const kv = assignment(shellUnquote(a));
      if (kv) out.push({ ...kv, ...at });
    }
    const name = baseName(command.name);
    if (EXPORTERS.has(name) || name === 'env') {
      for (const a of command.args) {
        const kv = assignment(a);
        if (kv) out.push({ ...kv, ...at });
        // env's assignments end at its command.
        else if (name === 'env' && !a.startsWith('-')) break;
      }
    } else if (name === 'go' && command.args[0] === 'env') {
      // `go env -w NAME=value` writes the user's go env file, which every later go command reads.
      const w = command.args.indexOf('-w');
      if (w > 0)
        for (const a of command.args.slice(w + 1)) {
          const kv = assignment(a);
          if (kv) out.push({ ...kv, ...at });
        }
    }
  }
  return out.sort((a, b) => a.instruction.index - b.instruction.index);
}

// Files a shell or PAM reads into the environment of logins and `bash -l` (the container's shells).
const PROFILE =
  /(^|\/)(etc\/environment|etc\/profile|etc\/profile\.d\/[^/]+|etc\/bash\.bashrc|\.bashrc|\.profile|\.bash_profile|\.zshrc|\.zshenv)$/;

function profileEnv(files: readonly Omit<ConfigText, 'readAs'>[]): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const file of files) {
    if (file.path === undefined || !PROFILE.test(file.path)) continue;
    file.content.split('\n').forEach((text, line) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*(#.*)?$/.exec(text);
      if (m)
        out.push({
          name: m[1] ?? '',
          value: shellUnquote(m[2] ?? ''),
          loc: file.locOf(line),
          instruction: file.instruction,
        });
    });
  }
  return out;
}

function collectFiles(ctx: RuleContext): Omit<ConfigText, 'readAs'>[] {
  const out: Omit<ConfigText, 'readAs'>[] = [];
  // fileWrites reads the resolved commands, so paths named through ENV/ARG are expanded.
  const writes = fileWrites(ctx);
  for (const w of writes) {
    if (w.via === 'copy-heredoc') continue;
    out.push({
      path: w.path.includes('$') || w.path.includes('`') ? undefined : w.path,
      content: w.content,
      instruction: w.instruction,
      locOf: () => w.loc,
      origin: `written by ${w.via === 'sed' ? 'sed -i' : w.via}`,
    });
  }
  for (const f of ctx.copiedFiles()) {
    if (f.content === undefined) continue;
    const heredoc = f.source.startsWith('<<');
    const inst = f.instruction;
    const body = heredoc ? bodyLine(ctx, inst, f.content) : undefined;
    out.push({
      path: f.destination,
      content: f.content,
      instruction: inst,
      locOf: (line) => (body === undefined ? inst.loc : { line: body + line, column: 1 }),
      origin: heredoc ? 'from a COPY heredoc' : `copied from ${f.source}`,
    });
  }
  return out.sort((a, b) => a.instruction.index - b.instruction.index);
}

// The Dockerfile line a heredoc body starts on.
function bodyLine(ctx: RuleContext, inst: Instruction, content: string): number | undefined {
  const text = ctx.model.text.slice(inst.start, inst.end);
  const first = content.split('\n')[0] ?? '';
  const at = text.indexOf(`\n${first}`);
  if (at < 0) return undefined;
  return inst.loc.line + text.slice(0, at + 1).split('\n').length - 1;
}

/** Every line of a text that matches, with its 0-based line number. */
export function matchingLines(content: string, pattern: RegExp): { match: RegExpExecArray; line: number }[] {
  const out: { match: RegExpExecArray; line: number }[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i] ?? '');
    if (m) out.push({ match: m, line: i });
  }
  return out;
}

/**
 * True when `arg` is `full` or an abbreviation of it at least `min` characters long (any `=value` ignored): tools
 * parsing with getopt_long, optparse or argparse (curl, wget, apk, pip, yum, dnf) take any unambiguous start.
 */
export function abbreviates(arg: string, full: string, min: number): boolean {
  const name = arg.split('=')[0] ?? '';
  return name.length >= min && full.startsWith(name);
}

/** The values of apt's `-o`/`--option` (`-o K=V`, `-oK=V`, `-o=K=V`, `--option=K=V`). */
export function aptOptionValues(args: readonly string[]): string[] {
  return optionValues(args, 'o', 'option').map((v) => v.replace(/^=/, ''));
}

/** The value of an option in `--name=value`, `--name value` or (for one letter) `-nvalue`/`-n value` spellings, every occurrence. */
export function optionValues(args: readonly string[], ...names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    for (const n of names) {
      const flag = n.length === 1 ? `-${n}` : `--${n}`;
      if (a === flag) out.push(args[++i] ?? '');
      else if (n.length > 1 && a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
      else if (n.length === 1 && a.startsWith(flag) && !a.startsWith('--')) out.push(a.slice(2));
    }
  }
  return out;
}

/**
 * The tool a command runs and its arguments, through wrappers (`sudo`, `env`), `python -m` and multi-call binaries
 * (`busybox wget …` → `wget`).
 */
export function toolCall(command: Command): { name: string; args: readonly string[] } {
  // invocation() is cached per command; only multi-call binaries need more.
  const { name, args } = invocation(command);
  return appletOf(name, args);
}
