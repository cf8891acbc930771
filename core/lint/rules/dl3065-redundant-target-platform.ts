import { unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

const TARGET_PLATFORM = /^\$(TARGETPLATFORM|\{TARGETPLATFORM\})$/;

export const redundantTargetPlatform = defineRule({
  id: 'DL3065',
  level: 'info',
  title: 'Do not use `--platform=$TARGETPLATFORM` with FROM: it is the default',
  rationale:
    'A stage is built for the target platform anyway, so the flag only adds noise and suggests to a reader that something platform-specific happens here.',
  check: (ctx) =>
    ctx.stages
      .filter((s) => s.platform !== undefined && TARGET_PLATFORM.test(unquote(s.platform)))
      .map((s) =>
        ctx.finding(
          s.from,
          `Do not use \`--platform=${unquote(s.platform ?? '')}\` with FROM: the target platform is already the default`,
        ),
      ),
});
