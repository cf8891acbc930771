import { operands, toolOf, transferArgs, unwrap } from '../dockerfile/command-args.js';
import type { Command, Instruction } from '../dockerfile/model.js';
import { baseName, parseShell } from '../dockerfile/shell.js';
import { type Loc, SourceMap } from '../dockerfile/source-map.js';
import { expandText } from './build-variables.js';
import { fileWrites } from './file-writes.js';
import type { RuleContext } from './rule.js';
import { parentStage } from './stage-lineage.js';

/** A program as it runs: wrappers (`sudo`, `env`, `xargs`, …) and busybox/toybox applets unwrapped. */
export interface Program {
  /** The program's base name (`/tmp/i` → `i`). */
  readonly name: string;
  /** The program as written, path kept (`./install.sh`). */
  readonly path: string;
  readonly args: readonly string[];
  readonly wrappers: readonly string[];
  /** Index in the command's `words` of `args[0]`. */
  readonly offset: number;
}

/** What a command downloads: the files (or trees) it writes, and whether it prints what it fetched. */
export interface Fetch {
  /** The tool and its source, for messages: `curl https://x/i.sh`. */
  readonly label: string;
  /** Files written with the fetched content, as written (relative paths are relative to the working directory). */
  readonly files: readonly string[];
  /** Directories whose every file is fetched (git clone, svn checkout). */
  readonly trees: readonly string[];
  /** True when the fetched content goes to standard output. */
  readonly stdout: boolean;
}

/** A file or directory the build fetched from the network (RUN curl/wget/git clone…, ADD of a URL). */
export interface FetchedFile {
  /** Absolute path when the working directory is known, else the path as written. */
  readonly path: string;
  /** True for a directory whose every file is fetched. */
  readonly tree: boolean;
  readonly label: string;
  readonly instruction: Instruction;
  readonly loc: Loc;
  /** True when its checksum or signature is checked (or it is pinned to a commit) before anything runs it. */
  readonly verified: boolean;
}

/** When code runs: in the build, when the container starts, in builds FROM the image (ONBUILD), or through SHELL. */
export type RunTime = 'build' | 'start' | 'downstream' | 'shell';

/** Code from the network (or hidden by an encoding) that the build or the container runs without a check. */
export interface NetworkCodeRun {
  readonly instruction: Instruction;
  /** Where to report: the fetch of a pipe or substitution, the command that runs a file. */
  readonly loc: Loc;
  readonly when: RunTime;
  /** `pipe`: fetch | runner; `substitution`: runner "$(fetch)"; `inline`: an interpreter's own code fetches and runs; `file`: a fetched file run; `script`: a file the build wrote or copied runs, and it downloads and runs. */
  readonly how: 'pipe' | 'substitution' | 'inline' | 'file' | 'script';
  /** What fetched: `curl https://x/i.sh`, `base64-decoded data`, `urlopen`. */
  readonly source: string;
  /** What runs it: `sh`, `python3 -c … exec`, `./install.sh`. */
  readonly runner: string;
  /** The file run (`file`, `script`). */
  readonly file?: string;
  /** The line of the download or of the instruction that wrote the script, when it is another instruction. */
  readonly otherLine?: number;
  /** For `script`: what the script itself does, and at which of its lines. */
  readonly inner?: { readonly text: string; readonly line: number };
}

const SHELLS = new Set([
  'sh',
  'ksh93',
  'rbash',
  'bash',
  'dash',
  'ash',
  'zsh',
  'ksh',
  'mksh',
  'lksh',
  'posh',
  'yash',
  'fish',
  'csh',
  'tcsh',
]);
const INTERPRETER =
  /^(python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|jruby|node|nodejs|php[0-9.]*|lua[0-9.]*|luajit|pwsh|powershell|rscript|tclsh[0-9.]*|expect|deno|bun|osascript)$/i;
// Letters after which each interpreter reads its code from the next argument (or the rest of the word).
const INLINE_FLAGS: Readonly<Record<string, string>> = {
  python: 'c',
  perl: 'eE',
  ruby: 'e',
  node: 'ep',
  php: 'r',
  lua: 'e',
  rscript: 'e',
};
// Interpreter options whose value is the next argument (a module, a library, a warning filter).
const VALUE_FLAGS: Readonly<Record<string, string>> = {
  python: 'mWX',
  perl: 'IMm',
  ruby: 'rIEC',
  node: 'r',
  php: 'fcdz',
  lua: 'l',
};
// Long options that take code: node's --eval/--print; PowerShell's -Command (any case, any unique prefix).
const LONG_INLINE: Readonly<Record<string, RegExp>> = {
  node: /^--(eval|print)$/,
  pwsh: /^-(c|co|com|comm|comma|comman|command)$/i,
};
function family(name: string): string {
  const n = name.toLowerCase();
  if (/^(python|pypy)/.test(n)) return 'python';
  if (n.startsWith('perl')) return 'perl';
  if (/^j?ruby/.test(n)) return 'ruby';
  if (n === 'nodejs' || n === 'node' || n === 'deno' || n === 'bun') return 'node';
  if (n.startsWith('php')) return 'php';
  if (n.startsWith('lua')) return 'lua';
  if (n === 'powershell') return 'pwsh';
  return n;
}

/** `compute` kept per command: the answer depends only on the command, and rules ask for it many times. */
function perCommand<T>(compute: (cmd: Command) => T | undefined): (cmd: Command) => T | undefined {
  const memo = new WeakMap<Command, T | null>();
  return (cmd) => {
    let found = memo.get(cmd);
    if (found === undefined) {
      found = compute(cmd) ?? null;
      memo.set(cmd, found);
    }
    return found ?? undefined;
  };
}

const programs = new WeakMap<Command, Program>();

/** The program a command runs, through wrappers and multi-call binaries: `sudo busybox wget -O- u` → `wget -O- u`. */
export function programOf(cmd: Command): Program {
  let found = programs.get(cmd);
  if (!found) {
    const { name, args } = toolOf(cmd);
    const offset = cmd.args.length - args.length;
    const path = offset > 0 ? (cmd.args[offset - 1] ?? name) : cmd.name;
    found = { name, path, args, wrappers: unwrap(cmd).wrappers, offset };
    programs.set(cmd, found);
  }
  return found;
}

// ------------------------------------------------------------------ what fetches

const URLISH =
  /^(https?|ftps?|tftp|scp|sftp|dict|gopher|telnet|ldaps?|smb|rsync|git|ssh|s3|gs):\/\/|^[\w.-]+\.[a-z]{2,}(:\d+)?\//i;
const CURL_VALUE = new Set(
  'o u H d A e x X w K T b c m r C E F U Y y z Q'
    .split(' ')
    .concat(
      'output output-dir user header data data-raw data-binary data-urlencode user-agent referer proxy request write-out config upload-file cookie cookie-jar max-time range continue-at cert form proxy-user speed-limit speed-time time-cond quote cacert capath connect-timeout retry retry-delay retry-max-time resolve interface dns-servers max-filesize limit-rate url netrc-file key key-type pass ciphers tls-max proto proto-redir json form-string oauth2-bearer unix-socket'.split(
        ' ',
      ),
    ),
);
const WGET_VALUE = 'OoaPtTwiBeUQlARDIX';
const WGET_LONG_VALUE = new Set(
  'output-document output-file append-output directory-prefix tries timeout wait input-file base execute user-agent quota level accept reject domains include-directories exclude-directories header user password post-data body-data ca-certificate certificate private-key load-cookies save-cookies'.split(
    ' ',
  ),
);

function urlName(url: string, fallback = ''): string {
  const path = url.replace(/^[a-z0-9+.-]+:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  return (
    path
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? fallback
  );
}

function inDir(dir: string | undefined, name: string): string {
  return dir === undefined || name.startsWith('/') ? name : `${dir.replace(/\/+$/, '')}/${name}`;
}

const STDOUT_FILE = /^(-|\/dev\/stdout|\/dev\/fd\/1|\/proc\/self\/fd\/1)$/;
const STDIN_FILE = /^(-|\/dev\/stdin|\/dev\/fd\/0|\/proc\/self\/fd\/0)$/;

function curlFetch(args: readonly string[]): Fetch {
  const urls: string[] = [];
  const outputs: string[] = [];
  let remoteName = false;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      const [n = '', v] = a.slice(2).split(/=(.*)/s);
      const value = (): string => v ?? args[++i] ?? '';
      if (n === 'output') outputs.push(value());
      else if (n === 'output-dir') dir = value();
      else if (n === 'url') urls.push(value());
      else if (n === 'remote-name' || n === 'remote-name-all') remoteName = true;
      else if (CURL_VALUE.has(n) && v === undefined) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        if (ch === 'O') remoteName = true;
        else if (CURL_VALUE.has(ch)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? '');
          if (ch === 'o') outputs.push(v);
          break;
        }
      }
      continue;
    }
    urls.push(a);
  }
  const files = outputs.filter((o) => !STDOUT_FILE.test(o)).map((o) => inDir(dir, o));
  if (remoteName) for (const u of urls) files.push(inDir(dir, urlName(u, 'index.html')));
  return {
    label: `curl ${urls[0] ?? ''}`.trim(),
    files,
    trees: [],
    stdout: outputs.some((o) => STDOUT_FILE.test(o)) || (outputs.length === 0 && !remoteName),
  };
}

function wgetFetch(args: readonly string[]): Fetch {
  const urls: string[] = [];
  let output: string | undefined;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      const [n = '', v] = a.slice(2).split(/=(.*)/s);
      if (n === 'output-document') output = v ?? args[++i] ?? '';
      else if (n === 'directory-prefix') dir = v ?? args[++i] ?? '';
      else if (WGET_LONG_VALUE.has(n) && v === undefined) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        if (WGET_VALUE.includes(ch)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? '');
          if (ch === 'O') output = v;
          if (ch === 'P') dir = v;
          break;
        }
      }
      continue;
    }
    urls.push(a);
  }
  const stdout = output !== undefined && STDOUT_FILE.test(output);
  const files =
    output === undefined ? urls.map((u) => inDir(dir, urlName(u, 'index.html'))) : stdout ? [] : [output];
  return { label: `wget ${urls[0] ?? ''}`.trim(), files, trees: [], stdout };
}

function simpleFetch(tool: string, args: readonly string[], outFlags: string, dirFlags: string): Fetch {
  const urls: string[] = [];
  let output: string | undefined;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      const [n = '', v] = a.slice(2).split(/=(.*)/s);
      if (n === 'out' || n === 'output' || n === 'output-document') output = v ?? args[++i];
      else if (n === 'dir' || n === 'directory') dir = v ?? args[++i];
    } else if (a.startsWith('-') && a.length > 1) {
      const ch = a[1] ?? '';
      const v = a.length > 2 ? a.slice(2) : args[i + 1];
      if (outFlags.includes(ch)) {
        output = v;
        if (a.length === 2) i++;
      } else if (dirFlags.includes(ch)) {
        dir = v;
        if (a.length === 2) i++;
      }
    } else urls.push(a);
  }
  const stdout = output === undefined ? tool !== 'aria2c' : STDOUT_FILE.test(output);
  const files =
    output === undefined
      ? tool === 'aria2c'
        ? urls.map((u) => inDir(dir, urlName(u, 'index.html')))
        : []
      : stdout
        ? []
        : [inDir(dir, output)];
  return { label: `${tool} ${urls[0] ?? ''}`.trim(), files, trees: [], stdout };
}

const GIT_CLONE_VALUE = new Set(
  'b branch depth o origin c config reference j jobs filter separate-git-dir template u upload-pack shallow-since shallow-exclude'.split(
    ' ',
  ),
);

function cloneFetch(tool: string, args: readonly string[]): Fetch | undefined {
  const ops: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      ops.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [n = '', v] = a.slice(2).split(/=(.*)/s);
      if (GIT_CLONE_VALUE.has(n) && v === undefined) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2 && GIT_CLONE_VALUE.has(a[1] ?? '')) i++;
    } else ops.push(a);
  }
  const [url, dir] = ops;
  if (url === undefined) return undefined;
  const tree =
    dir ?? urlName(url.replace(/\/+$/, '').replace(/^[^@/]+@[^:]+:/, '/'), '').replace(/\.git$/, '');
  return { label: `${tool} ${url}`, files: [], trees: tree ? [tree] : [], stdout: false };
}

/** True for `sha256sum -c`, `gpg --verify`, `cosign verify-blob`, `minisign -V`, `gpgv` and `git verify-*`. */
export function isVerification(cmd: Command, pipelinePeers: readonly Command[] = []): boolean {
  const { name, args } = programOf(cmd);
  if (/^(sha(1|224|256|384|512)sum|shasum|b2sum|md5sum|cksum)$/.test(name)) {
    if (args.some((a) => a === '--check' || /^-[a-z]*c/.test(a))) return true;
    // `[ "$(sha256sum f | cut -d' ' -f1)" = "$SHA" ]`, `sha256sum f | grep -q "$SHA"`: compared, not just printed.
    // `[` reads as a glob to the parser, so its name is not literal; its closing `]` tells.
    const parent = cmd.parent
      ? programOf(cmd.parent).name || (cmd.parent.words.at(-1)?.raw === ']' ? '[' : '')
      : '';
    if (cmd.context === 'substitution' && (parent === '[' || parent === 'test')) return true;
    return pipelinePeers.some(
      (o) =>
        (o.pipeline?.position ?? 0) > (cmd.pipeline?.position ?? 0) &&
        /^(grep|cmp|diff)$/.test(programOf(o).name),
    );
  }
  if (name === 'gpg' || name === 'gpg2') return args.includes('--verify') || args.includes('--verify-files');
  if (name === 'cosign') return args[0] === 'verify-blob' || args[0] === 'verify-blob-attestation';
  if (name === 'minisign' || name === 'signify') return args.some((a) => /^-[a-zA-Z]*V/.test(a));
  if (name === 'openssl') return args[0] === 'dgst' && args.some((a) => a === '-verify' || a === '-prverify');
  if (name === 'git') {
    const sub = gitSubcommand(args);
    if (sub?.name === 'verify-commit' || sub?.name === 'verify-tag') return true;
    // A checkout of a full commit id pins the tree to known content.
    if (sub?.name === 'checkout' || sub?.name === 'reset' || sub?.name === 'switch') {
      return sub.args.some((a) => /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(a));
    }
    return false;
  }
  if (name === 'gpgv' || name === 'sigstore' || name === 'slsa-verifier') return true;
  if (INTERPRETER.test(name)) {
    const code = inlineCode(programOf(cmd))?.text ?? '';
    return /\bhash_file\s*\(|\bhashlib\b|\bopenssl_verify\b|Digest::SHA|createHash\s*\(/.test(code);
  }
  return false;
}

function gitSubcommand(args: readonly string[]): { name: string; args: readonly string[] } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-C' || a === '-c' || a === '--git-dir' || a === '--work-tree') i++;
    else if (!a.startsWith('-')) return { name: a, args: args.slice(i + 1) };
  }
  return undefined;
}

const NET_STREAM = new Set(['nc', 'ncat', 'netcat', 'telnet', 'socat']);
const DUMPERS = new Set(['lynx', 'links', 'elinks', 'w3m']);
const DECODERS = /^(base64|base32|basenc|gbase64)$/;

/** What a command fetches from the network, or undefined when it fetches nothing. */
// Each command is asked several times (as a source, as a download); the answer depends only on the command.
export const fetchOf: (cmd: Command) => Fetch | undefined = perCommand((cmd) => computeFetch(cmd));

function computeFetch(cmd: Command): Fetch | undefined {
  const p = programOf(cmd);
  const { name, args } = p;
  switch (name) {
    case 'curl':
      return curlFetch(args);
    case 'wget':
    case 'wget2':
      return wgetFetch(args);
    case 'aria2c':
      return simpleFetch(name, args, 'o', 'd');
    case 'fetch':
      return simpleFetch(name, args, 'o', '');
    case 'http':
    case 'https':
    case 'xh':
    case 'xhs':
      return simpleFetch(name, args, 'o', '');
    case 'git': {
      const sub = gitSubcommand(args);
      return sub?.name === 'clone' ? cloneFetch('git clone', sub.args) : undefined;
    }
    case 'svn':
      return args[0] === 'checkout' || args[0] === 'co' || args[0] === 'export'
        ? cloneFetch(`svn ${args[0]}`, args.slice(1))
        : undefined;
    case 'hg':
      return args[0] === 'clone' ? cloneFetch('hg clone', args.slice(1)) : undefined;
    case 'openssl':
      return args[0] === 's_client'
        ? { label: 'openssl s_client', files: [], trees: [], stdout: true }
        : undefined;
    case 'aws': {
      if (args[0] !== 's3' || args[1] !== 'cp') return undefined;
      const [src = '', dest = ''] = args.slice(2).filter((a) => a === '-' || !a.startsWith('-'));
      if (!/^s3:\/\//i.test(src)) return undefined;
      return {
        label: `aws s3 cp ${src}`,
        files: dest === '-' ? [] : [dest],
        trees: [],
        stdout: dest === '-',
      };
    }
    case 'gsutil': {
      const [sub, src = '', dest = ''] = args.filter((a) => a === '-' || !a.startsWith('-'));
      if (sub === 'cat') return { label: `gsutil cat ${src}`, files: [], trees: [], stdout: true };
      if (sub === 'cp' && /^gs:\/\//i.test(src))
        return {
          label: `gsutil cp ${src}`,
          files: dest === '-' ? [] : [dest],
          trees: [],
          stdout: dest === '-',
        };
      return undefined;
    }
  }
  if (NET_STREAM.has(name))
    return {
      label: `${name} ${args.filter((a) => !a.startsWith('-')).join(' ')}`.trim(),
      files: [],
      trees: [],
      stdout: true,
    };
  if (DUMPERS.has(name) && args.some((a) => /^-(dump|source)$/.test(a))) {
    return {
      label: `${name} ${args.find((a) => URLISH.test(a)) ?? ''}`.trim(),
      files: [],
      trees: [],
      stdout: true,
    };
  }
  if (INTERPRETER.test(name)) {
    const code = inlineCode(p);
    if (!code) return undefined;
    const fetch = FETCH_MARKERS[family(name)]?.exec(`${args.join(' ')}`);
    if (!fetch) return undefined;
    const files = [...code.text.matchAll(SAVE_AS)]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
      .filter((f) => f !== '');
    return {
      label: `${name} ${code.flag} (${marker(fetch)})`,
      files,
      trees: [],
      stdout: files.length === 0,
    };
  }
  if (cmd.redirects.some((r) => r.op === '<' && /^\/dev\/(tcp|udp)\//.test(r.target))) {
    const r = cmd.redirects.find((x) => x.op === '<' && /^\/dev\/(tcp|udp)\//.test(x.target));
    return { label: `a read from ${r?.target}`, files: [], trees: [], stdout: true };
  }
  return undefined;
}

// `urlretrieve(url, 'f')` (Python), `copy('https://…', 'f')` (PHP): the file a one-liner saves a download as.
const SAVE_AS =
  /urlretrieve\s*\(\s*[^,()]+,\s*['"]([^'"]+)['"]|\bcopy\s*\(\s*['"](?:https?|ftp):\/\/[^'"]+['"]\s*,\s*['"]([^'"]+)['"]|\b(?:open|file_put_contents|writeFileSync|createWriteStream|File\.write|getstore\s*\(\s*['"][^'"]+['"]\s*,)\s*\(?\s*['"]([^'"]+)['"]/g;

/** Text that data decoded from an encoding (base64, hex) is hidden code, for messages; undefined otherwise. */
function decoderOf(cmd: Command): string | undefined {
  const { name, args } = programOf(cmd);
  if (DECODERS.test(name) && args.some((a) => a === '--decode' || /^-[a-zA-Z]*[dD]/.test(a)))
    return `${name}-decoded data`;
  if (name === 'xxd' && args.some((a) => /^-[a-z]*r/.test(a))) return 'xxd-decoded data';
  if (name === 'uudecode') return 'uudecoded data';
  if (name === 'openssl' && (args[0] === 'base64' || args[0] === 'enc') && args.includes('-d'))
    return 'openssl-decoded data';
  return undefined;
}

// ------------------------------------------------------------------ what runs code

// Markers of code fetching over the network, per language (checked on the whole argument text, so `-MLWP::Simple` counts).
const FETCH_MARKERS: Readonly<Record<string, RegExp>> = {
  python:
    /\b(urlopen|urlretrieve|urllib[23]?\b|requests\.(get|post|request|Session)|httpx\.(get|stream|Client)|http\.client|HTTPS?Connection|pycurl|wget\.download)/,
  perl: /LWP::|HTTP::Tiny|\bget(store|print)?\s*\(|Net::HTTP|IO::Socket::(INET|SSL)|\bMojo::UserAgent/,
  ruby: /open-uri|Net::HTTP|URI\.open|\bopen\s*\(\s*['"]https?:|HTTParty|Faraday|RestClient|\bopen-uri/,
  node: /\bhttps?\.(get|request)\b|\bfetch\s*\(|require\s*\(\s*['"](node:)?https?['"]\s*\)|\baxios\b|node-fetch|\bundici\b/,
  php: /\b(file_get_contents|fopen|file|readfile|copy|include|require(_once)?)\s*\(?\s*['"](https?|ftp):|\bcurl_exec\b/,
  lua: /socket\.http|ssl\.https|http\.request/,
  pwsh: /Invoke-WebRequest|\biwr\b|Invoke-RestMethod|\birm\b|DownloadString|DownloadFile|Net\.WebClient|Start-BitsTransfer/i,
  rscript: /\bsource\s*\(\s*['"]https?:|\burl\s*\(|download\.file/,
};
// Markers of code running data as code, per language.
const EXEC_MARKERS: Readonly<Record<string, RegExp>> = {
  python:
    /\b(exec|eval|compile)\s*\(|\bos\.(system|popen|exec\w*)\s*\(|\bsubprocess\.\w+\s*\([^)]*shell\s*=\s*True|\bsubprocess\.\w+\s*\(\s*\[\s*['"](ba|da|z)?sh['"]|\brunpy\b|\bimportlib\b.*\bexec_module\b/s,
  perl: /\beval\b|\bsystem\b|\bexec\b|`|\bqx\b|\bdo\s*\(/,
  ruby: /\beval\b|\binstance_eval\b|\bclass_eval\b|\bsystem\b|\bexec\b|`|%x|\bspawn\b|\bload\b/,
  node: /\beval\s*\(|\bFunction\s*\(|\bvm\b|runIn(This|New)?Context|\bchild_process\b|\bexecSync\b|\bspawnSync\b|\brequire\s*\(\s*['"]vm['"]\s*\)|\bimport\s*\(\s*['"]data:/,
  php: /\beval\s*\(|\bsystem\s*\(|\bexec\s*\(|\bshell_exec\b|\bpassthru\b|\bpopen\b|\bproc_open\b|`|\b(include|require)(_once)?\b|\bcreate_function\b|\bassert\s*\(/,
  lua: /\bload(string)?\s*\(|\bdofile\b|\bos\.execute\b|\bio\.popen\b/,
  pwsh: /Invoke-Expression|\biex\b|\[scriptblock\]::Create|Invoke-Command|&\s*\(|\.\s*\(/i,
  rscript: /\bsource\s*\(|\beval\s*\(|\bsystem2?\s*\(/,
};

// The text a marker matched, for messages: `exec(` → `exec`.
function marker(m: RegExpExecArray): string {
  return m[0].trim().replace(/\s*\($/, '');
}

/** An interpreter's own code given on the command line or on standard input (heredoc), and the option that gave it. */
function inlineCode(p: Program, cmd?: Command): { text: string; flag: string; word?: number } | undefined {
  const fam = family(p.name);
  const letters = INLINE_FLAGS[fam] ?? '';
  const values = VALUE_FLAGS[fam] ?? '';
  const { args } = p;
  const parts: string[] = [];
  let flag = '';
  let word: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    if (LONG_INLINE[fam]?.test(a)) {
      flag = a;
      word = i + 1;
      // PowerShell joins every argument after -Command into the command.
      parts.push(fam === 'pwsh' ? args.slice(i + 1).join(' ') : (args[i + 1] ?? ''));
      if (fam === 'pwsh') break;
      i++;
      continue;
    }
    if (a.startsWith('--') || fam === 'pwsh') continue;
    for (let j = 1; j < a.length; j++) {
      const ch = a[j] ?? '';
      if (letters.includes(ch)) {
        flag = `-${ch}`;
        if (j + 1 < a.length) parts.push(a.slice(j + 1));
        else {
          word ??= i + 1;
          parts.push(args[++i] ?? '');
        }
        break;
      }
      if (values.includes(ch)) {
        if (j + 1 === a.length) i++;
        break;
      }
    }
  }
  if (parts.length > 0) return { text: parts.join('\n'), flag, ...(word !== undefined ? { word } : {}) };
  // No code option: the program comes from a script operand, or from standard input.
  const operand = scriptOperand(p);
  if (cmd && (operand === undefined || operand === '-' || operand === '/dev/stdin')) {
    const doc = cmd.redirects.filter((r) => r.op === '<<' || r.op === '<<<').at(-1);
    if (doc)
      return {
        text: doc.op === '<<' ? (doc.body ?? '') : doc.target,
        flag: doc.op === '<<' ? '<<heredoc' : '<<<',
      };
  }
  return undefined;
}

/** The script file an interpreter or a shell runs (its first operand), when it has no inline code. */
function scriptOperand(p: Program): string | undefined {
  const fam = family(p.name);
  const values = SHELLS.has(p.name) ? '' : (VALUE_FLAGS[fam] ?? '');
  const { args } = p;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') return args[i + 1];
    if (a === '-') return a;
    if (SHELLS.has(p.name) && (a === '-o' || a === '+o')) {
      i++;
      continue;
    }
    if (fam === 'php' && a === '-f') return args[i + 1];
    if (fam === 'pwsh' && /^-f(ile)?$/i.test(a)) return args[i + 1];
    if (fam === 'node' && p.name === 'deno' && a === 'run') continue;
    if (a.startsWith('-') || a.startsWith('+')) {
      if (a.length === 2 && values.includes(a[1] ?? '')) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** How a command runs code: from stdin, from a file, or from inline code (shell `-c` strings are parsed separately). */
interface CodeUse {
  readonly runner: string;
  /** Reads its program from standard input. */
  readonly stdin: boolean;
  /** Runs this file. */
  readonly file?: string;
  /** Index in the command's words of the argument holding the code (`-c` string, script operand), or -1 for all (eval). */
  readonly codeWord?: number;
}

const codeUse: (cmd: Command) => CodeUse | undefined = perCommand((cmd) => computeCodeUse(cmd));

function computeCodeUse(cmd: Command): CodeUse | undefined {
  const p = programOf(cmd);
  const { name, args } = p;
  // A program only the build can name (an ARG without a default): fed a fetched script, it may well run it.
  if (name === '') return { runner: 'a program named at build time', stdin: true, codeWord: -2 };
  if (name === 'eval') return { runner: 'eval', stdin: false, codeWord: -1 };
  if (name === 'source' || name === '.') {
    const file = args.find((a) => !a.startsWith('-'));
    return {
      runner: name === '.' ? '. (source)' : 'source',
      stdin: file === '/dev/stdin' || file === '-',
      ...(file ? { file } : {}),
      codeWord: p.offset,
    };
  }
  if (SHELLS.has(name)) {
    if (p.wrappers.includes('xargs')) return { runner: name, stdin: true };
    let inline = false;
    let stdin = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      if (a === '--' || !/^[-+]/.test(a) || a === '-') {
        const file = a === '--' ? args[i + 1] : a;
        if (inline)
          return { runner: `${name} -c`, stdin: false, codeWord: p.offset + (a === '--' ? i + 1 : i) };
        if (stdin || file === undefined || STDIN_FILE.test(file)) return { runner: name, stdin: true };
        return { runner: name, stdin: false, file, codeWord: p.offset + (a === '--' ? i + 1 : i) };
      }
      // `-n` / `-o noexec` reads the script and runs nothing (a syntax check).
      if ((a === '-o' && args[i + 1] === 'noexec') || /^-[a-zA-Z]*n/.test(a)) return undefined;
      if (a === '-o' || a === '+o') i++;
      else if (/^-[a-zA-Z]*c/.test(a)) inline = true;
      else if (/^-[a-zA-Z]*s/.test(a)) stdin = true;
    }
    return inline ? { runner: `${name} -c`, stdin: true } : { runner: name, stdin: true };
  }
  // su/runuser without -c start the user's (or `-s`) shell, which reads its commands from standard input.
  if (
    (name === 'su' || name === 'runuser') &&
    !args.some((a) => /^(-[a-zA-Z]*c|--command(=.*)?|--session-command(=.*)?)$/.test(a))
  ) {
    return { runner: `${name} (a shell reading standard input)`, stdin: true };
  }
  // awk/sed programs that hand what they read to a shell: `awk '{system($0)}'`, `awk '{print | "sh"}'`, `sed e`.
  if (
    /^([gmn]?awk|busybox-awk)$/.test(name) &&
    args.some((a) => /system\s*\(|\|\s*"[^"]*\b(ba|da|z|k)?sh\b/.test(a))
  ) {
    return { runner: `${name} system()`, stdin: true };
  }
  if (name === 'sed' && args.some((a) => /^(e|.*;\s*e|[0-9$,/]*e)$/.test(a.trim()))) {
    return { runner: 'sed e', stdin: true };
  }
  if (INTERPRETER.test(name)) {
    const code = inlineCode(p);
    if (code && code.flag !== '') {
      // Code that reads its program from stdin: `python3 -c 'exec(sys.stdin.read())'`.
      // `pwsh -Command -` reads its commands from stdin.
      const readsStdin =
        code.text.trim() === '-' ||
        (/stdin|STDIN|<STDIN>|php:\/\/stdin|\$input/.test(code.text) &&
          (EXEC_MARKERS[family(name)]?.test(code.text) ?? false));
      return {
        runner: `${name} ${code.flag}`,
        stdin: readsStdin,
        ...(code.word !== undefined ? { codeWord: p.offset + code.word } : {}),
      };
    }
    if (args.some((a) => a === '-m')) return undefined;
    const file = scriptOperand(p);
    if (file === undefined || file === '-' || file === '/dev/stdin') return { runner: name, stdin: true };
    const at = args.indexOf(file);
    return { runner: name, stdin: false, file, codeWord: p.offset + at };
  }
  if (p.path.includes('/')) return { runner: p.path, stdin: false, file: p.path };
  return undefined;
}

// Stages a fetched stream cannot pass through to a later stage of the pipeline.
function swallows(cmd: Command): boolean {
  const redirected = cmd.redirects.some(
    (r) => /^(>|>\||&>)$/.test(r.op) && (r.fd === undefined || r.fd === '1') && !STDOUT_FILE.test(r.target),
  );
  return redirected || consumes(cmd);
}

// Programs that take a stream in and print something else (a listing, nothing): what they read goes no further.
function consumes(cmd: Command): boolean {
  const { name, args } = programOf(cmd);
  if (name === 'tar' || name === 'bsdtar') {
    return !args.some((a) => a === '--to-stdout' || (/^-?[a-zA-Z]*O/.test(a) && !a.startsWith('--')));
  }
  return /^(unzip|cpio|apt-key|gpg2?|dpkg|rpm|sha\d*sum|md5sum|b2sum|wc|docker|podman)$/.test(name);
}

// ------------------------------------------------------------------ paths

function normalise(path: string): string {
  const abs = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      else if (!abs) parts.push(part);
    } else parts.push(part);
  }
  return (abs ? '/' : '') + parts.join('/');
}

function resolvePath(path: string, cwd: string | undefined): string {
  if (path.startsWith('/') || path.startsWith('~') || path.startsWith('$')) return normalise(path);
  return normalise(cwd === undefined ? path : `${cwd}/${path}`);
}

// A relative path (working directory unknown) matches an absolute one that ends with it.
function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.startsWith('/') && b.startsWith('/')) return false;
  const [abs, rel] = a.startsWith('/') ? [a, b] : [b, a];
  return abs.endsWith(`/${rel}`);
}

function under(path: string, dir: string): boolean {
  if (samePath(path, dir)) return true;
  if (path.startsWith('/') && dir.startsWith('/')) return path.startsWith(`${dir}/`);
  return (
    `/${path}/`.includes(`/${dir.replace(/^\//, '')}/`) ||
    (!path.startsWith('/') && `/${dir}`.endsWith(`/${path.split('/')[0]}`))
  );
}

// cp's and install's options that take the next argument as their value.
const PUT_VALUE_FLAGS = ['m', 'mode', 'o', 'owner', 'g', 'group', 'S', 'suffix', 't', 'target-directory'];

const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

// ------------------------------------------------------------------ the walk

interface Download {
  readonly path: string;
  readonly tree: boolean;
  readonly label: string;
  readonly instruction: Instruction;
  readonly loc: Loc;
  readonly seq: number;
  verifiedAt?: number;
}

interface Written {
  readonly path: string;
  readonly content: string;
  readonly instruction: Instruction;
  readonly seq: number;
}

interface Verification {
  readonly text: string;
  readonly seq: number;
}

interface StageState {
  downloads: Download[];
  written: Written[];
}

interface Analysis {
  readonly runs: NetworkCodeRun[];
  readonly files: FetchedFile[];
}

const analyses = new WeakMap<object, Analysis>();

/** Every place the build or its containers run code fetched from the network (or hidden by an encoding) unchecked. */
export function networkCodeRuns(ctx: RuleContext): readonly NetworkCodeRun[] {
  return analyse(ctx).runs;
}

/** Every file and directory the build fetched (RUN downloads, clones, ADD of URLs), with whether it was verified. */
export function fetchedFiles(ctx: RuleContext): readonly FetchedFile[] {
  return analyse(ctx).files;
}

function analyse(ctx: RuleContext): Analysis {
  const key = ctx.resolved();
  let found = analyses.get(key);
  if (!found) {
    found = computeAnalysis(ctx);
    analyses.set(key, found);
  }
  return found;
}

function computeAnalysis(ctx: RuleContext): Analysis {
  const runs: NetworkCodeRun[] = [];
  const all: Download[] = [];
  const byInstruction = new Map<Instruction, Command[]>();
  for (const { command, instruction } of ctx.resolved()) {
    const list = byInstruction.get(instruction);
    if (list) list.push(command);
    else byInstruction.set(instruction, [command]);
  }
  const starts = new Map<Instruction, Command[]>();
  for (const { command, instruction } of ctx.startCommands()) {
    const list = starts.get(instruction);
    if (list) list.push(command);
    else starts.set(instruction, [command]);
  }
  const written = writtenScripts(ctx);
  let map: SourceMap | undefined;
  const docMap = (): SourceMap => {
    map ??= new SourceMap(ctx.model.text);
    return map;
  };
  const stageStates = new Map<number, StageState>();
  let seq = 0;
  const workdir = new Map<number, string | undefined>();

  // ONBUILD triggers run in a later build, after every instruction of this one.
  const ordered = [...ctx.instructions].sort(
    (a, b) => Number(a.onbuild) - Number(b.onbuild) || a.index - b.index,
  );
  for (const inst of ordered) {
    let state = stageStates.get(inst.stage);
    if (!state) {
      const stage = ctx.stages[inst.stage];
      const parent = stage ? parentStage(ctx.stages, stage) : undefined;
      const from = parent ? stageStates.get(parent.index) : undefined;
      state = { downloads: [...(from?.downloads ?? [])], written: [...(from?.written ?? [])] };
      stageStates.set(inst.stage, state);
      if (parent) workdir.set(inst.stage, workdir.get(parent.index));
    }
    const when: RunTime = inst.onbuild ? 'downstream' : 'build';
    if (inst.keyword === 'WORKDIR' && !inst.onbuild) {
      const dir = expandText(ctx.model, inst, inst.argsText.trim());
      const prev = workdir.get(inst.stage);
      workdir.set(
        inst.stage,
        dir === undefined
          ? undefined
          : dir.startsWith('/')
            ? normalise(dir)
            : prev === undefined
              ? undefined
              : normalise(`${prev}/${dir}`),
      );
      continue;
    }
    if (inst.keyword === 'ADD' && !inst.onbuild) {
      for (const d of addDownloads(ctx, inst, workdir.get(inst.stage))) {
        const dl = { ...d, seq: ++seq };
        state.downloads.push(dl);
        all.push(dl);
      }
    }
    if (inst.keyword === 'COPY' && !inst.onbuild) {
      // COPY --from=<stage> of a file that stage fetched unchecked: still unchecked here.
      const from = inst.flags.find((f) => f.name.toLowerCase() === 'from')?.value?.toLowerCase();
      const source =
        from === undefined
          ? undefined
          : ctx.stages.find((st) => st.name === from || String(st.index) === from);
      const sourceState = source && source.index < inst.stage ? stageStates.get(source.index) : undefined;
      if (sourceState) {
        for (const d of copiedDownloads(inst, sourceState.downloads, workdir.get(inst.stage))) {
          const dl = { ...d, seq: ++seq };
          state.downloads.push(dl);
        }
      }
    }
    if (inst.keyword === 'COPY' || inst.keyword === 'RUN') {
      for (const w of written.get(inst) ?? [])
        state.written.push({ ...w, path: resolvePath(w.path, workdir.get(inst.stage)), seq: ++seq });
    }
    if (inst.keyword === 'SHELL' && inst.json) {
      runs.push(...shellInstruction(ctx, inst, state, docMap));
      continue;
    }
    const startCmds = starts.get(inst);
    if (startCmds) {
      const walk = walkCommands(
        startCmds,
        inst,
        'start',
        workdir.get(inst.stage),
        { downloads: [], written: state.written },
        () => ++seq,
        docMap,
      );
      runs.push(...walk.runs);
      continue;
    }
    const cmds = byInstruction.get(inst);
    if (inst.keyword === 'RUN') {
      runs.push(...shebangHeredocs(inst, when));
      if (!cmds) continue;
      const walk = walkCommands(cmds, inst, when, workdir.get(inst.stage), state, () => ++seq, docMap);
      runs.push(...walk.runs);
      for (const d of walk.downloads) all.push(d);
    }
  }
  const files = all.map((d) => ({
    path: d.path,
    tree: d.tree,
    label: d.label,
    instruction: d.instruction,
    loc: d.loc,
    verified: d.verifiedAt !== undefined,
  }));
  return { runs, files };
}

function addDownloads(ctx: RuleContext, inst: Instruction, cwd: string | undefined): Omit<Download, 'seq'>[] {
  const transfer = transferArgs(inst);
  if (!transfer) return [];
  const checksum = inst.flags.some((f) => f.name.toLowerCase() === 'checksum' && f.value);
  const destText = expandText(ctx.model, inst, transfer.dest) ?? transfer.dest;
  const intoDir = destText.endsWith('/') || transfer.sources.length > 1;
  const out: Omit<Download, 'seq'>[] = [];
  for (const source of transfer.sources) {
    const git = /^(git@[^:]+:|git:\/\/|ssh:\/\/)|^https?:\/\/[^#?]*\.git([#?]|$)/i.test(source);
    if (!git && !/^(https?|ftp):\/\//i.test(source)) continue;
    const pinned = git && /[#=]([0-9a-f]{40}([0-9a-f]{24})?)(:|&|$)/i.test(source);
    const dest = resolvePath(
      git || !intoDir ? destText : `${destText}/${urlName(source, 'index.html')}`,
      cwd,
    );
    const d: Omit<Download, 'seq'> & { verifiedAt?: number } = {
      path: dest,
      tree: git,
      label: `ADD ${source}`,
      instruction: inst,
      loc: inst.loc,
      ...(checksum || pinned ? { verifiedAt: 0 } : {}),
    };
    out.push(d);
  }
  return out;
}

function copiedDownloads(
  inst: Instruction,
  fetched: readonly Download[],
  cwd: string | undefined,
): Omit<Download, 'seq'>[] {
  const transfer = transferArgs(inst);
  if (!transfer) return [];
  const dest = resolvePath(transfer.dest, cwd);
  const intoDir = transfer.dest.endsWith('/') || transfer.sources.length > 1;
  const out: Omit<Download, 'seq'>[] = [];
  for (const raw of transfer.sources) {
    const src = resolvePath(raw, '/');
    for (const d of fetched) {
      if (d.verifiedAt !== undefined) continue;
      if (d.tree ? under(src, d.path) || under(d.path, src) : samePath(src, d.path)) {
        // A directory source lands its contents in dest; a file lands as dest or inside it.
        const path = d.tree || !intoDir ? dest : `${dest}/${baseName(src)}`;
        out.push({
          path,
          tree: d.tree || src !== d.path,
          label: d.label,
          instruction: d.instruction,
          loc: d.loc,
        });
      } else if (!d.tree && d.path.startsWith(`${src}/`)) {
        out.push({
          path: `${dest}/${d.path.slice(src.length + 1)}`,
          tree: false,
          label: d.label,
          instruction: d.instruction,
          loc: d.loc,
        });
      }
    }
  }
  return out;
}

// Scripts whose text the Dockerfile shows: COPY heredocs, context files copied in, RUN echo/cat heredoc > f.
function writtenScripts(
  ctx: RuleContext,
): Map<Instruction, { path: string; content: string; instruction: Instruction }[]> {
  const out = new Map<Instruction, { path: string; content: string; instruction: Instruction }[]>();
  const add = (instruction: Instruction, path: string, content: string): void => {
    const list = out.get(instruction) ?? [];
    list.push({ path, content, instruction });
    out.set(instruction, list);
  };
  for (const f of ctx.copiedFiles()) {
    if (f.destination !== undefined && f.content !== undefined) add(f.instruction, f.destination, f.content);
  }
  for (const w of fileWrites(ctx)) {
    if (w.via !== 'copy-heredoc' && w.mode !== 'edit') add(w.instruction, w.path, w.content);
  }
  return out;
}

// `RUN <<EOF` whose body starts with `#!/usr/bin/env python3`: BuildKit runs the body with that interpreter.
function shebangHeredocs(inst: Instruction, when: RunTime): NetworkCodeRun[] {
  if (
    inst.heredocs.length === 0 ||
    !/^<<-?["']?\w+["']?\s*$/.test((inst.argsText.split('\n')[0] ?? '').trim())
  )
    return [];
  const out: NetworkCodeRun[] = [];
  for (const h of inst.heredocs) {
    const found = shebangCode(h.body);
    if (found)
      out.push({
        instruction: inst,
        loc: h.loc,
        when,
        how: 'inline',
        source: found.fetch,
        runner: `${found.interpreter} (heredoc script) … ${found.exec}`,
      });
  }
  return out;
}

function shebangCode(text: string): { interpreter: string; fetch: string; exec: string } | undefined {
  const m = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(text);
  if (!m) return undefined;
  const interpreter = baseName(m[1] === '/usr/bin/env' || m[1] === 'env' ? (m[2] ?? '') : (m[1] ?? ''));
  if (!INTERPRETER.test(interpreter)) return undefined;
  const fam = family(interpreter);
  const fetch = FETCH_MARKERS[fam]?.exec(text);
  const exec = EXEC_MARKERS[fam]?.exec(text);
  return fetch && exec ? { interpreter, fetch: marker(fetch), exec: marker(exec) } : undefined;
}

// SHELL ["/bin/sh", "-c", "curl … | sh; …"] or SHELL ["/fetched/file"]: every later RUN runs it.
function shellInstruction(
  ctx: RuleContext,
  inst: Instruction,
  state: StageState,
  map: () => SourceMap,
): NetworkCodeRun[] {
  const argv = inst.json ?? [];
  const out: NetworkCodeRun[] = [];
  const first = argv[0] ?? '';
  const fetched = state.downloads.find(
    (d) => d.verifiedAt === undefined && (d.tree ? under(first, d.path) : samePath(normalise(first), d.path)),
  );
  if (fetched) {
    out.push({
      instruction: inst,
      loc: inst.loc,
      when: 'shell',
      how: 'file',
      source: fetched.label,
      runner: 'SHELL',
      file: fetched.path,
      otherLine: fetched.loc.line,
    });
  }
  // The SHELL's own script (`SHELL ["/bin/sh", "-c", "curl … | sh; …"]`), resolved by the stage evaluation.
  const script = ctx
    .shellScripts()
    .filter((r) => r.instruction === inst)
    .map((r) => r.command);
  if (script.length === 0) return out;
  const walk = walkCommands(script, inst, 'shell', undefined, { downloads: [], written: [] }, () => 0, map);
  out.push(...walk.runs.map((r) => ({ ...r, loc: inst.loc })));
  return out;
}

interface Walk {
  readonly runs: NetworkCodeRun[];
  readonly downloads: Download[];
}

/** Walks one instruction's commands in order: pipes, substitutions, inline code, downloads, verifications, file runs. */
function walkCommands(
  cmdsAsParsed: readonly Command[],
  inst: Instruction,
  when: RunTime,
  startDir: string | undefined,
  state: StageState,
  next: () => number,
  map: () => SourceMap,
): Walk {
  const cmds = withHiddenScripts(cmdsAsParsed, map);
  const runs: NetworkCodeRun[] = [];
  const downloads: Download[] = [];
  const verifications: Verification[] = [];
  const children = new Map<Command, Command[]>();
  const pipelines = new Map<string, Command[]>();
  for (const c of cmds) {
    if (c.parent) {
      const list = children.get(c.parent);
      if (list) list.push(c);
      else children.set(c.parent, [c]);
    }
    if (c.pipeline) {
      // A pipeline is one `a | b` of this instruction, in one script (the RUN, a substitution, an `sh -c` string).
      const key = pipelineKey(c);
      const list = pipelines.get(key);
      if (list) list.push(c);
      else pipelines.set(key, [c]);
    }
  }
  const seen = new Set<string>();
  const report = (r: NetworkCodeRun): void => {
    // `/x --version || /x -version` on one line is one finding.
    const key = `${r.loc.line}:${r.how}:${r.file ?? r.source}`;
    if (seen.has(key)) return;
    seen.add(key);
    runs.push(r);
  };

  // What runs a stream: the runner itself, or a command of its `sh -c` string that reads stdin as code.
  const stdinRunner = (c: Command, depth = 0): string | undefined => {
    const use = codeUse(c);
    if (use?.stdin) return use.runner;
    // A `-c` script (of a shell, or of su/runuser) passes its stdin to the commands in it.
    if (depth < 3 && (!use || use.runner.endsWith(' -c'))) {
      const label = use?.runner ?? `${programOf(c).name} -c`;
      for (const child of children.get(c) ?? []) {
        // bash -c "$(cat)": the script is what comes in.
        if (use && child.context === 'substitution' && readsStdin(child)) return `${label} "$(cat)"`;
        if (child.context !== 'sh-c' || (child.pipeline && child.pipeline.position > 0)) continue;
        const inner = stdinRunner(child, depth + 1);
        if (inner) return `${label} '… ${inner}'`;
      }
    }
    return undefined;
  };

  // What a command prints that is fetched: its own download, or that of a command of its `sh -c` string.
  const sourceOf = (c: Command, depth = 0): string | undefined => {
    const own = streamSource(c);
    if (own || depth >= 3) return own;
    // echo "$(curl …)" prints what it fetched.
    const printer = /^(echo|printf)$/.test(programOf(c).name);
    if (!printer && !codeUse(c)?.runner.endsWith(' -c')) return undefined;
    for (const child of children.get(c) ?? []) {
      if (child.context !== (printer ? 'substitution' : 'sh-c')) continue;
      const inner = sourceOf(child, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  };

  // The fetched stream that reaches a later stage of a pipeline (`curl u | gunzip | …`), if one does.
  const upstreamSource = (c: Command): string | undefined => {
    if (!c.pipeline || c.pipeline.position === 0 || consumes(c)) return undefined;
    const before = (pipelines.get(pipelineKey(c)) ?? [])
      .filter((o) => (o.pipeline?.position ?? 0) < (c.pipeline?.position ?? 0))
      .sort((a, b) => (b.pipeline?.position ?? 0) - (a.pipeline?.position ?? 0));
    for (const o of before) {
      const label = sourceOf(o);
      if (label) return label;
      if (swallows(o)) return undefined;
    }
    return undefined;
  };

  let cwd = startDir;
  for (const [i, c] of cmds.entries()) {
    const p = programOf(c);
    const seq = next();
    // 1. Inline interpreter code that both fetches and runs.
    if (INTERPRETER.test(p.name)) {
      const code = inlineCode(p, c);
      if (code) {
        const fam = family(p.name);
        const fetch = FETCH_MARKERS[fam]?.exec(`${p.args.join(' ')}\n${code.text}`);
        const exec = EXEC_MARKERS[fam]?.exec(code.text);
        if (fetch && exec) {
          report({
            instruction: inst,
            loc: c.loc,
            when,
            how: 'inline',
            source: marker(fetch),
            runner: `${p.name} ${code.flag} … ${marker(exec)}`,
          });
        }
      }
      if (p.name === 'deno' && p.args[0] === 'run') {
        const url = p.args.find((a) => /^https?:\/\//.test(a));
        if (url)
          report({ instruction: inst, loc: c.loc, when, how: 'inline', source: url, runner: 'deno run' });
      }
    }
    // 2. fetch | … | runner, within this pipeline only.
    const source = sourceOf(c);
    if (source && c.pipeline) {
      const later = (pipelines.get(pipelineKey(c)) ?? [])
        .filter((o) => (o.pipeline?.position ?? 0) > (c.pipeline?.position ?? 0))
        .sort((a, b) => (a.pipeline?.position ?? 0) - (b.pipeline?.position ?? 0));
      for (const o of later) {
        const runner = stdinRunner(o);
        if (runner) {
          report({ instruction: inst, loc: c.loc, when, how: 'pipe', source, runner });
          break;
        }
        if (swallows(o)) break;
      }
    }
    // 3. runner "$(fetch)", runner <(fetch).
    if (source && c.context === 'substitution' && c.parent) {
      const use = codeUse(c.parent);
      const name = c.name || p.name;
      const fed = c.parent.redirects.some(
        (r) => /^<<<?$/.test(r.op) && `${r.target} ${r.body ?? ''}`.includes(name),
      );
      const runner = fed ? stdinRunner(c.parent) : undefined;
      if (use && inCodeWord(c, c.parent, use)) {
        report({ instruction: inst, loc: c.loc, when, how: 'substitution', source, runner: use.runner });
      } else if (runner) {
        // source /dev/stdin <<< "$(curl …)": the here-string is the script.
        report({ instruction: inst, loc: c.loc, when, how: 'substitution', source, runner: `${runner} <<<` });
      }
    }
    // 4. A runner reading a stream from a network socket.
    const tcp = c.redirects.find((r) => r.op === '<' && /^\/dev\/(tcp|udp)\//.test(r.target));
    if (tcp && stdinRunner(c)) {
      report({
        instruction: inst,
        loc: c.loc,
        when,
        how: 'pipe',
        source: `a read from ${tcp.target}`,
        runner: codeUse(c)?.runner ?? p.name,
      });
    }
    // 5. Verifications between a download and its run.
    if (isVerification(c, c.pipeline ? (pipelines.get(pipelineKey(c)) ?? []) : []))
      verifications.push({ text: verificationText(c, cmds, i), seq });
    // 6. Files run: the script operand, `. f`, `sh < f`, `cat f | sh`, `sh -c "$(cat f)"`, a path or a PATH lookup.
    const anyFile = state.downloads.length + downloads.length + state.written.length > 0;
    for (const { path, runner, bare } of anyFile ? filesRun(c, p, pipelines, stdinRunner) : []) {
      const abs = resolvePath(path, cwd);
      const candidates = bare ? PATH_DIRS.map((d) => `${d}/${path}`) : [abs];
      const pool = [...state.downloads, ...downloads];
      const dl = pool.find(
        (d) =>
          d.seq < seq &&
          (!bare || d.path.startsWith('/')) &&
          candidates.some((x) => (d.tree ? under(x, d.path) : samePath(x, d.path))) &&
          !covered(d, pool, verifications, seq),
      );
      if (dl) {
        report({
          instruction: inst,
          loc: c.loc,
          when,
          how: 'file',
          source: dl.label,
          runner,
          file: dl.tree ? abs : dl.path,
          ...(dl.instruction !== inst ? { otherLine: dl.loc.line } : {}),
        });
        continue;
      }
      const script = [...state.written]
        .reverse()
        .find(
          (w) =>
            w.seq < seq && (!bare || w.path.startsWith('/')) && candidates.some((x) => samePath(x, w.path)),
        );
      const inner = script ? scriptOf(script) : undefined;
      if (script && inner) {
        report({
          instruction: inst,
          loc: c.loc,
          when,
          how: 'script',
          source: inner.source,
          runner,
          file: script.path,
          ...(script.instruction !== inst ? { otherLine: script.instruction.loc.line } : {}),
          inner: { text: inner.text, line: inner.line },
        });
      }
    }
    // 7. Downloads (after the checks above, so `curl -o f u && sh f` needs the later command).
    const fetch = fetchOf(c);
    if (fetch) {
      for (const f of fetch.files)
        downloads.push(download(resolvePath(f, cwd), false, fetch.label, inst, c, next()));
      for (const t of fetch.trees)
        downloads.push(download(resolvePath(t, cwd), true, fetch.label, inst, c, next()));
    }
    // `curl u > f`, `curl u | tee f`, `curl u | gunzip > f`: the fetched stream lands in a file.
    const landed = source ?? upstreamSource(c);
    if (landed) {
      const files = c.redirects
        .filter(
          (r) =>
            /^(>|>>|>\||&>|&>>)$/.test(r.op) &&
            (r.fd === undefined || r.fd === '1') &&
            !STDOUT_FILE.test(r.target) &&
            r.target !== '/dev/null',
        )
        .map((r) => r.target);
      if (p.name === 'tee') files.push(...p.args.filter((a) => !a.startsWith('-') && !STDOUT_FILE.test(a)));
      if (p.name === 'dd') files.push(...p.args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)));
      for (const f of files) downloads.push(download(resolvePath(f, cwd), false, landed, inst, c, next()));
    }
    // cp/mv/install of a fetched file: the copy is fetched too.
    if (p.name === 'cp' || p.name === 'mv' || p.name === 'install' || p.name === 'ln') {
      const ops = operands({ args: p.args }, PUT_VALUE_FLAGS);
      const dest = ops.at(-1);
      const pool = [...state.downloads, ...downloads];
      for (const src of ops.slice(0, -1)) {
        const abs = resolvePath(src, cwd);
        const dl = pool.find((d) => (d.tree ? under(abs, d.path) : samePath(abs, d.path)));
        // A copy of a checked file is as good as the file.
        if (dl && dest !== undefined && !covered(dl, pool, verifications, seq)) {
          const target = resolvePath(dest, cwd);
          // Copying a clone's root copies a tree; a file in it is a file.
          const copy = { ...dl, tree: dl.tree && samePath(abs, dl.path), seq: next() };
          downloads.push({ ...copy, path: target }, { ...copy, path: `${target}/${baseName(abs)}` });
        }
      }
    }
    // cd changes where relative paths point for the rest of the script.
    if ((p.name === 'cd' || p.name === 'pushd') && c.context !== 'substitution') {
      const dir = p.args.find((a) => !a.startsWith('-'));
      // With the working directory unknown, a relative one is kept relative (`tools`), to match relative downloads.
      cwd = dir === undefined || dir === '-' ? undefined : resolvePath(dir, cwd);
    }
  }
  // Verifications seen in this instruction mark earlier downloads checked for later instructions.
  const pool = [...state.downloads, ...downloads];
  for (const d of pool) {
    if (d.verifiedAt !== undefined) continue;
    const v = verifications.find((x) => x.seq > d.seq && coversText(d, x.text, pool));
    if (v) d.verifiedAt = v.seq;
  }
  state.downloads.push(...downloads);
  return { runs, downloads };
}

function readsStdin(c: Command): boolean {
  const { name, args } = programOf(c);
  return name === 'cat' && args.every((a) => a === '-' || a === '/dev/stdin' || a.startsWith('-'));
}

/**
 * The commands with the scripts the shell parser leaves as text parsed in: `sudo sh -c '…'`, `env bash -c '…'`,
 * `su -c '…'`, `runuser -c '…'` (wrappers hide the shell from it). Each nested command reports at its runner.
 */
function withHiddenScripts(cmds: readonly Command[], map: () => SourceMap, depth = 0): readonly Command[] {
  if (depth > 2) return cmds;
  const parsed = new Set<Command | undefined>();
  for (const c of cmds) if (c.context === 'sh-c') parsed.add(c.parent);
  let out: Command[] | undefined;
  for (const [i, c] of cmds.entries()) {
    const script = parsed.has(c) ? undefined : hiddenScript(c);
    if (script === undefined) {
      out?.push(c);
      continue;
    }
    out ??= cmds.slice(0, i);
    out.push(c);
    const nested = parseShell(script, {
      map: map(),
      offset: -1,
      fallback: c.start,
      context: 'sh-c',
      parent: c,
    });
    out.push(...withHiddenScripts(nested.commands, map, depth + 1));
  }
  return out ?? cmds;
}

function hiddenScript(c: Command): string | undefined {
  const p = programOf(c);
  if (p.name === 'su' || p.name === 'runuser') {
    for (let i = 0; i < p.args.length; i++) {
      const a = p.args[i] ?? '';
      if (a === '-c' || a === '--command')
        return c.words[p.offset + i + 1]?.literal ? p.args[i + 1] : undefined;
      if (a.startsWith('--command=')) return c.words[p.offset + i]?.literal ? a.slice(10) : undefined;
      if (a === '-s' || a === '--shell' || a === '-g' || a === '-G' || a === '--group') i++;
    }
    return undefined;
  }
  // Plain `sh -c` (and `busybox sh -c`) strings are parsed with the RUN already.
  if (p.wrappers.length === 0 || !SHELLS.has(p.name)) return undefined;
  const use = codeUse(c);
  if (!use?.runner.endsWith(' -c') || use.codeWord === undefined) return undefined;
  const word = c.words[use.codeWord];
  return word?.literal ? word.value : undefined;
}

function download(
  path: string,
  tree: boolean,
  label: string,
  instruction: Instruction,
  cmd: Command,
  seq: number,
): Download {
  return { path, tree, label, instruction, loc: cmd.loc, seq };
}

// The text a verification names: its arguments, its heredoc, and what earlier stages of its pipeline print.
function verificationText(c: Command, cmds: readonly Command[], index: number): string {
  const parts = [...c.args, ...c.redirects.map((r) => `${r.target} ${r.body ?? ''}`)];
  if (c.pipeline && c.pipeline.position > 0) {
    for (let j = index - 1; j >= 0; j--) {
      const o = cmds[j];
      if (o?.pipeline?.id === c.pipeline.id && o.context === c.context) parts.push(o.name, ...o.args);
    }
  }
  if (c.parent) parts.push(...c.parent.args);
  return parts.join(' ');
}

function covered(
  d: Download,
  pool: readonly Download[],
  verifications: readonly Verification[],
  runSeq: number,
): boolean {
  if (d.verifiedAt !== undefined && d.verifiedAt < runSeq) return true;
  return verifications.some((v) => v.seq > d.seq && v.seq < runSeq && coversText(d, v.text, pool));
}

// A check names the file it checks; a check of a list (`sha256sum -c SHA256SUMS`) that names no other download counts too.
function coversText(d: Download, text: string, pool: readonly Download[]): boolean {
  const name = baseName(d.path);
  if (name !== '' && text.includes(name)) return true;
  return !pool.some((o) => o !== d && baseName(o.path) !== '' && text.includes(baseName(o.path)));
}

/** A label for a command whose standard output is fetched or decoded code, or undefined. */
function streamSource(c: Command): string | undefined {
  const fetch = fetchOf(c);
  if (fetch?.stdout) return fetch.label;
  return decoderOf(c);
}

// Whether a substitution sits in the argument that holds the runner's code (not in data arguments after it).
function inCodeWord(child: Command, parent: Command, use: CodeUse): boolean {
  if (use.codeWord === undefined) return false;
  const name = child.name || programOf(child).name;
  const has = (raw: string | undefined) =>
    raw !== undefined && /\$\(|`|<\(/.test(raw) && (name === '' || raw.includes(name));
  if (use.codeWord === -1) return parent.words.some((w) => has(w.raw));
  // A name computed by `$(curl …)` runs the output as a command.
  if (use.codeWord === -2) return !parent.words.some((w) => has(w.raw));
  return has(parent.words[use.codeWord]?.raw);
}

function filesRun(
  c: Command,
  p: Program,
  pipelines: ReadonlyMap<string, Command[]>,
  stdinRunner: (c: Command) => string | undefined,
): { path: string; runner: string; bare?: boolean }[] {
  const out: { path: string; runner: string; bare?: boolean }[] = [];
  const use = codeUse(c);
  if (use?.file !== undefined && !/^(-|\/dev\/stdin|<\(.*)$/s.test(use.file)) {
    out.push({ path: use.file, runner: use.runner === use.file ? DIRECT : use.runner });
  } else if (use === undefined && /^[\w.+-]+$/.test(p.name) && !BUILTINS.has(p.name)) {
    // A bare name: the shell finds it on PATH (a fetched binary put in /usr/local/bin runs by name).
    out.push({ path: p.name, runner: DIRECT, bare: true });
  }
  const runner = stdinRunner(c);
  if (runner) {
    for (const r of c.redirects)
      if (r.op === '<' && !/^\/dev\//.test(r.target)) out.push({ path: r.target, runner: `${runner} <` });
  }
  if (p.name === 'cat') {
    const files = p.args.filter((a) => !a.startsWith('-'));
    // cat f | sh
    if (c.pipeline) {
      const later = (pipelines.get(pipelineKey(c)) ?? []).filter(
        (o) => (o.pipeline?.position ?? 0) > (c.pipeline?.position ?? 0),
      );
      const r = later.map((o) => stdinRunner(o)).find((x) => x !== undefined);
      if (r) for (const f of files) out.push({ path: f, runner: `cat … | ${r}` });
    }
    // sh -c "$(cat f)", eval "$(cat f)"
    if (c.context === 'substitution' && c.parent) {
      const parentUse = codeUse(c.parent);
      if (parentUse && inCodeWord(c, c.parent, parentUse)) {
        for (const f of files) out.push({ path: f, runner: `${parentUse.runner} "$(cat …)"` });
      }
    }
  }
  return out;
}

const DIRECT = '(run directly)';

function pipelineKey(c: Command): string {
  return `${c.pipeline?.id}|${c.context}|${c.parent?.start ?? -1}|${c.parent?.name ?? ''}`;
}

// Names that are never files on PATH worth following.
const BUILTINS = new Set(
  'cd echo printf test [ true false exit export set unset read shift return trap wait exec command type hash umask ulimit alias local declare readonly getopts let times kill pwd cat ls cp mv rm mkdir chmod chown ln tar gzip unzip apt-get apt apk yum dnf microdnf zypper pip pip3 npm yarn pnpm gem go make cmake gcc cc sed awk grep find xargs tee curl wget git sha256sum sha512sum gpg useradd groupadd adduser addgroup dpkg rpm ldconfig update-ca-certificates'.split(
    ' ',
  ),
);

/** What a script the build wrote or copied does, when it downloads and runs code; parsed only when it mentions a fetch. */
// A script run many times is read once (an attacker's file may run one large script a thousand times).
function scriptOf(w: Written): { source: string; text: string; line: number } | undefined {
  let found = scriptResults.get(w);
  if (found === undefined) {
    found = scriptDoes(w.content) ?? null;
    scriptResults.set(w, found);
  }
  return found ?? undefined;
}

const scriptResults = new WeakMap<Written, { source: string; text: string; line: number } | null>();

function scriptDoes(content: string): { source: string; text: string; line: number } | undefined {
  let found: { source: string; text: string; line: number } | undefined;
  const shebang = shebangCode(content);
  if (shebang)
    found = {
      source: shebang.fetch,
      text: `${shebang.interpreter} fetches code (${shebang.fetch}) and runs it (${shebang.exec})`,
      line: 1,
    };
  else if (
    /curl|wget|fetch|https?:|\bnc\b|ncat|base64|xxd|git|s_client|\/dev\/tcp|urlopen|LWP|open-uri|file_get_contents/.test(
      content,
    )
  ) {
    const map = new SourceMap(content);
    const script = parseShell(content, { map, offset: 0, fallback: 0, context: 'run' });
    const walk = walkCommands(
      script.commands,
      SCRIPT_INSTRUCTION,
      'build',
      undefined,
      { downloads: [], written: [] },
      counter(),
      () => map,
    );
    const first = walk.runs[0];
    if (first) found = { source: first.source, text: describe(first), line: first.loc.line };
  }
  return found;
}

function counter(): () => number {
  let n = 0;
  return () => ++n;
}

// Stand-in instruction for commands of a script file, which belongs to no instruction.
const SCRIPT_INSTRUCTION: Instruction = {
  index: -1,
  keyword: 'SCRIPT',
  onbuild: false,
  loc: { line: 0, column: 0 },
  endLine: 0,
  start: 0,
  end: 0,
  args: [],
  argsText: '',
  flags: [],
  json: null,
  properties: [],
  heredocs: [],
  stage: -1,
};

/** One sentence saying what downloads and what runs it, without the advice. */
export function describe(r: NetworkCodeRun): string {
  const where = r.otherLine !== undefined ? ` at line ${r.otherLine}` : '';
  const fetched = / data$/.test(r.source) ? `holding ${r.source}` : `downloaded by ${r.source}${where}`;
  switch (r.how) {
    case 'pipe':
      return `${r.source} output is piped into ${r.runner}`;
    case 'substitution':
      return `${r.source} output is run by ${r.runner} through a command substitution`;
    case 'inline': {
      if (r.runner === 'deno run') return `deno run runs ${r.source} straight from the network`;
      const [runner, exec = 'exec'] = r.runner.split(' … ');
      return `${runner} fetches code (${r.source}) and runs it (${exec})`;
    }
    case 'file':
      if (r.runner === 'SHELL')
        return `SHELL names ${r.file}, ${fetched}, with no checksum or signature check`;
      if (r.runner === DIRECT)
        return `${r.file} is executed, ${fetched}, with no checksum or signature check in between`;
      return `${r.runner} runs ${r.file}, ${fetched}, with no checksum or signature check in between`;
    case 'script': {
      const by = where ? `written by the instruction${where}` : 'written in this instruction';
      const runs = r.runner === DIRECT ? `${r.file} is executed` : `${r.runner} runs ${r.file}`;
      return `${runs} (${by}), and that script downloads and runs code: ${r.inner?.text ?? r.source} (its line ${r.inner?.line ?? 1})`;
    }
  }
}
