import { isAbsolutePath, unquote } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const absoluteWorkdir = defineRule({
  id: 'DL3000',
  level: 'error',
  title: 'Use absolute WORKDIR',
  rationale:
    'A relative WORKDIR resolves against whatever directory the base image left behind, so a base image update silently moves every later COPY and RUN.',
  check: (ctx) =>
    ctx.of('WORKDIR').flatMap((inst) => {
      const dir = unquote(inst.argsText.trim());
      // A variable is resolved at build time (usually to an absolute path); it cannot be judged here.
      if (dir === '' || dir.startsWith('$') || isAbsolutePath(dir)) return [];
      return [
        ctx.finding(
          inst,
          `Use absolute WORKDIR: \`${dir}\` is relative to the working directory of the base image`,
        ),
      ];
    }),
});
