import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

const isRoot = (user: string): boolean => {
  const name = unquote(user).split(':')[0];
  return name === 'root' || name === '0';
};

export const lastUserRoot = defineRule({
  id: 'DL3002',
  level: 'warning',
  title: 'Last USER should not be root',
  rationale:
    'A container that runs as root turns any code execution bug into root on the container and a shorter path to the host; switch back to an unprivileged user after the steps that need root.',
  // Like hadolint, every stage is checked: a stage that ends as root hands root to whatever builds FROM it.
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      const last = stage.instructions.filter((i) => i.keyword === 'USER' && !i.onbuild).at(-1);
      if (!last || !isRoot(last.argsText.trim())) return [];
      const where = stage.name
        ? `stage \`${stage.name}\``
        : `the stage starting on line ${stage.from.loc.line}`;
      return [
        ctx.finding(
          last,
          `Last USER should not be root: ${where} ends running as \`${last.argsText.trim()}\``,
        ),
      ];
    }),
});
