import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const copyFromOwnStage = defineRule({
  id: 'DL3023',
  level: 'error',
  title: '`COPY --from` cannot reference its own `FROM` alias',
  rationale: 'A stage cannot copy from itself; Docker rejects the build with a circular dependency.',
  check: (ctx) =>
    ctx
      .of('COPY')
      .filter((i) => !i.onbuild && i.stage >= 0)
      .flatMap((inst) => {
        const flag = inst.flags.find((f) => f.name.toLowerCase() === 'from')?.value;
        if (flag == null) return [];
        const ref = unquote(flag).toLowerCase();
        const own = ctx.stages[inst.stage];
        if (!own || (ref !== own.name && ref !== String(own.index))) return [];
        return [
          ctx.finding(
            inst,
            `\`COPY --from\` cannot reference its own \`FROM\` alias: \`${ref}\` is the stage this COPY is in`,
          ),
        ];
      }),
});
