import { SETTING_START as B, scanTexts, type TextCheck } from '../instruction-text.js';
import { defineRule, type RuleFinding } from '../rule.js';

// apt.conf quotes its values (`APT::Get::AllowUnauthenticated "true";`), and a RUN that echoes
// such a line inside double quotes has them escaped in the Dockerfile (`\"true\"`). The option
// names are distinctive enough to match without their scope, which the nested form
// (`APT { Get { AllowUnauthenticated "true"; }; };`) spells apart.
const Q = String.raw`\\?["']?(?:\s*[:=]\s*|\s+)\\?["']?`;

// Each of these is a distinctive flag or setting, so it is found wherever it is written: on a
// command line, in a file a RUN writes (apt.conf.d, sources.list, .repo, pacman.conf) or in ENV.
const CHECKS: readonly TextCheck[] = [
  {
    pattern: /--allow-unauthenticated\b/,
    why: () => 'apt --allow-unauthenticated installs packages whose signature is missing or wrong',
  },
  {
    pattern: /--allow-insecure-repositories\b/,
    why: () => 'apt --allow-insecure-repositories reads repositories that are unsigned',
  },
  {
    pattern: /--force-yes\b/,
    why: () => 'apt --force-yes also accepts unauthenticated packages (and downgrades)',
  },
  {
    pattern: new RegExp(`${B}(APT::Get::)?AllowUnauthenticated${Q}(true|yes|1)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` makes apt install packages whose signature is missing or wrong`,
  },
  {
    pattern: new RegExp(
      `${B}(Acquire::)?(AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)${Q}(true|yes|1)\\b`,
      'i',
    ),
    why: (m) => `\`${m[0]}\` makes apt read repositories that are unsigned`,
  },
  {
    pattern: /\[[^\]\n]*\b(trusted|allow-insecure|allow-weak)=yes\b[^\]\n]*\]/,
    why: (m) =>
      `the sources entry option \`${m[0]}\` makes apt accept the repository without a valid signature`,
  },
  {
    pattern: new RegExp(`${B}(Trusted|Allow-Insecure|Allow-Weak):\\s*yes\\b`, 'i'),
    why: (m) =>
      `the deb822 source field \`${m[0]}\` makes apt accept the repository without a valid signature`,
  },
  {
    pattern: /--allow-untrusted\b/,
    why: () => 'apk --allow-untrusted installs packages not signed by a trusted key',
  },
  {
    pattern: /--(nosignature|nodigest)\b/,
    why: (m) =>
      `rpm ${m[0]} installs the package without checking its ${m[1] === 'nodigest' ? 'digests' : 'signature'}`,
  },
  {
    pattern: /--(nogpgcheck|no-gpgcheck|no-gpg-checks)\b/,
    why: (m) => `${m[0]} installs packages without checking their GPG signatures`,
  },
  {
    // The word start keeps repo_gpgcheck (repository metadata, off by default almost everywhere) out.
    pattern: new RegExp(`${B}gpgcheck\\s*=\\s*["']?(0|false|no)\\b`, 'i'),
    why: (m) => `\`${m[0]}\` makes yum/dnf install packages without checking their GPG signatures`,
  },
  {
    pattern: new RegExp(`${B}SigLevel\\s*=\\s*["']?Never\\b`, 'i'),
    why: (m) => `pacman \`${m[0]}\` installs packages without checking signatures`,
  },
  {
    pattern: new RegExp(`${B}GOSUMDB\\s*=\\s*["']?off\\b`),
    why: () => 'GOSUMDB=off stops Go from checking downloaded modules against the checksum database',
  },
];

// Every CHECKS pattern contains one of these words; text without any of them is skipped.
const MAY_MATCH = /allow|force-yes|trusted|nosignature|nodigest|gpg|SigLevel|GOSUMDB/i;

export const unauthenticatedPackages = defineRule({
  id: 'DD105',
  level: 'error',
  title: 'Packages installed without signature checks',
  rationale:
    'Package managers check signatures so that a compromised mirror, proxy or network path cannot hand the build a tampered package. Turning the check off (apt --allow-unauthenticated or [trusted=yes], apk --allow-untrusted, rpm --nosignature, yum/dnf --nogpgcheck or gpgcheck=0, …) removes the only thing standing between the repository and root in the image. Import the repository key instead.',
  check: (ctx) => {
    const findings = new Map<string, RuleFinding>();
    for (const { loc, why } of scanTexts(ctx, CHECKS, ['RUN'], MAY_MATCH)) {
      const f = ctx.finding(
        loc,
        `Unauthenticated packages: ${why}; import the repository's signing key instead`,
      );
      findings.set(`${f.line}:${f.column}`, f);
    }
    return [...findings.values()];
  },
});
