import { defineRule } from '../rule.js';

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

// Docker's guideline for label keys, the first problem found, or undefined for a valid key.
function problemOf(key: string): string | undefined {
  if (RESERVED.some((ns) => key.startsWith(ns))) return 'uses a namespace reserved for Docker';
  if (/[^a-z0-9.-]/.test(key)) return 'may only contain lower-case letters, digits, `.` and `-`';
  if (!/^[a-z]/.test(key)) return 'must begin with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'must end with a lower-case letter or digit';
  if (/\.\.|--/.test(key)) return 'must not contain consecutive `.` or `-`';
  return undefined;
}

// A key built from declared variables is only known at build time; an undeclared one is most
// likely a stray `$` (it expands to nothing).
function variableProblem(key: string, declared: ReadonlySet<string>): string | undefined {
  const vars = [...key.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1] ?? '');
  if (vars.length === 0) return problemOf(key);
  const unknown = vars.filter((v) => !declared.has(v));
  return unknown.length === 0
    ? undefined
    : `contains \`$${unknown[0]}\`, which no ARG or ENV declares, and \`$\` is not valid in a label key`;
}

export const labelKey = defineRule({
  id: 'DL3048',
  level: 'style',
  title: 'Invalid label key.',
  rationale:
    'Label keys follow Docker’s guideline (reverse-DNS, lower case, no reserved Docker namespaces) so tools that query labels find them and third-party keys do not collide.',
  check: (ctx) =>
    ctx.of('LABEL').flatMap((inst) => {
      const declared = new Set(
        ctx.instructions
          .filter((i) => i.index < inst.index && (i.keyword === 'ARG' || i.keyword === 'ENV'))
          .flatMap((i) => i.properties.map((p) => p.name)),
      );
      return inst.properties.flatMap((p) => {
        const problem = p.name.includes('$') ? variableProblem(p.name, declared) : problemOf(p.name);
        return problem ? [ctx.finding(p.loc, `Invalid label key. \`${p.name}\` ${problem}`)] : [];
      });
    }),
});
