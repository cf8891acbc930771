import type { Stage } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

export const uniqueStageNames = defineRule({
  id: 'DL3024',
  level: 'error',
  title: '`FROM` aliases (stage names) must be unique',
  rationale:
    'Two stages with one name make every `--from` and `FROM <name>` ambiguous; Docker rejects the file.',
  check: (ctx) => {
    const seen = new Map<string, Stage>();
    return ctx.stages.flatMap((stage) => {
      if (!stage.name) return [];
      const first = seen.get(stage.name);
      if (!first) {
        seen.set(stage.name, stage);
        return [];
      }
      return [
        ctx.finding(
          stage.from,
          `\`FROM\` aliases (stage names) must be unique: \`${stage.name}\` is already the name of the stage on line ${first.from.loc.line}`,
        ),
      ];
    });
  },
});
