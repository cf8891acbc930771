import { flagValue, invocation, operands, transferArgs } from '../../dockerfile/command-args.js';
import type { Command, DockerfileModel, Instruction } from '../../dockerfile/model.js';
import { expandWord } from '../build-variables.js';
import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  isInstallSubcommand,
  NPM_VALUE_FLAGS,
  PIP_VALUE_FLAGS,
  subcommand,
} from '../package-managers.js';
import { defineRule, type LintPolicy, type RuleFinding } from '../rule.js';

/** A package version a command pins, in the terms the policy uses. */
interface Pin {
  readonly ecosystem: 'apt' | 'apk' | 'pip' | 'npm' | 'gem' | 'maven';
  readonly name: string;
  readonly version: string;
}

const GEM_VALUE_FLAGS = [
  'v',
  'version',
  'i',
  'install-dir',
  'n',
  'bindir',
  'source',
  'P',
  'trust-policy',
  'platform',
  'g',
  'file',
];
// An exact version: a range, tag or wildcard pins nothing the policy can judge.
const EXACT_SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const EXACT_GEM = /^\d+(?:\.[0-9A-Za-z]+)*$/;

/** The package index's canonical name of a Python distribution (PEP 503). */
const pep503 = (name: string): string => name.replace(/[-_.]+/g, '-').toLowerCase();

function aptPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, APT_VALUE_FLAGS);
  if (!call || !isInstallSubcommand('apt', call.name)) return [];
  return operands({ args: call.rest }, APT_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?=([0-9][^\s=]*)$/.exec(spec);
    return m ? [{ ecosystem: 'apt' as const, name: m[1] ?? '', version: m[2] ?? '' }] : [];
  });
}

function apkPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, APK_VALUE_FLAGS);
  if (!call || !isInstallSubcommand('apk', call.name)) return [];
  return operands({ args: call.rest }, APK_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([a-z0-9][\w+.-]*)=([0-9][^\s=<>~]*)$/i.exec(spec);
    return m ? [{ ecosystem: 'apk' as const, name: m[1] ?? '', version: m[2] ?? '' }] : [];
  });
}

function pipPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, PIP_VALUE_FLAGS);
  if (!call || !isInstallSubcommand('pip', call.name)) return [];
  return operands({ args: call.rest }, PIP_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*===?\s*([0-9][\w.!+-]*)$/.exec(spec);
    return m ? [{ ecosystem: 'pip' as const, name: pep503(m[1] ?? ''), version: m[2] ?? '' }] : [];
  });
}

function npmPins(tool: 'npm' | 'pnpm' | 'yarn', args: readonly string[]): Pin[] {
  let call = subcommand(args, NPM_VALUE_FLAGS);
  if (tool === 'yarn' && call?.name === 'global') call = subcommand(call.rest, NPM_VALUE_FLAGS);
  if (!call || !isInstallSubcommand(tool, call.name)) return [];
  return operands({ args: call.rest }, NPM_VALUE_FLAGS).flatMap((spec) => {
    const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)@[v=]?(\S+)$/i.exec(spec);
    const version = m?.[2] ?? '';
    return m && EXACT_SEMVER.test(version) ? [{ ecosystem: 'npm' as const, name: m[1] ?? '', version }] : [];
  });
}

function gemPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, GEM_VALUE_FLAGS);
  if (!call || !isInstallSubcommand('gem', call.name)) return [];
  const names = operands({ args: call.rest }, GEM_VALUE_FLAGS);
  const flagged = flagValue({ args: call.rest }, 'v', 'version')?.replace(/^\s*=\s*/, '');
  return names.flatMap((spec) => {
    const [name = '', inline] = spec.split(':');
    const version = inline ?? flagged ?? '';
    return name && EXACT_GEM.test(version) ? [{ ecosystem: 'gem' as const, name, version }] : [];
  });
}

function mavenPins(args: readonly string[]): Pin[] {
  if (
    !args.some(
      (a) => /^dependency:(get|copy)$/.test(a) || /:maven-dependency-plugin:[^:]+:(get|copy)$/.test(a),
    )
  ) {
    return [];
  }
  const props = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const prop = a === '-D' ? (args[++i] ?? '') : a.startsWith('-D') ? a.slice(2) : '';
    const eq = prop.indexOf('=');
    if (eq > 0) props.set(prop.slice(0, eq), prop.slice(eq + 1));
  }
  const artifact = props.get('artifact');
  const [group, id, version] = artifact
    ? artifact.split(':')
    : [props.get('groupId'), props.get('artifactId'), props.get('version')];
  return group && id && version && /^\d/.test(version)
    ? [{ ecosystem: 'maven', name: `${group}:${id}`, version }]
    : [];
}

// A jar named `<artifactId>-<version>[-<classifier>].jar`; the name may hold dashes and digits
// (`log4j-1.2-api-2.17.1.jar`), the version starts with a digit after the last such dash.
const JAR = /^(.+)-(\d[^-/]*)(?:-([A-Za-z][\w.]*))?\.jar$/;

/**
 * The artifact a jar's path or URL names, as maven pins: in the repository layout
 * (`…/org/apache/logging/log4j/log4j-core/2.14.1/log4j-core-2.14.1.jar`) with each way its group
 * can be read from the directories, and always as the bare artifact id.
 */
function jarPins(pathOrUrl: string): Pin[] {
  const path = pathOrUrl.replace(/[?#].*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const parts = path.split('/').filter(Boolean);
  const file = parts.at(-1) ?? '';
  const m = JAR.exec(file);
  if (!m) return [];
  const [, artifact = '', version = '', qualifier] = m;
  const versions = qualifier === undefined ? [version] : [`${version}-${qualifier}`, version];
  const dirVersion = parts.at(-2);
  if (parts.at(-3) === artifact && dirVersion !== undefined && versions.includes(dirVersion)) {
    // The repository root is unknown, so every tail of the directories above is a candidate group;
    // only a policy entry naming exactly that group matches one.
    const groupDirs = parts.slice(0, -3);
    const grouped = groupDirs.map((_, i) => ({
      ecosystem: 'maven' as const,
      name: `${groupDirs.slice(i).join('.')}:${artifact}`,
      version: dirVersion,
    }));
    return [{ ecosystem: 'maven', name: artifact, version: dirVersion }, ...grouped];
  }
  return versions.map((v) => ({ ecosystem: 'maven' as const, name: artifact, version: v }));
}

// curl and wget name what they fetch in their URLs and their output files (`-o`, `-O`, `--output…`, `>`).
function downloadPins(tool: string, cmd: Command, args: readonly string[]): Pin[] {
  if (tool !== 'curl' && tool !== 'wget') return [];
  const files = cmd.redirects
    .filter((r) => r.op.startsWith('>') || r.op.startsWith('&>'))
    .map((r) => r.target);
  const words = [...args, ...files].flatMap((a) => {
    // `-o/app/x.jar`, `-qO/app/x.jar`, `--output=/app/x.jar`: the value after the option letter.
    const inline = /^--[\w-]+=(.+)$|^-[A-Za-z]*[oO](\/.+)$/.exec(a);
    return inline ? [inline[1] ?? inline[2] ?? ''] : [a];
  });
  return words.filter((w) => w.endsWith('.jar') || /\.jar[?#]/.test(w)).flatMap(jarPins);
}

function pinsOf(model: DockerfileModel, instruction: Instruction, cmd: Command): Pin[] {
  const inv = invocation(cmd);
  // The invocation's arguments are a suffix of the command's, so words line up from the end.
  const offset = cmd.args.length - inv.args.length;
  const args = inv.args.map((a, i) => {
    const word = cmd.words[offset + i];
    return word ? (expandWord(model, instruction, word) ?? a) : a;
  });
  const tool = inv.name;
  if (tool === 'apt-get' || tool === 'apt' || tool === 'aptitude') return aptPins(args);
  if (tool === 'apk') return apkPins(args);
  if (/^pip[\d.]*$/.test(tool) || tool === 'pipx') return pipPins(args);
  if (tool === 'uv' && args[0] === 'pip') return pipPins(args.slice(1));
  if (tool === 'npm' || tool === 'pnpm' || tool === 'yarn') return npmPins(tool, args);
  if (tool === 'gem') return gemPins(args);
  if (tool === 'mvn' || tool === 'mvnw') return mavenPins(args);
  return downloadPins(tool, cmd, args);
}

// The sources ADD and COPY bring in (URLs or files); a heredoc brings no jar.
function transferPins(model: DockerfileModel, inst: Instruction): Pin[] {
  const sources = transferArgs(inst)?.sources ?? [];
  return sources
    .filter((s) => !s.startsWith('<<'))
    .map((s) => expandText(model, inst, s))
    .filter((s): s is string => s !== undefined && /\.jar([?#]|$)/.test(s))
    .flatMap(jarPins);
}

// An instruction argument with the Dockerfile's ARG and ENV values substituted, when they are known.
function expandText(model: DockerfileModel, inst: Instruction, text: string): string | undefined {
  return expandWord(model, inst, { value: text, literal: !text.includes('$'), quoted: false, raw: text });
}

// One finding per package and version: the layout's candidate groups all name the same jar.
function firstListed(
  insecure: NonNullable<LintPolicy['insecure']>,
  pins: readonly Pin[],
): { pin: Pin; advisory: string }[] {
  const out: { pin: Pin; advisory: string }[] = [];
  const seen = new Set<string>();
  for (const pin of pins) {
    const artifact = pin.ecosystem === 'maven' ? (pin.name.split(':').at(-1) ?? pin.name) : pin.name;
    const key = `${pin.ecosystem} ${artifact}`;
    if (seen.has(key)) continue;
    const advisory = insecure(pin.ecosystem, pin.name, pin.version);
    if (advisory === undefined) continue;
    seen.add(key);
    out.push({ pin, advisory });
  }
  return out;
}

export const insecurePackageVersion = defineRule({
  id: 'DD107',
  level: 'error',
  title: 'Pinned package version is listed as insecure by policy',
  rationale:
    'Pinning is good practice, but a pin also freezes a known vulnerability into every build: when the policy lists the pinned version as insecure (openssl 1.0.1f, log4j-core 2.14.1, …), the image ships it until someone changes the pin. Without a policy this rule reports nothing.',
  check: (ctx) => {
    const insecure = ctx.policy.insecure;
    if (!insecure) return [];
    const findings: RuleFinding[] = [];
    const report = (at: Instruction | Command, pin: Pin, advisory: string) =>
      findings.push(
        ctx.finding(
          at,
          `Insecure package version: ${pin.name} ${pin.version} (${pin.ecosystem}) is listed as insecure by policy (${advisory}); the pin keeps it in every build, so move it to a fixed version`,
        ),
      );
    // Resolved commands: a package or version named through ENV/ARG or a shell variable is judged as installed.
    for (const { command, instruction } of ctx.resolved()) {
      for (const { pin, advisory } of firstListed(insecure, pinsOf(ctx.model, instruction, command))) {
        report(command, pin, advisory);
      }
    }
    for (const inst of ctx.of('ADD', 'COPY')) {
      for (const { pin, advisory } of firstListed(insecure, transferPins(ctx.model, inst))) {
        report(inst, pin, advisory);
      }
    }
    findings.sort((a, b) => a.line - b.line || a.column - b.column);
    return findings;
  },
});
