import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

const VARIABLE = /\$\{?([A-Za-z_]\w*)/g;

export const numericUser = defineRule({
  id: 'DL3066',
  level: 'info',
  title: 'Use a numeric UID (and GID) in USER',
  rationale:
    'A platform enforcing non-root (Kubernetes `runAsNonRoot`) can only verify a numeric UID; with a user name the pod is refused, since the name would have to be looked up inside the image.',
  check: (ctx) => {
    // Only the user the image finally runs as reaches the platform; earlier USERs are build steps.
    const stage = ctx.stages.at(-1);
    const scope = stage ? stage.instructions : ctx.instructions;
    const last = scope.filter((i) => i.keyword === 'USER' && !i.onbuild).at(-1);
    if (!last) return [];
    const user = unquote(last.argsText.trim());
    // root is UID 0 everywhere, and running as root is DL3002's finding.
    if (/^(root|0)(:|$)/.test(user)) return [];
    // A variable counts as numeric when an ARG or ENV before this USER declares it (a UID passed in).
    const declared = new Set(
      ctx.instructions
        .filter((i) => i.index < last.index && (i.keyword === 'ARG' || i.keyword === 'ENV'))
        .flatMap((i) => i.properties.map((p) => p.name)),
    );
    const problems = new Set(
      user.split(':').flatMap((part) => {
        const vars = [...part.matchAll(VARIABLE)].map((m) => m[1] ?? '');
        if (vars.length > 0)
          return vars.filter((v) => !declared.has(v)).map((v) => `\`$${v}\` is not declared`);
        return /^\d+$/.test(part) ? [] : [`\`${part}\` is a name`];
      }),
    );
    return problems.size === 0
      ? []
      : [ctx.finding(last, `Use a numeric UID (and GID) in USER: ${[...problems].join(', ')}`)];
  },
});
