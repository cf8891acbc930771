import type { Command } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { commandInput } from '../file-writes.js';
import {
  abbreviates,
  aptOptionValues,
  type ConfigText,
  checkedCommands,
  configTexts,
  type EnvSetting,
  envSettings,
  isLocalHost,
  isRemoteHttp,
  matchingLines,
  optionValues,
  readAs,
  toolCall,
} from '../insecure-settings.js';
import { matchInstruction } from '../instruction-text.js';
import { defineRule, type RuleContext, type RuleFinding, type RunCommand } from '../rule.js';

const PLAIN = (url: string) =>
  `package index ${url} is plain HTTP, so anyone on the network path can swap packages`;
const hostsOf = (value: string) => value.split(/[\s,]+/).filter((h) => h !== '');
const remoteHosts = (value: string) => hostsOf(value).filter((h) => !isLocalHost(h));

// npm reads a boolean setting's text as false for `false`, `null` and any number equal to 0.
const npmFalse = (v: string) =>
  /^(false|null)$/.test(v.trim()) || (/^[\d.]+$/.test(v.trim()) && Number(v) === 0);
// git's booleans: false, no, off, 0 and the empty value, any case.
const gitFalse = (v: string) => /^(false|no|off|0|)$/i.test(v.trim());
// libdnf/yum, conda and most INI readers.
const iniFalse = (v: string) => /^(false|no|off|0)$/i.test(v.trim().replace(/^["']|["']$/g, ''));

// ---------------------------------------------------------------- environment variables

type EnvCheck = (name: string, value: string) => string | undefined;

const ENV_CHECKS: readonly EnvCheck[] = [
  // Node compares the text with '0' exactly.
  (n, v) =>
    n === 'NODE_TLS_REJECT_UNAUTHORIZED' && v === '0'
      ? 'NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any TLS certificate'
      : undefined,
  // git only asks whether it is set.
  (n) =>
    n === 'GIT_SSL_NO_VERIFY'
      ? 'GIT_SSL_NO_VERIFY set (to any value) makes git skip certificate verification'
      : undefined,
  (n, v) =>
    n === 'PYTHONHTTPSVERIFY' && v === '0'
      ? 'PYTHONHTTPSVERIFY=0 makes Python skip certificate verification'
      : undefined,
  // npm reads npm_config_* in any case, with `_` for `-`.
  (n, v) =>
    /^npm_config_strict_ssl$/i.test(n) && npmFalse(v)
      ? `${n}=${v} makes npm/yarn/pnpm accept any registry certificate`
      : undefined,
  (n, v) =>
    (/^yarn_strict_ssl$/i.test(n) && npmFalse(v)) || (n === 'YARN_ENABLE_STRICT_SSL' && /^(false|0)$/.test(v))
      ? `${n}=${v} makes yarn accept any registry certificate`
      : undefined,
  // pip reads PIP_<NAME> with the prefix in capitals and the rest in any case.
  (n, v) => {
    if (!/^PIP_trusted_host$/i.test(n) || !n.startsWith('PIP_')) return undefined;
    const hosts = remoteHosts(v);
    return hosts.length > 0
      ? `pip trusted-host ${hosts.join(' ')} turns off certificate verification for that host`
      : undefined;
  },
  (n, v) => {
    if (!/^UV_INSECURE_HOST$/.test(n)) return undefined;
    const hosts = remoteHosts(v);
    return hosts.length > 0
      ? `uv insecure host ${hosts.join(' ')} skips certificate verification`
      : undefined;
  },
  (n, v) => {
    const index =
      (n.startsWith('PIP_') && /^PIP_(extra_)?index_url$/i.test(n)) ||
      /^UV_(EXTRA_INDEX_URL|INDEX_URL|INDEX|DEFAULT_INDEX)$/.test(n) ||
      /^npm_config_registry$/i.test(n) ||
      n === 'YARN_REGISTRY' ||
      n === 'YARN_NPM_REGISTRY_SERVER';
    const url = index ? v.split(/\s+/).find(isRemoteHttp) : undefined;
    return url ? PLAIN(url) : undefined;
  },
  (n, v) =>
    n === 'GOINSECURE' && v.trim() !== ''
      ? `Go \`GOINSECURE=${v}\` fetches those modules without TLS verification`
      : undefined,
  (n, v) =>
    n === 'GOFLAGS' && v.split(/\s+/).includes('-insecure')
      ? 'Go `GOFLAGS=-insecure` fetches modules without TLS verification'
      : undefined,
  // requests before 2.28 took an empty CURL_CA_BUNDLE as verify="" (off); botocore and the AWS CLI
  // do so with an empty REQUESTS_CA_BUNDLE/AWS_CA_BUNDLE. A path such as /dev/null fails closed.
  (n, v) =>
    (n === 'CURL_CA_BUNDLE' || n === 'REQUESTS_CA_BUNDLE' || n === 'AWS_CA_BUNDLE') && v === ''
      ? `an empty ${n} turns certificate verification off in Python requests/botocore`
      : undefined,
  (n, v) =>
    n === 'CONDA_SSL_VERIFY' && iniFalse(v) ? `${n}=${v} makes conda accept any certificate` : undefined,
  (n, v) =>
    n === 'BUNDLE_SSL_VERIFY_MODE' && v.trim() === '0'
      ? 'BUNDLE_SSL_VERIFY_MODE=0 (OpenSSL VERIFY_NONE) makes Bundler accept any certificate'
      : undefined,
  // git's own encoding of `git -c` for child processes: 'http.sslverify'='false'.
  (n, v) =>
    n === 'GIT_CONFIG_PARAMETERS' && /'http\.([^']*\.)?sslverify'(='(false|no|off|0)?')?/i.test(v)
      ? 'GIT_CONFIG_PARAMETERS with http.sslVerify false makes git skip certificate verification'
      : undefined,
  (n, v) =>
    /^(MAVEN_OPTS|MAVEN_ARGS|JAVA_TOOL_OPTIONS)$/.test(n) && MAVEN_INSECURE.test(v)
      ? `Maven \`${MAVEN_INSECURE.exec(v)?.[0]}\` accepts any repository certificate`
      : undefined,
];

const MAVEN_INSECURE =
  /-D(maven\.wagon\.http\.ssl\.(insecure|allowall)=true|aether\.connector\.https\.securityMode=insecure)\b/;

// GIT_CONFIG_COUNT=n with GIT_CONFIG_KEY_i / GIT_CONFIG_VALUE_i (i < n) is `git -c` through the environment.
function gitConfigEnv(env: readonly EnvSetting[]): EnvSetting | undefined {
  const last = new Map<string, EnvSetting>();
  for (const e of env) last.set(e.name, e);
  const count = Number(last.get('GIT_CONFIG_COUNT')?.value ?? 'x');
  if (!Number.isInteger(count)) return undefined;
  for (let i = 0; i < count && i < 100; i++) {
    const key = last.get(`GIT_CONFIG_KEY_${i}`);
    const value = last.get(`GIT_CONFIG_VALUE_${i}`);
    if (key && value && /^http\.(.*\.)?sslverify$/i.test(key.value.trim()) && gitFalse(value.value))
      return key;
  }
  return undefined;
}

// ---------------------------------------------------------------- commands

// curl short options that take a value: in `-fsSLo/tmp/k` everything after `o` is the value, not flags.
const CURL_VALUE_LETTERS = new Set('AbcCdDEeFHhKmoPQrTtuUwxXyYz');

// curl long options that take the next word as their value (so `--user-agent -k` sets no flag).
const CURL_VALUE_OPTIONS = new Set(
  `--output --header --data --data-raw --data-binary --data-urlencode --user --user-agent --referer --request --url
  --config --cacert --capath --cert --key --proxy --proxy-user --cookie --cookie-jar --form --upload-file --range
  --max-time --connect-timeout --retry --write-out --dump-header --resolve --connect-to --output-dir`.split(
    /\s+/,
  ),
);

// wget's values for check_certificate that skip the check.
const WGET_OFF = /^\s*(off|no|0|quiet)\s*$/i;

function curlInsecure(args: readonly string[]): boolean {
  // curl applies options in order, so `--no-insecure` after `-k` turns verification back on (and the reverse off).
  const off = { insecure: false, proxy: false, doh: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    // curl, like getopt_long, takes any unambiguous start of a long option (`--ins` is --insecure).
    if (abbreviates(a, '--insecure', 5)) off.insecure = true;
    else if (abbreviates(a, '--proxy-insecure', 9)) off.proxy = true;
    else if (abbreviates(a, '--doh-insecure', 7)) off.doh = true;
    else if (a === '--no-insecure') off.insecure = false;
    else if (a === '--no-proxy-insecure') off.proxy = false;
    else if (a === '--no-doh-insecure') off.doh = false;
    else if (CURL_VALUE_OPTIONS.has(a)) i++;
    else if (a.startsWith('-') && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        if (ch === 'k') off.insecure = true;
        if (CURL_VALUE_LETTERS.has(ch)) {
          // The value is the rest of the word, or the next word when the letter ends the group.
          if (j === a.length - 1) i++;
          break;
        }
      }
    }
  }
  return off.insecure || off.proxy || off.doh;
}

const PIP_LONG = ['--trusted-host', '--index-url', '--extra-index-url'];
function pipLongOption(arg: string): string {
  const [name = '', value] = arg.split(/=(.*)/s);
  const full = name.length >= 9 ? PIP_LONG.find((o) => o.startsWith(name)) : undefined;
  return full === undefined ? arg : value === undefined ? full : `${full}=${value}`;
}

const PIP_INDEX_FLAGS = ['i', 'index-url', 'extra-index-url', 'index', 'default-index', 'find-links', 'f'];
// `verify=0` is as false as `verify=False` to Python.
const PYTHON_TLS_OFF =
  /ssl\._create_unverified_context|_create_default_https_context\s*=|\bverify\s*=\s*(False|0)\b|\bCERT_NONE\b|check_hostname\s*=\s*False/;
const NODE_TLS_OFF = /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["'`]?0/;

// Every tool commandWhy knows, besides pip* and python*.
const TOOLS = new Set(
  `curl wget wget2 conda mamba micromamba git uv npm yarn pnpm npx corepack apt apt-get aptitude yum dnf dnf5 microdnf
  tdnf yum-config-manager zypper gem bundle bundler composer mvn mvnw gradle gradlew poetry helm kubectl oc skopeo
  buildah podman docker crane regctl oras aws go node nodejs aria2c http https xh xhs svn`.split(/\s+/),
);

/** Why a command (by the tool that honours the option) turns verification off, or undefined. */
function commandWhy(ctx: RuleContext, run: RunCommand): string | undefined {
  const { name, args } = toolCall(run.command);
  // Most commands are none of these tools: leave before building any text.
  if (!TOOLS.has(name) && !/^(pip|python)[0-9.]*$/.test(name)) return undefined;
  const joined = ` ${args.join(' ')} `;
  if (name === 'curl' && curlInsecure(args)) return 'curl -k/--insecure accepts any server certificate';
  if (name === 'wget' || name === 'wget2') {
    // getopt_long: any unambiguous start (`--no-ch`), and `--check-certificate=off` (or `quiet`: no check, no warning).
    if (args.some((a) => abbreviates(a, '--no-check-certificate', 7)))
      return 'wget --no-check-certificate skips certificate verification';
    const flag = args.find((a) => {
      const [opt = '', value] = a.split(/=(.*)/s);
      return value !== undefined && abbreviates(opt, '--check-certificate', 7) && WGET_OFF.test(value);
    });
    if (flag) return `wget ${flag} skips certificate verification`;
    const e = optionValues(args, 'e', 'execute').find((v) => {
      const m = /^check[-_]?certificate\s*=\s*(.*)$/i.exec(v);
      return m !== null && WGET_OFF.test(m[1] ?? '');
    });
    if (e) return `wget -e ${e} skips certificate verification`;
  }
  if (['conda', 'mamba', 'micromamba'].includes(name)) {
    if (args.includes('--insecure') || args.includes('-k'))
      return `${name} --insecure skips certificate verification`;
    const m = /\s--set\s+ssl_verify\s+(\S+)\s/.exec(joined);
    if (m && iniFalse(m[1] ?? '')) return `${name} config ssl_verify ${m[1]} accepts any certificate`;
  }
  if (name === 'git') {
    const m = /[\s=]([\w.:/-]*\.)?sslverify(=|\s+)(\S*)\s/i.exec(joined);
    const viaC = optionValues(args, 'c').find((v) => /^http\.(.*\.)?sslverify=/i.test(v));
    if (viaC && gitFalse(viaC.split('=').slice(1).join('=')))
      return `git -c ${viaC} skips certificate verification`;
    if (m && args.includes('config') && m[3] !== undefined && m[3] !== '' && gitFalse(m[3]))
      return `git config ${m[0].trim()} turns off certificate verification`;
  }
  if (/^pip[0-9.]*$/.test(name) || name === 'uv') {
    // pip's optparse takes any unambiguous start of a long option (`--trusted pypi.org`).
    const full = name === 'uv' ? args : args.map(pipLongOption);
    for (const v of optionValues(full, 'trusted-host', 'allow-insecure-host')) {
      const hosts = remoteHosts(v);
      if (hosts.length > 0)
        return `pip trusted-host ${hosts.join(' ')} turns off certificate verification for that host`;
    }
    const url = optionValues(full, ...PIP_INDEX_FLAGS).find(isRemoteHttp);
    if (url) return PLAIN(url);
    const set =
      /\sconfig\s+(?:--\S+\s+)*set\s+(?:[\w-]+\.)?(trusted-host|index-url|extra-index-url)\s+(\S+)/.exec(
        joined,
      );
    if (set?.[1] === 'trusted-host' && remoteHosts(set[2] ?? '').length > 0)
      return `pip config trusted-host ${set[2]} turns off certificate verification for that host`;
    if (set && set[1] !== 'trusted-host' && isRemoteHttp(set[2] ?? '')) return PLAIN(set[2] ?? '');
  }
  if (['npm', 'yarn', 'pnpm', 'npx', 'corepack'].includes(name)) {
    const flag = optionValues(args, 'strict-ssl').find(npmFalse);
    if (flag !== undefined || args.includes('--no-strict-ssl'))
      return `${name} --strict-ssl=false accepts any registry certificate`;
    const set =
      /\s(?:config\s+)?set\s+(?:--\S+\s+)*(strict-ssl|strict_ssl|enableStrictSsl|registry|npmRegistryServer)(?:=|\s+)(\S+)/.exec(
        joined,
      );
    if (set && /strict/i.test(set[1] ?? '') && npmFalse(set[2] ?? ''))
      return `${name} config set ${set[1]} ${set[2]} accepts any registry certificate`;
    if (set && /registry/i.test(set[1] ?? '') && isRemoteHttp(set[2] ?? '')) return PLAIN(set[2] ?? '');
    const reg = optionValues(args, 'registry').find(isRemoteHttp);
    if (reg) return PLAIN(reg);
  }
  if (/^(apt|apt-get|aptitude)$/.test(name)) {
    const o = aptOptionValues(args).find((v) =>
      /^Acquire::https(::[^=]+)?::Verify-(Peer|Host)=(false|no|off|0|without|disable)$/i.test(v),
    );
    if (o) return `apt -o ${o} accepts any repository certificate`;
  }
  if (/^(yum|dnf|dnf5|microdnf|tdnf|yum-config-manager|zypper)$/.test(name)) {
    const o = optionValues(args, 'setopt').find(
      (v) => /^([\w.*-]+\.)?sslverify=/i.test(v) && iniFalse(v.split('=')[1] ?? ''),
    );
    if (o) return `${name} --setopt=${o} accepts any repository certificate`;
  }
  if (name === 'gem' || name === 'bundle' || name === 'bundler') {
    const url = [...optionValues(args, 'source', 'add', 'a')].find(isRemoteHttp);
    if (url) return PLAIN(url);
    if (/\sconfig\s+(?:set\s+)?(?:--\S+\s+)*ssl_verify_mode\s+0\s/.test(joined))
      return 'Bundler ssl_verify_mode 0 (OpenSSL VERIFY_NONE) accepts any certificate';
  }
  if (name === 'composer') {
    const m = /\sconfig\s+(?:-\S+\s+)*(secure-http\s+(false|0)|disable-tls\s+(true|1))\s/.exec(joined);
    if (m) return `composer config ${m[1]} allows unverified or plain-HTTP downloads`;
  }
  if (/^(mvn|mvnw|gradle|gradlew)$/.test(name)) {
    const m = args.find((a) => MAVEN_INSECURE.test(a));
    if (m) return `Maven \`${m}\` accepts any repository certificate`;
  }
  if (name === 'poetry') {
    const m = /\sconfig\s+(?:-\S+\s+)*(certificates\.[\w.-]+\.cert)\s+(false|0)\s/.exec(joined);
    if (m) return `poetry config ${m[1]} false turns off certificate verification for that repository`;
  }
  if (['helm', 'kubectl', 'oc'].includes(name)) {
    if (args.some((a) => a === '--insecure-skip-tls-verify' || a === '--insecure-skip-tls-verify=true'))
      return 'insecure-skip-tls-verify makes helm/kubectl accept any server certificate';
  }
  if (['skopeo', 'buildah', 'podman', 'docker', 'crane', 'regctl', 'oras'].includes(name)) {
    const m = /\s(--(src-|dest-)?tls-verify)(=|\s+)false\s/.exec(joined);
    if (m) return `\`${m[0].trim()}\` makes ${name} accept any registry certificate`;
    if (['crane', 'oras'].includes(name) && args.includes('--insecure'))
      return `${name} --insecure accepts any registry certificate`;
  }
  if (name === 'aria2c') {
    // aria2c --check-certificate[=true|false]: the value is optional, so only the `=false` spelling is one.
    if (args.includes('--check-certificate=false'))
      return 'aria2c --check-certificate=false accepts any server certificate';
  }
  if (['http', 'https', 'xh', 'xhs'].includes(name)) {
    // HTTPie and xh: --verify=no|false turns the check off; any other value is a CA bundle path or yes.
    const v = optionValues(args, 'verify').find((x) => /^(no|false)$/i.test(x.trim()));
    if (v !== undefined) return `${name} --verify=${v} accepts any server certificate`;
  }
  if (name === 'svn') {
    const flag = args.find((a) => /^--trust-server-cert(-failures)?(=|$)/.test(a));
    if (flag) return `svn ${flag} accepts server certificates that fail verification`;
  }
  if (name === 'aws' && args.includes('--no-verify-ssl'))
    return 'aws --no-verify-ssl accepts any certificate for AWS API calls';
  if (name === 'go' && args[0] === 'get' && args.includes('-insecure'))
    return 'go get -insecure fetches modules without TLS verification';
  if (/^python[0-9.]*$/.test(name)) {
    const code = pythonCode(ctx, run, args);
    const m = code === undefined ? null : PYTHON_TLS_OFF.exec(code);
    if (m) return `the Python code turns certificate verification off (\`${m[0]}\`)`;
  }
  if (name === 'node' || name === 'nodejs') {
    const code = optionValues(args, 'e', 'eval', 'p', 'print')[0];
    const m = code === undefined ? null : NODE_TLS_OFF.exec(code);
    if (m) return `the Node.js code turns certificate verification off (\`${m[0]}\`)`;
  }
  return undefined;
}

// The code a python command runs when the Dockerfile shows it: `-c code`, or its stdin (a heredoc).
function pythonCode(ctx: RuleContext, run: RunCommand, args: readonly string[]): string | undefined {
  const c = args.indexOf('-c');
  if (c >= 0) return args[c + 1];
  const script = args.find((a) => !a.startsWith('-') || a === '-');
  if (script === undefined || script === '-') return commandInput(ctx, run);
  // A script the build wrote or copied earlier.
  return configTexts(ctx)
    .filter((f) => f.path === script && f.instruction.index <= run.instruction.index)
    .at(-1)?.content;
}

// ---------------------------------------------------------------- configuration files

const CURLRC_INSECURE = /^\s*(-k|(--)?(proxy-|doh-)?insecure)\s*$/;

interface FileKind {
  readonly path: RegExp;
  readonly lines: readonly { pattern: RegExp; why: (m: RegExpExecArray) => string | undefined }[];
  /** INI read by configparser: an indented line continues the value of the option above it. */
  readonly continued?: boolean;
}

// configparser's continuation lines joined to their option's line; the joined lines are left empty so that line
// numbers stay those of the file.
function joinContinued(content: string): string {
  const lines = content.split('\n');
  let option = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (/^\s+\S/.test(text) && option >= 0 && !/^\s*[#;]/.test(text)) {
      lines[option] = `${lines[option]} ${text.trim()}`;
      lines[i] = '';
    } else if (text.trim() === '' || /^\s*\[/.test(text)) option = -1;
    else if (/^[^\s#;][^=:]*[=:]/.test(text)) option = i;
  }
  return lines.join('\n');
}

const FILE_KINDS: readonly FileKind[] = [
  {
    // curl reads ~/.curlrc (also _curlrc, $XDG_CONFIG_HOME/curlrc); long options without dashes.
    path: /(^|\/)[._]?curlrc$/,
    lines: [
      {
        pattern: CURLRC_INSECURE,
        why: () => '`insecure` in a curl config file makes every curl call accept any certificate',
      },
    ],
  },
  {
    // wget reads option names in any case, with or without `_`/`-`, and on/off, yes/no, 1/0.
    path: /(^|\/)(\.wgetrc|wgetrc|wget2rc|\.wget2rc)$/,
    lines: [
      {
        pattern: /^\s*check[-_]?certificate\s*=\s*(off|no|0|quiet)\s*$/i,
        why: (m) => `\`${m[0].trim()}\` in a wget config file makes wget skip certificate verification`,
      },
    ],
  },
  {
    path: /(^|\/)(pip\.conf|pip\.ini)$/,
    continued: true,
    lines: [
      {
        pattern: /^\s*trusted[-_]host\s*[=:]\s*(.*)$/,
        why: (m) => {
          const hosts = remoteHosts(m[1] ?? '');
          return hosts.length > 0
            ? `pip trusted-host ${hosts.join(' ')} turns off certificate verification for that host`
            : undefined;
        },
      },
      {
        pattern: /^\s*(extra[-_])?index[-_]url\s*[=:]\s*(http:\/\/\S+)/,
        why: (m) => (isRemoteHttp(m[2] ?? '') ? PLAIN(m[2] ?? '') : undefined),
      },
    ],
  },
  {
    path: /(^|\/)(\.?npmrc|\.yarnrc|\.pnpmrc)$/,
    lines: [
      {
        pattern: /^\s*["']?strict[-_]ssl["']?\s*[=\s]\s*["']?([^"'\s]*)/,
        why: (m) =>
          npmFalse(m[1] ?? '')
            ? '`strict-ssl false` in an npm/yarn config file accepts any registry certificate'
            : undefined,
      },
      {
        pattern: /^\s*(@[\w-]+:)?registry\s*[=\s]\s*["']?(http:\/\/[^"'\s]+)/,
        why: (m) => (isRemoteHttp(m[2] ?? '') ? PLAIN(m[2] ?? '') : undefined),
      },
    ],
  },
  {
    path: /(^|\/)\.yarnrc\.yml$/,
    lines: [
      {
        pattern: /^\s*enableStrictSsl\s*:\s*["']?(false|0)\b/,
        why: () => '`enableStrictSsl: false` in .yarnrc.yml makes yarn accept any registry certificate',
      },
      {
        pattern: /^\s*npmRegistryServer\s*:\s*["']?(http:\/\/[^"'\s]+)/,
        why: (m) => (isRemoteHttp(m[1] ?? '') ? PLAIN(m[1] ?? '') : undefined),
      },
    ],
  },
  {
    path: /(^|\/)(\.gitconfig|etc\/gitconfig|git\/config|\.git\/config)$/,
    lines: [
      {
        pattern: /^\s*sslverify\s*=\s*"?([^"\s;#]*)"?\s*([;#].*)?$/i,
        why: (m) =>
          gitFalse(m[1] ?? '')
            ? '`sslVerify = false` in a git config file makes git skip certificate verification'
            : undefined,
      },
    ],
  },
  {
    path: /(^|\/)etc\/apt\/apt\.conf(\.d\/[^/]+)?$/,
    lines: [
      {
        // apt.conf comments start with `//` or `#`.
        pattern: /^(?!\s*(\/\/|#)).*Verify-(Peer|Host)\s*"?\s*(false|no|off|0|without|disable)\s*"?\s*;/i,
        why: (m) => `\`${m[0].trim()}\` in apt's configuration makes apt accept any repository certificate`,
      },
    ],
  },
  {
    path: /(^|\/)(yum\.conf|dnf\.conf|[^/]+\.repo)$/,
    lines: [
      {
        pattern: /^\s*sslverify\s*=\s*(\S*)\s*$/i,
        why: (m) =>
          iniFalse(m[1] ?? '')
            ? `\`${m[0].trim()}\` makes yum/dnf accept any repository certificate`
            : undefined,
      },
    ],
  },
  {
    path: /(^|\/)(\.condarc|condarc)$/,
    lines: [
      {
        pattern: /^\s*ssl_verify\s*:\s*(\S+)\s*$/,
        why: (m) =>
          iniFalse(m[1] ?? '')
            ? '`ssl_verify: false` in .condarc makes conda accept any certificate'
            : undefined,
      },
    ],
  },
  {
    path: /(^|\/)(\.gemrc|gemrc|\.bundle\/config)$/,
    lines: [
      {
        pattern: /^\s*(:ssl_verify_mode:|BUNDLE_SSL_VERIFY_MODE:)\s*["']?0["']?\s*$/,
        why: () => 'ssl_verify_mode 0 (OpenSSL VERIFY_NONE) makes RubyGems/Bundler accept any certificate',
      },
    ],
  },
  {
    path: /(^|\/)(composer|config)\.json$/,
    lines: [
      {
        pattern: /"(disable-tls"\s*:\s*true|secure-http"\s*:\s*false)\b/,
        why: (m) => `composer \`"${m[1]}\` allows unverified or plain-HTTP downloads`,
      },
    ],
  },
  {
    // `go env -w` writes here; every go command reads it.
    // Python runs these at every start: a TLS setting there applies to every script in the image.
    path: /(^|\/)(sitecustomize\.py|usercustomize\.py|[^/]+\.pth)$/,
    lines: [
      {
        pattern: PYTHON_TLS_OFF,
        why: (m) => `Python start-up code turns certificate verification off for every script (\`${m[0]}\`)`,
      },
    ],
  },
  {
    path: /(^|\/)go\/env$/,
    lines: [
      {
        pattern: /^\s*(GOINSECURE=\S+|GOFLAGS=.*(^|\s)-insecure\b)/,
        why: (m) => `Go \`${m[1]}\` fetches modules without TLS verification`,
      },
    ],
  },
];

// ---------------------------------------------------------------- the rule

// Non-POSIX RUNs are not parsed as shell; these PowerShell settings are distinctive enough to find in the text.
const POWERSHELL_TLS_OFF =
  /-SkipCertificateCheck\b|ServerCertificateValidationCallback\s*=\s*\{\s*\$true\s*\}/i;

export const tlsVerificationDisabled = defineRule({
  id: 'DD104',
  level: 'error',
  title: 'TLS certificate verification disabled',
  rationale:
    "Turning off certificate verification (curl -k, wget --no-check-certificate, pip --trusted-host, strict-ssl false, NODE_TLS_REJECT_UNAUTHORIZED=0, git http.sslVerify false, plain-HTTP package indexes, …) lets anyone on the network path between the build and the server substitute what is downloaded, and a setting baked into the image keeps doing so at run time. Each setting counts where its tool reads it: as an option of that tool (also through ENV/ARG values), an environment variable by its exact name and value, or a line of the tool's configuration file written or copied into the image (also a `curl -K` file); the same words as data (echo, grep, a README) do not. Fix the trust store instead (install the corporate CA and run update-ca-certificates).",
  check: (ctx) => {
    const findings = new Map<string, RuleFinding>();
    const add = (at: Loc | Command, why: string) => {
      const fix = why.includes('plain HTTP') ? 'use the https:// URL' : 'install the CA certificate instead';
      const f = ctx.finding(at, `TLS verification disabled: ${why}; ${fix}`);
      const key = `${f.line}:${why}`;
      if (!findings.has(key)) findings.set(key, f);
    };
    const files = configTexts(ctx);
    for (const run of checkedCommands(ctx)) {
      const why = commandWhy(ctx, run);
      if (why) add(run.command, why);
      // `curl -K -` reads its configuration from stdin.
      const { name, args } = toolCall(run.command);
      if (name === 'curl' && optionValues(args, 'K', 'config').some((p) => p === '-' || p === '/dev/stdin')) {
        const input = commandInput(ctx, run) ?? '';
        if (input.split('\n').some((l) => CURLRC_INSECURE.test(l)))
          add(run.command, 'curl reads `insecure` from its standard input as configuration (-K -)');
      }
    }
    const env = envSettings(ctx);
    for (const e of env) {
      for (const check of ENV_CHECKS) {
        const why = check(e.name, e.value);
        if (why) add(e.loc, why);
      }
    }
    const git = gitConfigEnv(env);
    if (git)
      add(
        git.loc,
        'GIT_CONFIG_KEY_n=http.sslVerify with GIT_CONFIG_VALUE_n=false makes git skip certificate verification',
      );
    for (const file of files) {
      for (const { loc, why } of fileFindings(file, FILE_KINDS)) add(loc, `${why} (${file.origin})`);
    }
    for (const inst of ctx.of('RUN')) {
      if (!ctx.nonPosixShell(inst) || !/certificate/i.test(inst.argsText)) continue;
      for (const { loc } of matchInstruction(ctx.model, inst, POWERSHELL_TLS_OFF))
        add(loc, 'PowerShell -SkipCertificateCheck accepts any server certificate');
    }
    return [...findings.values()];
  },
});

function fileFindings(file: ConfigText, kinds: readonly FileKind[]): { loc: Loc; why: string }[] {
  const out: { loc: Loc; why: string }[] = [];
  for (const kind of kinds) {
    if (!readAs(file, kind.path)) continue;
    const content = kind.continued ? joinContinued(file.content) : file.content;
    for (const { pattern, why } of kind.lines) {
      for (const { match, line } of matchingLines(content, pattern)) {
        const w = why(match);
        if (w) out.push({ loc: file.locOf(line), why: w });
      }
    }
  }
  return out;
}
