import { unwrap } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const sudoInRun = defineRule({
  id: 'DL3004',
  level: 'error',
  title: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
  rationale:
    'sudo changes its environment, TTY and signal handling depending on its configuration, and shipping it leaves a privilege escalation path in the image; RUN as root with USER, or use gosu.',
  check: (ctx) =>
    ctx
      .commands()
      .filter(({ command, instruction }) => {
        if (ctx.nonPosixShell(instruction)) return false;
        const { name, wrappers } = unwrap(command);
        return name === 'sudo' || wrappers.includes('sudo');
      })
      .map(({ command }) => {
        const target = unwrap(command).name;
        const what = target === 'sudo' ? 'sudo' : `\`sudo ${target}\``;
        return ctx.finding(
          command,
          `${what} in a RUN: RUN already runs as the USER in effect (root unless changed), and sudo behaves unpredictably without a terminal; switch users with USER, or use gosu`,
        );
      }),
});
