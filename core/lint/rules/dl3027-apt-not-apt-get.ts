import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

export const aptNotAptGet = defineRule({
  id: 'DL3027',
  level: 'warning',
  title: 'Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead',
  rationale:
    '`apt` is an interactive front end whose output and behaviour may change between releases (it warns that it has no stable CLI); scripts should use `apt-get` and `apt-cache`.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'apt').map((run) =>
      ctx.finding(
        run.command,
        `\`apt${run.args[0] ? ` ${run.args[0]}` : ''}\` uses apt, an end-user tool without a stable interface; use apt-get or apt-cache instead`,
      ),
    ),
});
