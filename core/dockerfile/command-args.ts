import type { Command, Instruction } from './model.js';
import { baseName } from './shell.js';

/** True when the command is `name` (path prefixes ignored: `/usr/bin/curl` is `curl`). */
export function isCommand(cmd: Command, ...names: string[]): boolean {
  return names.includes(baseName(cmd.name));
}

/**
 * True when any of the flags is set. Single letters match `-x` and letter clusters (`-qy`);
 * longer names match `--name` and `--name=value`.
 */
export function hasFlag(cmd: Pick<Command, 'args'>, ...names: string[]): boolean {
  for (const a of cmd.args) {
    if (a === '--') return false;
    if (a.startsWith('--')) {
      const n = a.slice(2).split('=')[0] ?? '';
      if (names.includes(n)) return true;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const ch of a.slice(1)) if (names.includes(ch)) return true;
    }
  }
  return false;
}

/** The value of `--name=value`, `--name value`, `-n value` or `-nvalue`; undefined when absent. */
export function flagValue(cmd: Pick<Command, 'args'>, ...names: string[]): string | undefined {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') return undefined;
    if (a.startsWith('--')) {
      const [n, v] = splitOnce(a.slice(2), '=');
      if (names.includes(n)) return v ?? args[i + 1];
    } else if (a.startsWith('-') && a.length > 1 && names.includes(a[1] ?? '')) {
      return a.length > 2 ? a.slice(2) : args[i + 1];
    }
  }
  return undefined;
}

/**
 * Arguments that are not flags. `valueFlags` names flags whose value is the next argument
 * (so it is not mistaken for an operand); arguments after `--` are all operands.
 */
export function operands(cmd: Pick<Command, 'args'>, valueFlags: readonly string[] = []): string[] {
  const out: string[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [n, v] = splitOnce(a.slice(2), '=');
      if (v === undefined && valueFlags.includes(n)) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2 && valueFlags.includes(a[1] ?? '')) i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

const WRAPPERS: Record<string, readonly string[]> = {
  // wrapper → its flags that take a value
  sudo: ['u', 'g', 'user', 'group', 'C', 'h', 'p', 'r', 't', 'U'],
  doas: ['u', 'C'],
  env: ['u', 'unset', 'C', 'chdir', 'S', 'split-string'],
  exec: ['a'],
  nice: ['n', 'adjustment'],
  nohup: [],
  time: ['f', 'format', 'o', 'output'],
  command: [],
  gosu: [],
  'su-exec': [],
  chroot: ['userspec', 'groups'],
  stdbuf: ['i', 'o', 'e'],
  timeout: ['s', 'signal', 'k', 'kill-after'],
  xargs: ['I', 'd', 'delimiter', 'n', 'max-args', 'P', 'max-procs', 'L', 'E', 's', 'a', 'arg-file'],
  setsid: [],
  unshare: ['S', 'setuid', 'G', 'setgid', 'R', 'root', 'w', 'wd'],
  ionice: ['c', 'class', 'n', 'classdata', 't'],
  flock: ['w', 'timeout', 'E', 'conflict-exit-code'],
  taskset: [],
  setarch: [],
  prlimit: [],
};

/**
 * The command a wrapper runs: `sudo -u app env X=1 bash -s` → `bash` with `-s`.
 * Returns the command itself when it is not a known wrapper.
 */
export function unwrap(cmd: Command): Unwrapped {
  // Many rules ask for the same command; the answer depends only on the command, so keep it.
  let found = unwrapped.get(cmd);
  if (!found) {
    found = unwrapOnce(cmd);
    unwrapped.set(cmd, found);
  }
  return found;
}

type Unwrapped = Pick<Command, 'name' | 'args'> & { wrappers: string[] };
const unwrapped = new WeakMap<Command, Unwrapped>();

function unwrapOnce(cmd: Command): Unwrapped {
  let name = baseName(cmd.name);
  // Most commands run no wrapper: keep their arguments as they are.
  if (!WRAPPERS[name]) return { name, args: cmd.args, wrappers: [] };
  let args = [...cmd.args];
  const wrappers: string[] = [];
  for (let depth = 0; depth < 5 && WRAPPERS[name]; depth++) {
    const valueFlags = WRAPPERS[name] ?? [];
    wrappers.push(name);
    let i = 0;
    // gosu/su-exec/chroot take a user (or root dir) before the command.
    const leading = ['gosu', 'su-exec', 'chroot', 'timeout', 'flock', 'taskset', 'setarch'].includes(name)
      ? 1
      : 0;
    let skippedLeading = 0;
    while (i < args.length) {
      const a = args[i] ?? '';
      if (a === '--') {
        i++;
        break;
      }
      // `env -S 'sh -x'` splits its value into the command and its first arguments.
      if (name === 'env' && (a === '-S' || a === '--split-string' || /^(-S|--split-string=)./.test(a))) {
        const value =
          a === '-S' || a === '--split-string' ? (args[i + 1] ?? '') : a.replace(/^(-S|--split-string=)/, '');
        const rest = args.slice(a === '-S' || a === '--split-string' ? i + 2 : i + 1);
        args = [...args.slice(0, i), ...value.trim().split(/\s+/), ...rest];
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        const n = a.startsWith('--') ? (a.slice(2).split('=')[0] ?? '') : (a[1] ?? '');
        const inline = a.startsWith('--') ? a.includes('=') : a.length > 2;
        i += valueFlags.includes(n) && !inline ? 2 : 1;
        continue;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
        i++;
        continue;
      }
      if (skippedLeading < leading) {
        skippedLeading++;
        i++;
        continue;
      }
      break;
    }
    if (i >= args.length) return { name, args: [], wrappers: wrappers.slice(0, -1) };
    name = baseName(args[i] ?? '');
    args = args.slice(i + 1);
  }
  return { name, args, wrappers };
}

/** A Dockerfile word without the one pair of matching quotes around it: `"baz/"` is `baz/`. */
export function unquote(word: string): string {
  const q = word[0];
  return word.length >= 2 && (q === '"' || q === "'") && word.endsWith(q) ? word.slice(1, -1) : word;
}

/** True for `/usr/src`, `C:\app` and `c:/app`: paths that do not depend on the working directory. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:([\\/]|$)/.test(path);
}

/**
 * Sources and destination of COPY or ADD, quotes removed, from the exec form or the instruction
 * line; heredoc bodies are left out (a heredoc counts as one source); undefined with fewer than two.
 */
export function transferArgs(
  inst: Pick<Instruction, 'argsText' | 'json'>,
): { sources: string[]; dest: string } | undefined {
  // The heredoc bodies follow the instruction line; only that line names sources and destination.
  const words = inst.json ?? splitWords(inst.argsText.split('\n')[0] ?? '');
  const dest = words.at(-1);
  return words.length < 2 || dest === undefined ? undefined : { sources: words.slice(0, -1), dest };
}

// Splits on blanks outside quotes and drops the quotes; backslashes stay, as Windows paths need them.
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

// What ADD unpacks: tar, plain or compressed with gzip, bzip2, xz or zstd (Docker detects the
// compression; these are the names those files go by).
const TAR_ARCHIVE = /\.(tar|gz|tgz|bz2|tbz2?|tb2|xz|txz|zst|tzst)$/i;

/** True when ADD would unpack a local file of this name (a tar archive, plain or compressed). */
export function isTarArchiveName(path: string): boolean {
  return TAR_ARCHIVE.test(path);
}

/** A multi-call binary's applet as the command (`busybox chmod 4755 f` → `chmod 4755 f`), up to three deep. */
export function appletOf(name: string, args: readonly string[]): { name: string; args: readonly string[] } {
  for (let depth = 0; depth < 3 && (name === 'busybox' || name === 'toybox') && args[0]; depth++) {
    name = baseName(args[0] ?? '');
    args = args.slice(1);
  }
  return { name, args };
}

/**
 * The command a RUN word runs, through wrappers (sudo, env, xargs…) and multi-call binaries
 * (`busybox chmod 4755 f`, `toybox sed -i …` → `chmod`, `sed`); kept per command.
 */
export function toolOf(cmd: Command): { name: string; args: readonly string[] } {
  let found = tools.get(cmd);
  if (!found) {
    const { name, args } = unwrap(cmd);
    found = appletOf(name, args);
    tools.set(cmd, found);
  }
  return found;
}
const tools = new WeakMap<Command, { name: string; args: readonly string[] }>();

/**
 * The tool a command runs, through wrappers and `python -m <module>`: `sudo python3 -m pip install x` → `pip`.
 */
export function invocation(cmd: Command): Pick<Command, 'name' | 'args'> {
  const { name, args } = unwrap(cmd);
  // Interpreter options before -m (`python3 -I -m pip`) take no value except -W and -X.
  if (/^python[0-9.]*$/.test(name)) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      if (a === '-m') return { name: args[i + 1] ?? '', args: args.slice(i + 2) };
      if (a.startsWith('-m') && a.length > 2) return { name: a.slice(2), args: args.slice(i + 1) };
      if (a === '-W' || a === '-X') i++;
      else if (!a.startsWith('-')) break;
    }
  }
  return { name, args };
}
