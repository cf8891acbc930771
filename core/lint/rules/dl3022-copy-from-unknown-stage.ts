import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const copyFromUnknownStage = defineRule({
  id: 'DL3022',
  level: 'warning',
  title: '`COPY --from` should reference a previously defined `FROM` alias',
  rationale:
    'A `--from` that names no earlier stage is pulled as an image from a registry instead: a typo in a stage name silently copies from whatever image happens to carry that name.',
  check: (ctx) =>
    // ONBUILD triggers run in another build, whose stages are unknown here.
    ctx
      .of('COPY')
      .filter((i) => !i.onbuild)
      .flatMap((inst) => {
        const flag = inst.flags.find((f) => f.name.toLowerCase() === 'from')?.value;
        if (flag == null) return [];
        const ref = unquote(flag).toLowerCase();
        // An image reference (tag, path, digest) or a build-time variable is not a stage name.
        if (ref === '' || /[:/@$]/.test(ref)) return [];
        const own = ctx.stages[inst.stage];
        if (/^\d+$/.test(ref)) {
          // Its own index is DL3023's concern.
          if (Number(ref) <= inst.stage) return [];
          return [
            ctx.finding(
              inst,
              `\`COPY --from=${ref}\` should reference a previously defined \`FROM\` alias: only ${Math.max(inst.stage, 0)} stage(s) come before it`,
            ),
          ];
        }
        if (ref === own?.name || ctx.stageNamesBefore(inst).includes(ref)) return [];
        const later = ctx.stages.find((s) => s.name === ref);
        const why = later
          ? `stage \`${ref}\` is only defined later, on line ${later.from.loc.line}`
          : `no stage is named \`${ref}\`, so Docker pulls an image called \`${ref}\``;
        return [
          ctx.finding(inst, `\`COPY --from\` should reference a previously defined \`FROM\` alias: ${why}`),
        ];
      }),
});
