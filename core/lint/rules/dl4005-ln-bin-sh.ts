import { hasFlag, operands, unwrap } from '../../dockerfile/command-args.js';
import type { Command } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

const SYSTEM_SH = new Set(['/bin/sh', '/usr/bin/sh']);

// The link name is the last operand (`ln -sf /bin/bash /bin/sh`); with -t every operand is a target.
function relinksSh(command: Command): boolean {
  const cmd = unwrap(command);
  return (
    cmd.name === 'ln' &&
    !hasFlag(cmd, 't', 'target-directory') &&
    SYSTEM_SH.has(operands(cmd, ['S', 'suffix']).at(-1) ?? '')
  );
}

export const lnBinSh = defineRule({
  id: 'DL4005',
  level: 'warning',
  title: 'Use SHELL to change the default shell',
  rationale:
    'Relinking /bin/sh changes the shell for every program in the image, not just the build, and breaks scripts that expect POSIX sh; the SHELL instruction changes only what RUN uses.',
  check: (ctx) =>
    ctx
      .commands()
      .filter(({ command }) => relinksSh(command))
      .map(({ command }) =>
        ctx.finding(
          command,
          `Use SHELL to change the default shell: \`${[command.name, ...command.args].join(' ')}\` replaces /bin/sh for every program in the image`,
        ),
      ),
});
