import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const fromPlatform = defineRule({
  id: 'DL3029',
  level: 'warning',
  title: 'Do not use --platform flag with FROM',
  rationale:
    'A fixed platform pins the stage to one architecture, so a multi-platform build quietly produces, or runs under emulation, the wrong one; use a build variable such as `$BUILDPLATFORM` instead.',
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      if (stage.platform === undefined) return [];
      const platform = unquote(stage.platform);
      // `$BUILDPLATFORM` and friends follow the build's own platforms, which is what the flag is for.
      if (platform.startsWith('$')) return [];
      return [
        ctx.finding(
          stage.from,
          `Do not use --platform flag with FROM: \`--platform=${platform}\` fixes this stage to one platform; use a variable such as $BUILDPLATFORM`,
        ),
      ];
    }),
});
