import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

const MAX_PORT = 65535;

export const validPorts = defineRule({
  id: 'DL3011',
  level: 'error',
  title: 'Valid UNIX ports range from 0 to 65535',
  rationale:
    'A port above 65535 does not exist; Docker rejects the EXPOSE or the published port never works.',
  check: (ctx) =>
    ctx.of('EXPOSE').flatMap((inst) =>
      inst.args.flatMap((arg) => {
        const ports = (unquote(arg).split('/')[0] ?? '').split('-');
        // Parts holding a variable are only known at build time.
        const bad = ports.filter((p) => /^\d+$/.test(p) && Number(p) > MAX_PORT);
        return bad.length === 0
          ? []
          : [
              ctx.finding(
                inst,
                `Valid UNIX ports range from 0 to 65535: \`${arg}\` names port ${bad.join(', ')}`,
              ),
            ];
      }),
    ),
});
