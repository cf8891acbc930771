import type { Instruction } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

// Docker's rule: a JSON array of strings is exec form; anything else runs through the shell.
function isJsonArray(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

const brief = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// A HEALTHCHECK in shell form that needs no shell, or undefined. A check using `||`, pipes or
// variables needs `sh -c` either way, and unlike CMD it is not PID 1, so the shell form costs nothing.
function needlessShellHealthcheck(inst: Instruction): string | undefined {
  const m = /^CMD\s+([\s\S]*)$/i.exec(inst.argsText.trim());
  const command = m?.[1]?.trim();
  if (command === undefined || isJsonArray(command) || /[|&;<>$`*?]/.test(command)) return undefined;
  return command;
}

export const jsonCmd = defineRule({
  id: 'DL3025',
  level: 'warning',
  title: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  rationale:
    'Shell form runs the command under `/bin/sh -c`, which becomes PID 1 and does not pass on SIGTERM: the container ignores `docker stop` until it is killed, and shutdown hooks never run.',
  check: (ctx) =>
    ctx.of('CMD', 'ENTRYPOINT', 'HEALTHCHECK').flatMap((inst) => {
      if (inst.keyword === 'HEALTHCHECK') {
        const command = needlessShellHealthcheck(inst);
        return command === undefined
          ? []
          : [
              ctx.finding(
                inst,
                `Use arguments JSON notation for CMD and ENTRYPOINT arguments: HEALTHCHECK CMD \`${brief(command)}\` starts a shell on every check for a command that needs none`,
              ),
            ];
      }
      if (inst.json) return [];
      return [
        ctx.finding(
          inst,
          `Use arguments JSON notation for CMD and ENTRYPOINT arguments: ${inst.keyword} \`${brief(inst.argsText.trim())}\` runs under /bin/sh -c, which does not forward signals`,
        ),
      ];
    }),
});
