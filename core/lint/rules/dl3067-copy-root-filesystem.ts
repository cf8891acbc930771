import { transferArgs, unquote } from '../../dockerfile/command-args.js';
import type { Stage } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

// `/`, `/.`, `//` and the like all name the root directory.
const isRoot = (path: string): boolean => /^\/[/.]*$/.test(path) && !path.includes('..');

// tonistiigi/xx is a scratch image of cross-compilation helpers whose documented use is `COPY --from=xx / /`.
const XX = /^(docker\.io\/)?tonistiigi\/xx([:@]|$)/i;

function isXx(stages: readonly Stage[], from: string): boolean {
  const ref = unquote(from);
  return XX.test(ref) || stages.some((s) => s.name === ref.toLowerCase() && XX.test(s.image));
}

export const copyRootFilesystem = defineRule({
  id: 'DL3067',
  level: 'warning',
  title: 'Do not copy the whole root filesystem of another stage into `/`',
  rationale:
    'Copying `/` of another stage onto `/` overlays every file of that image, including its package database, /etc and any build leftovers, which defeats the point of a separate stage and hides what the image contains.',
  check: (ctx) =>
    ctx.of('COPY').flatMap((inst) => {
      const from = inst.flags.find((f) => f.name.toLowerCase() === 'from')?.value;
      const args = transferArgs(inst);
      if (from == null || !args || !isRoot(args.dest) || !args.sources.some(isRoot)) return [];
      if (isXx(ctx.stages, from)) return [];
      return [
        ctx.finding(
          inst,
          `Do not copy the whole root filesystem of another stage into \`/\`: this copies everything in \`${from}\`; copy the directories the image needs`,
        ),
      ];
    }),
});
