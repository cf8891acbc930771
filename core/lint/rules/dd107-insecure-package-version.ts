import { flagValue, invocation, operands } from '../../dockerfile/command-args.js';
import type { Command, DockerfileModel, Instruction } from '../../dockerfile/model.js';
import { expandWord } from '../build-variables.js';
import { APK_VALUE_FLAGS, APT_VALUE_FLAGS, PIP_VALUE_FLAGS, subcommand } from '../package-managers.js';
import { defineRule, type RuleFinding } from '../rule.js';

/** A package version a command pins, in the terms the policy uses. */
interface Pin {
  readonly ecosystem: 'apt' | 'apk' | 'pip' | 'npm' | 'gem' | 'maven';
  readonly name: string;
  readonly version: string;
}

const NPM_VALUE_FLAGS = [
  'registry',
  'prefix',
  'cache',
  'userconfig',
  'tag',
  'C',
  'w',
  'workspace',
  'filter',
  'cwd',
];
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
  if (call?.name !== 'install') return [];
  return operands({ args: call.rest }, APT_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?=([0-9][^\s=]*)$/.exec(spec);
    return m ? [{ ecosystem: 'apt' as const, name: m[1] ?? '', version: m[2] ?? '' }] : [];
  });
}

function apkPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, APK_VALUE_FLAGS);
  if (call?.name !== 'add') return [];
  return operands({ args: call.rest }, APK_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([a-z0-9][\w+.-]*)=([0-9][^\s=<>~]*)$/i.exec(spec);
    return m ? [{ ecosystem: 'apk' as const, name: m[1] ?? '', version: m[2] ?? '' }] : [];
  });
}

function pipPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, PIP_VALUE_FLAGS);
  if (call?.name !== 'install') return [];
  return operands({ args: call.rest }, PIP_VALUE_FLAGS).flatMap((spec) => {
    const m = /^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*===?\s*([0-9][\w.!+-]*)$/.exec(spec);
    return m ? [{ ecosystem: 'pip' as const, name: pep503(m[1] ?? ''), version: m[2] ?? '' }] : [];
  });
}

function npmPins(tool: string, args: readonly string[]): Pin[] {
  let call = subcommand(args, NPM_VALUE_FLAGS);
  if (tool === 'yarn' && call?.name === 'global') call = subcommand(call.rest, NPM_VALUE_FLAGS);
  const installs = tool === 'yarn' ? ['add'] : ['install', 'i', 'add', 'isntall', 'in'];
  if (!call || !installs.includes(call.name)) return [];
  return operands({ args: call.rest }, NPM_VALUE_FLAGS).flatMap((spec) => {
    const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)@[v=]?(\S+)$/i.exec(spec);
    const version = m?.[2] ?? '';
    return m && EXACT_SEMVER.test(version) ? [{ ecosystem: 'npm' as const, name: m[1] ?? '', version }] : [];
  });
}

function gemPins(args: readonly string[]): Pin[] {
  const call = subcommand(args, GEM_VALUE_FLAGS);
  if (call?.name !== 'install') return [];
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
  return [];
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
    for (const { command, instruction } of ctx.commands()) {
      for (const pin of pinsOf(ctx.model, instruction, command)) {
        const advisory = insecure(pin.ecosystem, pin.name, pin.version);
        if (advisory === undefined) continue;
        findings.push(
          ctx.finding(
            command,
            `Insecure package version: ${pin.name} ${pin.version} (${pin.ecosystem}) is listed as insecure by policy (${advisory}); the pin keeps it in every build, so move it to a fixed version`,
          ),
        );
      }
    }
    return findings;
  },
});
