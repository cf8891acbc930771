import { transferArgs } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

export const copyMultiSourceDir = defineRule({
  id: 'DL3021',
  level: 'error',
  title: 'COPY with more than 2 arguments requires the last argument to end with /',
  rationale:
    'With several sources the destination must be a directory; Docker rejects the build when it does not end with `/`.',
  check: (ctx) =>
    ctx.of('COPY').flatMap((inst) => {
      const args = transferArgs(inst);
      // A destination variable may well end with a slash at build time.
      if (!args || args.sources.length < 2 || /[/\\]$/.test(args.dest) || args.dest.includes('$')) return [];
      return [
        ctx.finding(
          inst,
          `COPY with more than 2 arguments requires the last argument to end with /: ${args.sources.length} sources are copied to \`${args.dest}\``,
        ),
      ];
    }),
});
