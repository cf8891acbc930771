import { unquote } from '../../dockerfile/command-args.js';
import { expandFromText } from '../../dockerfile/image-uses.js';
import type { Stage } from '../../dockerfile/model.js';
import { defineRule, type RuleContext } from '../rule.js';
import { stageLineage } from '../stage-lineage.js';

const VARIABLE = /\$\{?([A-Za-z_]\w*)/g;
// Windows' built-in container accounts; Windows user names are not case-sensitive.
const WINDOWS_USER = /^(ContainerUser|ContainerAdministrator|NT AUTHORITY\\.+|LocalSystem)$/i;
// Windows base images: mcr.microsoft.com/windows/*, and the nanoserver / servercore variants other images publish.
const WINDOWS_IMAGE = /^mcr\.microsoft\.com\/windows([/:@]|$)|nanoserver|servercore/i;
const NON_POSIX = /(^|[\\/])(pwsh|powershell|cmd)(\.exe)?$/i;

/** Whether the stage runs Windows: its base (followed through earlier stages) is a Windows image, or a SHELL is. */
function windowsStage(ctx: RuleContext, stage: Stage): boolean {
  for (const index of stageLineage(ctx.stages, stage.index)) {
    const s = ctx.stages[index];
    if (!s) continue;
    const image = expandFromText(ctx.model, s.image)
      ?.map((p) => p.raw ?? p.text)
      .join('');
    if (WINDOWS_IMAGE.test(image ?? s.image)) return true;
    // SHELL is part of the image config, so a stage built FROM this one keeps it.
    if (s.instructions.some((i) => i.keyword === 'SHELL' && !i.onbuild && NON_POSIX.test(i.json?.[0] ?? '')))
      return true;
  }
  return false;
}

export const numericUser = defineRule({
  id: 'DL3066',
  level: 'info',
  title: 'Use a numeric UID (and GID) in USER',
  rationale:
    'A platform enforcing non-root (Kubernetes `runAsNonRoot`) can only verify a numeric UID; with a user name the pod is refused, since the name would have to be looked up inside the image. Windows containers have no UIDs: a Windows account (`ContainerUser`, `ContainerAdministrator`), a stage on a Windows base (mcr.microsoft.com/windows/*, nanoserver, servercore, followed through earlier stages and ARG defaults) or under a PowerShell/cmd SHELL is not a finding.',
  check: (ctx) => {
    // Only the user the image finally runs as reaches the platform; earlier USERs are build steps.
    const stage = ctx.stages.at(-1);
    const scope = stage ? stage.instructions : ctx.instructions;
    const last = scope.filter((i) => i.keyword === 'USER' && !i.onbuild).at(-1);
    if (!last) return [];
    const user = unquote(last.argsText.trim());
    // root is UID 0 everywhere, and running as root is DL3002's finding.
    if (/^(root|0)(:|$)/.test(user)) return [];
    if (WINDOWS_USER.test(user.split(':')[0] ?? '')) return [];
    if (ctx.nonPosixShell(last) || (stage && windowsStage(ctx, stage))) return [];
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
