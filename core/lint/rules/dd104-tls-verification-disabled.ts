import { invocation } from '../../dockerfile/command-args.js';
import type { Command } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import { SETTING_START as B, scanTexts, type TextCheck, SETTING_SEP as V } from '../instruction-text.js';
import { defineRule, type RuleFinding } from '../rule.js';

// Plain HTTP to the build host itself never crosses a network an attacker can sit on.
const LOCAL_HOST = /^(localhost|127\.[\d.]+|\[::1\]|host\.docker\.internal)(:\d+)?$/i;

const hostOf = (url: string): string => url.replace(/^[a-z]+:\/\//i, '').split(/[/?#]/)[0] ?? '';
const isLocal = (hostOrUrl: string): boolean =>
  LOCAL_HOST.test(hostOf(hostOrUrl.replace(/^(\w+:\/\/)?[^@/]*@/, '$1')));

const plainHttpIndex = (url: string): string | undefined =>
  isLocal(url)
    ? undefined
    : `package index ${url} is plain HTTP, so anyone on the network path can swap packages`;

// Settings with names distinctive enough to find in any text: command flags, `config set`, env vars, rc files.
const TEXT_CHECKS: readonly TextCheck[] = [
  {
    pattern: new RegExp(`${B}NODE_TLS_REJECT_UNAUTHORIZED\\s*=\\s*["']?0\\b`),
    why: () => 'NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any TLS certificate',
  },
  {
    pattern: new RegExp(`${B}GIT_SSL_NO_VERIFY\\s*=\\s*["']?[^\\s"';&|]`),
    why: () => 'GIT_SSL_NO_VERIFY set (to any value) makes git skip certificate verification',
  },
  {
    pattern: new RegExp(`${B}PYTHONHTTPSVERIFY\\s*=\\s*["']?0\\b`),
    why: () => 'PYTHONHTTPSVERIFY=0 makes Python skip certificate verification',
  },
  {
    pattern: new RegExp(`strict[-_]ssl${V}(false|0)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` makes npm/yarn/pnpm accept any registry certificate`,
  },
  {
    pattern: new RegExp(`(enableStrictSsl|ENABLE_STRICT_SSL)${V}(false|0)\\b`),
    why: (m) => `\`${m[0]}\` makes yarn accept any registry certificate`,
  },
  {
    pattern: new RegExp(`([\\w.-]*\\.)?ssl[-_]?verify${V}(false|no|off|0)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` turns off certificate verification`,
  },
  {
    pattern: new RegExp(`ssl[-_]verify[-_]mode${V}0\\b`, 'i'),
    why: (m) => `\`${m[0]}\` (OpenSSL VERIFY_NONE) makes RubyGems/Bundler accept any certificate`,
  },
  {
    pattern: new RegExp(`Acquire::https(::[^\\s:"'=]+)?::Verify-(Peer|Host)${V}(false|no|0)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` makes apt accept any repository certificate`,
  },
  {
    pattern: new RegExp(`check[-_]certificate${V}(off|false|no|0)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` makes wget/aria2c skip certificate verification`,
  },
  {
    pattern: /--no-check-certificate\b/,
    why: () => 'wget --no-check-certificate skips certificate verification',
  },
  {
    // pip's spellings only: an app's own TRUSTED_HOST setting is about something else.
    pattern: new RegExp(`${B}(--)?trusted-host${V}([^\\s"';&|]+)|PIP_TRUSTED_HOST${V}([^\\s"';&|]+)`),
    why: (m) => {
      const host = m[2] ?? m[3] ?? '';
      return isLocal(host)
        ? undefined
        : `pip trusted-host ${host} turns off certificate verification for that host`;
    },
  },
  {
    pattern: /--allow-insecure-host[= ]\s*["']?([^\s"';&|]+)/,
    why: (m) =>
      isLocal(m[1] ?? '') ? undefined : `uv --allow-insecure-host ${m[1]} skips certificate verification`,
  },
  {
    pattern: new RegExp(`(index[-_]url|--index|--default-index)${V}(http://[^\\s"';&|]+)`, 'i'),
    why: (m) => plainHttpIndex(m[2] ?? ''),
  },
  {
    // Case-sensitive, so an unrelated SCHEMA_REGISTRY=http://… setting is not taken for npm's.
    pattern: new RegExp(
      `((?<!\\w)(--)?registry|npm_config_registry|NPM_CONFIG_REGISTRY|YARN_REGISTRY|npmRegistryServer|--source|sources\\s+(-a|--add))${V}(http://[^\\s"';&|]+)`,
    ),
    why: (m) => plainHttpIndex(m[4] ?? ''),
  },
  {
    pattern: new RegExp(`secure-http${V}(false|0)\\b|disable-tls${V}(true|1)\\b`),
    why: (m) => `composer \`${m[0]}\` allows unverified or plain-HTTP downloads`,
  },
  {
    pattern:
      /maven\.wagon\.http\.ssl\.(insecure|allowall)\s*=\s*true|aether\.connector\.https\.securityMode\s*=\s*insecure/,
    why: (m) => `Maven \`${m[0]}\` accepts any repository certificate`,
  },
  {
    pattern: new RegExp(`certificates\\.[\\w.-]+\\.cert${V}false\\b`),
    why: (m) => `poetry \`${m[0]}\` turns off certificate verification for that repository`,
  },
  {
    pattern: /--insecure-skip-tls-verify\b(?!=false)|insecure-skip-tls-verify:\s*true/,
    why: () => 'insecure-skip-tls-verify makes helm/kubectl accept any server certificate',
  },
  {
    pattern: /--(src-|dest-)?tls-verify(=|\s+)["']?false\b/,
    why: (m) => `\`${m[0]}\` makes skopeo/buildah/podman accept any registry certificate`,
  },
  {
    pattern: /-SkipCertificateCheck\b/i,
    why: () => 'PowerShell -SkipCertificateCheck accepts any server certificate',
  },
  {
    pattern: /--no-verify-ssl\b/,
    why: () => 'aws --no-verify-ssl accepts any certificate for AWS API calls',
  },
  {
    pattern: /\bGOINSECURE\s*=\s*["']?[^\s"';&|]|(^|[\s"'=])-insecure\b/,
    why: (m) => `Go \`${m[0].trim()}\` fetches modules without TLS verification`,
  },
];

// curl short options that take a value: in `-fsSLo/tmp/k` everything after `o` is the value, not flags.
const CURL_VALUE_LETTERS = new Set('AbcCdDEeFHhKmoPQrTtuUwxXyYz');

function curlInsecure(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--insecure' || a === '--proxy-insecure' || a === '--doh-insecure') return true;
    if (a.startsWith('-') && !a.startsWith('--')) {
      for (const ch of a.slice(1)) {
        if (ch === 'k') return true;
        if (CURL_VALUE_LETTERS.has(ch)) break;
      }
    }
  }
  return false;
}

function commandWhy(cmd: Command): string | undefined {
  const { name, args } = invocation(cmd);
  if (name === 'curl' && curlInsecure(args)) return 'curl -k/--insecure accepts any server certificate';
  if (['conda', 'mamba', 'micromamba'].includes(name) && args.some((a) => a === '--insecure' || a === '-k')) {
    return `${name} --insecure skips certificate verification`;
  }
  if (/^pip[0-9.]*$/.test(name) || name === 'uv') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      const url =
        a === '-i' ? args[i + 1] : a.startsWith('-i') && !a.startsWith('--') ? a.slice(2) : undefined;
      if (url?.startsWith('http://') && !isLocal(url)) {
        return `package index ${url} is plain HTTP, so anyone on the network path can swap packages`;
      }
    }
  }
  // `echo insecure >> ~/.curlrc` makes every later curl call skip verification.
  if (['echo', 'printf'].includes(name) && cmd.redirects.some((r) => /(^|\/)\.?curlrc$/.test(r.target))) {
    if (args.some((a) => /(^|\s)(-k|--insecure|insecure)(\s|$)/.test(a))) {
      return 'writing `insecure` to .curlrc makes every curl call accept any certificate';
    }
  }
  return undefined;
}

// Every TEXT_CHECKS pattern contains one of these words; text without any of them is skipped.
const MAY_MATCH = /tls|ssl|verify|insecure|trusted|http:|secure-http|cert/i;

export const tlsVerificationDisabled = defineRule({
  id: 'DD104',
  level: 'error',
  title: 'TLS certificate verification disabled',
  rationale:
    'Turning off certificate verification (curl -k, wget --no-check-certificate, pip --trusted-host, strict-ssl false, NODE_TLS_REJECT_UNAUTHORIZED=0, git http.sslVerify false, plain-HTTP package indexes, …) lets anyone on the network path between the build and the server substitute what is downloaded, and a setting baked into the image keeps doing so at run time. Fix the trust store instead (install the corporate CA and run update-ca-certificates).',
  check: (ctx) => {
    const findings = new Map<string, RuleFinding>();
    const add = (at: Loc | Command, why: string) => {
      const fix = why.includes('plain HTTP') ? 'use the https:// URL' : 'install the CA certificate instead';
      const f = ctx.finding(at, `TLS verification disabled: ${why}; ${fix}`);
      const key = `${f.line}:${why}`;
      if (!findings.has(key)) findings.set(key, f);
    };
    for (const { command } of ctx.commands()) {
      const why = commandWhy(command);
      if (why) add(command, why);
    }
    for (const { loc, why } of scanTexts(ctx, TEXT_CHECKS, ['RUN', 'CMD', 'ENTRYPOINT'], MAY_MATCH))
      add(loc, why);
    return [...findings.values()];
  },
});
