import type { Instruction } from '../../dockerfile/model.js';
import type { Loc } from '../../dockerfile/source-map.js';
import {
  abbreviates,
  aptOptionValues,
  type ConfigText,
  checkedCommands,
  configTexts,
  envSettings,
  matchingLines,
  optionValues,
  readAs,
  toolCall,
} from '../insecure-settings.js';
import { defineRule, type RuleContext, type RuleFinding, type RunCommand } from '../rule.js';

// apt's booleans (StringToBool): yes/true/with/on/enable and non-zero numbers are true.
const aptTrue = (v: string) => /^(yes|true|with|on|enable)$/i.test(v) || (/^\d+$/.test(v) && Number(v) !== 0);
// libdnf/yum/zypper read 0, false, no and off as false.
const iniFalse = (v: string) => /^(0|false|no|off)$/i.test(v.trim().replace(/^["']|["']$/g, ''));

const APT_OPTIONS: readonly { name: RegExp; why: string }[] = [
  {
    name: /^(APT::Get::)?AllowUnauthenticated$/i,
    why: 'makes apt install packages whose signature is missing or wrong',
  },
  {
    name: /^(Acquire::)?(AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)$/i,
    why: 'makes apt read repositories that are unsigned',
  },
];

// A repository on the build machine itself: nothing crosses a network on the way to apt or apk.
const LOCAL_REPO = /^(file:|copy:|\/|\.\/|\$)/;

// Commands that build a package index from local files, so a repository they index is made in this RUN.
const INDEXERS = new Set(['dpkg-scanpackages', 'dpkg-scansources', 'apt-ftparchive', 'abuild', 'abuild-r']);

interface Local {
  /** RUN instructions that build a package index (dpkg-scanpackages, apt-ftparchive, abuild, apk index). */
  readonly indexing: ReadonlySet<Instruction>;
  /** Per RUN, the words curl/wget/git fetch with (URLs and output paths), to tell a downloaded .apk from a built one. */
  readonly fetched: ReadonlyMap<Instruction, string>;
}

function localFacts(runs: readonly RunCommand[]): Local {
  const indexing = new Set<Instruction>();
  const fetched = new Map<Instruction, string>();
  for (const { command, instruction } of runs) {
    const { name, args } = toolCall(command);
    if (INDEXERS.has(name) || (name === 'apk' && (args.includes('index') || args.includes('mkpkg'))))
      indexing.add(instruction);
    if (['curl', 'wget', 'wget2', 'git', 'aria2c'].includes(name))
      fetched.set(instruction, `${fetched.get(instruction) ?? ''} ${args.join(' ')}`);
  }
  return { indexing, fetched };
}

// `apk add --allow-untrusted` of packages built and indexed in the same RUN from a local directory
// (abuild output, `apk index`), as official images do: nothing came over a network unsigned.
function localApk(args: readonly string[], run: RunCommand, local: Local): boolean {
  if (!local.indexing.has(run.instruction)) return false;
  const repos = optionValues(args, 'X', 'repository');
  if (repos.some((r) => !LOCAL_REPO.test(r))) return false;
  const files = args.filter((a) => !a.startsWith('-') && /\.apk$/.test(a));
  if (repos.length === 0 && files.length === 0) return false;
  if (files.some((f) => /:\/\//.test(f))) return false;
  return !fetchesInto(local, run.instruction, [...repos, ...files.map((f) => f.split('/').at(-1) ?? f)]);
}

// True when a download of the same RUN may have put packages into the local repository: it fetches a
// package file, or names the repository's directory (`wget -P /tmp/repo …`).
function fetchesInto(local: Local, instruction: Instruction, places: readonly string[]): boolean {
  const fetched = local.fetched.get(instruction);
  if (fetched === undefined) return false;
  if (/\.(apk|deb|rpm)\b/.test(fetched)) return true;
  return places
    .map((p) => p.replace(/^(file:|copy:)(\/\/)?/, '').replace(/\/+$/, ''))
    .some((p) => p.length > 1 && p !== '.' && fetched.includes(p));
}

// apt's command line takes a boolean switch alone or with a value after `=` (`--allow-unauthenticated=true`).
function aptSwitch(args: readonly string[], flag: string): boolean {
  return args.some(
    (a) => a === flag || (a.startsWith(`${flag}=`) && aptTrue(a.slice(flag.length + 1).trim())),
  );
}

function commandWhy(run: RunCommand, local: Local): string | undefined {
  const { name, args } = toolCall(run.command);
  if (/^(apt|apt-get|aptitude)$/.test(name)) {
    if (aptSwitch(args, '--allow-unauthenticated'))
      return 'apt --allow-unauthenticated installs packages whose signature is missing or wrong';
    if (aptSwitch(args, '--allow-insecure-repositories'))
      return 'apt --allow-insecure-repositories reads repositories that are unsigned';
    if (aptSwitch(args, '--force-yes'))
      return 'apt --force-yes also accepts unauthenticated packages (and downgrades)';
    if (name === 'aptitude' && args.includes('--allow-untrusted'))
      return 'aptitude --allow-untrusted installs packages whose signature is missing or wrong';
    for (const o of aptOptionValues(args)) {
      const [key = '', value = ''] = o.split(/=(.*)/s);
      const opt = APT_OPTIONS.find((a) => a.name.test(key.trim()));
      if (opt && aptTrue(value.trim())) return `apt -o ${o} ${opt.why}`;
    }
  }
  if (
    name === 'apk' &&
    args.some((a) => abbreviates(a, '--allow-untrusted', 9)) &&
    !localApk(args, run, local)
  )
    return 'apk --allow-untrusted installs packages not signed by a trusted key';
  if (name === 'rpm' || name === 'rpmkeys') {
    const flag = args.find((a) => a === '--nosignature' || a === '--nodigest');
    if (flag && !args.some((a) => /^-[a-zA-Z]*K/.test(a) || a === '--checksig'))
      return `rpm ${flag} installs the package without checking its ${flag === '--nodigest' ? 'digests' : 'signature'}`;
    const define = optionValues(args, 'D', 'define').find((d) =>
      RPM_VERIFY_NONE.test(`%${d.replace(/^%/, '')}`),
    );
    if (define) return `rpm --define "${define}" installs packages without checking digests or signatures`;
  }
  if (/^(yum|dnf|dnf5|microdnf|tdnf|zypper|yum-config-manager|yumdownloader)$/.test(name)) {
    // yum (optparse) and dnf (argparse) take any unambiguous start: `--nogpg`.
    const flag = args.find(
      (a) =>
        /^--(no-gpgcheck|no-gpg-checks|allow-unsigned-rpm)$/.test(a) ||
        (name !== 'zypper' && abbreviates(a, '--nogpgcheck', 7)),
    );
    if (flag) return `${name} ${flag} installs packages without checking their GPG signatures`;
    // zypper addrepo -G is --no-gpgcheck.
    if (
      name === 'zypper' &&
      /^(ar|addrepo)$/.test(args.find((a) => !a.startsWith('-')) ?? '') &&
      args.some((a) => /^-[a-zA-Z]*G/.test(a))
    )
      return 'zypper addrepo -G adds a repository whose packages are not GPG-checked';
    const o = optionValues(args, 'setopt').find(
      (v) => /^([\w.*-]+\.)?gpgcheck=/i.test(v) && iniFalse(v.split('=')[1] ?? ''),
    );
    if (o) return `${name} --setopt=${o} installs packages without checking their GPG signatures`;
  }
  return undefined;
}

// rpm's verification level: `none` checks neither digests nor signatures.
const RPM_VERIFY_NONE = /^\s*%_pkgverify_level\s+none\s*$/;

interface FileKind {
  readonly path: RegExp;
  readonly check: (content: string) => { line: number; why: string; uri?: string }[];
}

const APT_CONF_VALUE = /\\?["']?\s*([\w-]+)\s*\\?["']?\s*;/;

const FILE_KINDS: readonly FileKind[] = [
  {
    // One-line sources: `deb [ trusted=yes arch=amd64 ] URI suite …`.
    path: /(^|\/)etc\/apt\/sources\.list(\.d\/[^/]+\.list)?$/,
    check: (content) =>
      matchingLines(content, /^\s*deb(-src)?\s+\[([^\]]*)\]\s*(\S+)/).flatMap(({ match, line }) => {
        const opt =
          /(^|\s)((trusted|allow-insecure|allow-weak|allow-downgrade-to-insecure)\s*=\s*yes)(\s|$)/.exec(
            match[2] ?? '',
          );
        return opt
          ? [
              {
                line,
                uri: match[3] ?? '',
                why: `the sources entry option \`${opt[2]}\` makes apt accept the repository without a valid signature`,
              },
            ]
          : [];
      }),
  },
  {
    // deb822 sources: `Trusted: yes` in the stanza with its `URIs:`.
    path: /(^|\/)etc\/apt\/sources\.list\.d\/[^/]+\.sources$/,
    check: (content) => {
      const out: { line: number; why: string; uri?: string }[] = [];
      const lines = content.split('\n');
      let uri = '';
      let flagged: { line: number; why: string }[] = [];
      const flush = () => {
        out.push(...flagged.map((f) => ({ ...f, uri })));
        flagged = [];
        uri = '';
      };
      lines.forEach((text, line) => {
        if (text.trim() === '') flush();
        const u = /^URIs:\s*(.*)$/i.exec(text);
        if (u) uri = u[1]?.trim() ?? '';
        const f = /^(Trusted|Allow-Insecure|Allow-Weak|Allow-Downgrade-To-Insecure):\s*(\S+)/i.exec(text);
        if (f && aptTrue(f[2] ?? ''))
          flagged.push({
            line,
            why: `the deb822 source field \`${f[0].trim()}\` makes apt accept the repository without a valid signature`,
          });
      });
      flush();
      return out;
    },
  },
  {
    // apt.conf: `APT::Get::AllowUnauthenticated "true";`, also nested (`APT { Get { AllowUnauthenticated "1"; }; };`).
    path: /(^|\/)etc\/apt\/apt\.conf(\.d\/[^/]+)?$/,
    check: (content) =>
      matchingLines(
        content,
        // apt.conf comments start with `//` or `#`.
        /^(?!\s*(?:\/\/|#)).*?(AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)\b(.*)$/,
      ).flatMap(({ match, line }) => {
        const v = APT_CONF_VALUE.exec(match[2] ?? '');
        if (!v || !aptTrue(v[1] ?? '')) return [];
        const opt = APT_OPTIONS.find((a) => a.name.test(match[1] ?? ''));
        return [{ line, why: `\`${match[0].trim()}\` ${opt?.why ?? ''}`.trim() }];
      }),
  },
  {
    // The word start keeps repo_gpgcheck (repository metadata, off by default almost everywhere) out.
    path: /(^|\/)(yum\.conf|dnf\.conf|[^/]+\.repo)$/,
    check: (content) =>
      matchingLines(content, /^\s*gpgcheck\s*=\s*(\S*)\s*$/i).flatMap(({ match, line }) =>
        iniFalse(match[1] ?? '')
          ? [
              {
                line,
                why: `\`${match[0].trim()}\` makes yum/dnf/zypper install packages without checking their GPG signatures`,
              },
            ]
          : [],
      ),
  },
  {
    path: /(^|\/)pacman\.conf$/,
    check: (content) =>
      matchingLines(content, /^\s*SigLevel\s*=\s*(.*\bNever\b.*)$/).map(({ line }) => ({
        line,
        why: 'pacman `SigLevel = Never` installs packages without checking signatures',
      })),
  },
  {
    path: /(^|\/)(\.rpmmacros|etc\/rpm\/macros[^/]*)$/,
    check: (content) =>
      matchingLines(content, RPM_VERIFY_NONE).map(({ line }) => ({
        line,
        why: 'rpm `%_pkgverify_level none` installs packages without checking digests or signatures',
      })),
  },
  {
    // apk-tools 3 reads global options, one a line, from /etc/apk/config.
    path: /(^|\/)etc\/apk\/config$/,
    check: (content) =>
      matchingLines(content, /^\s*(--)?allow-untrusted\s*$/).map(({ line }) => ({
        line,
        why: '`allow-untrusted` in /etc/apk/config makes every apk call install packages not signed by a trusted key',
      })),
  },
  {
    path: /(^|\/)go\/env$/,
    check: (content) =>
      matchingLines(content, /^\s*GOSUMDB=off\s*$/).map(({ line }) => ({
        line,
        why: 'GOSUMDB=off stops Go from checking downloaded modules against the checksum database',
      })),
  },
];

function fileFindings(file: ConfigText, local: Local): { loc: Loc; why: string }[] {
  const out: { loc: Loc; why: string }[] = [];
  for (const kind of FILE_KINDS) {
    if (!readAs(file, kind.path)) continue;
    for (const f of kind.check(file.content)) {
      // A repository on this machine, indexed in the same RUN (official images build packages this way).
      const uris = (f.uri ?? '').split(/\s+/).filter((u) => u !== '');
      if (
        uris.length > 0 &&
        uris.every((u) => LOCAL_REPO.test(u)) &&
        local.indexing.has(file.instruction) &&
        !fetchesInto(local, file.instruction, uris)
      )
        continue;
      out.push({ loc: file.locOf(f.line), why: f.why });
    }
  }
  return out;
}

function envWhy(name: string, value: string): string | undefined {
  if (name === 'GOSUMDB' && value.trim() === 'off')
    return 'GOSUMDB=off stops Go from checking downloaded modules against the checksum database';
  // Go matches these globs against module path prefixes: a bare `*` matches every module.
  if ((name === 'GONOSUMDB' || name === 'GOPRIVATE') && value.split(',').some((p) => p.trim() === '*'))
    return `${name}=* stops Go from checking any module against the checksum database`;
  return undefined;
}

export const unauthenticatedPackages = defineRule({
  id: 'DD105',
  level: 'error',
  title: 'Packages installed without signature checks',
  rationale:
    'Package managers check signatures so that a compromised mirror, proxy or network path cannot hand the build a tampered package. Turning the check off (apt --allow-unauthenticated or [trusted=yes], apk --allow-untrusted, rpm --nosignature, yum/dnf --nogpgcheck or gpgcheck=0, …) removes the only thing standing between the repository and root in the image; it counts as an option of the package manager (also through ENV/ARG values) or a line of its repository or configuration file written or copied into the image, not as words in echo, grep or a README. A repository on the build machine (`file:`/`copy:`/a path) indexed in the same RUN, as official images build their own packages, is not a finding. Import the repository key instead.',
  check: (ctx: RuleContext) => {
    const findings = new Map<string, RuleFinding>();
    const add = (at: Loc | RunCommand['command'], why: string) => {
      const f = ctx.finding(
        at,
        `Unauthenticated packages: ${why}; import the repository's signing key instead`,
      );
      const key = `${f.line}:${why}`;
      if (!findings.has(key)) findings.set(key, f);
    };
    const runs = checkedCommands(ctx);
    const local = localFacts(runs);
    for (const run of runs) {
      const why = commandWhy(run, local);
      if (why) add(run.command, why);
    }
    for (const e of envSettings(ctx)) {
      const why = envWhy(e.name, e.value);
      if (why) add(e.loc, why);
    }
    for (const file of configTexts(ctx)) {
      for (const { loc, why } of fileFindings(file, local)) add(loc, `${why} (${file.origin})`);
    }
    return [...findings.values()];
  },
});
