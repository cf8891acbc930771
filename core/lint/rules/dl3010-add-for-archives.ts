import { hasFlag, isCommand, isTarArchiveName, transferArgs } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleFinding } from '../rule.js';

const baseName = (path: string): string => path.split(/[/\\]/).at(-1) ?? path;

// `tar -xf`, `tar --extract`, and the old dashless `tar xzf`.
const extractsTar = (cmd: Command): boolean =>
  isCommand(cmd, 'tar') &&
  (hasFlag(cmd, 'x', 'extract', 'get') || /^[a-z]*x[a-z]*$/i.test(cmd.args[0] ?? ''));

// Where a copied archive lands: the destination when it is itself an archive file name, else the source name.
function landedNames(copy: Instruction): string[] {
  const args = transferArgs(copy);
  if (!args) return [];
  const archives = args.sources.filter((s) => !s.includes('$') && isTarArchiveName(s));
  const destIsFile = args.sources.length === 1 && !/[/\\]$/.test(args.dest) && isTarArchiveName(args.dest);
  return archives.map((s) => baseName(destIsFile ? args.dest : s));
}

export const addForArchives = defineRule({
  id: 'DL3010',
  level: 'info',
  title: 'Use ADD for extracting archives into an image',
  rationale:
    'COPY of a tar archive followed by `tar -x` keeps the archive in a layer of its own, so the image carries it twice; ADD unpacks it in one step and one layer.',
  check: (ctx) => {
    const findings: RuleFinding[] = [];
    // Archive name → the COPY that brought it in, for the current stage only.
    let copied = new Map<string, Instruction>();
    const reported = new Set<Instruction>();
    for (const inst of ctx.instructions) {
      if (inst.keyword === 'FROM' && !inst.onbuild) copied = new Map();
      // A COPY --from takes the archive out of another image, which ADD cannot do.
      if (inst.keyword === 'COPY' && !inst.flags.some((f) => f.name.toLowerCase() === 'from')) {
        for (const name of landedNames(inst)) copied.set(name, inst);
      }
      if (inst.keyword !== 'RUN') continue;
      for (const { command } of ctx
        .commands()
        .filter((c) => c.instruction === inst && extractsTar(c.command))) {
        for (const arg of command.args) {
          const copy = copied.get(baseName(arg.split('=').at(-1) ?? arg));
          // ONBUILD triggers run in another build; they only pair with each other.
          if (!copy || copy.onbuild !== inst.onbuild || reported.has(copy)) continue;
          reported.add(copy);
          findings.push(
            ctx.finding(
              copy,
              `Use ADD for extracting archives into an image: this COPY brings in \`${baseName(arg)}\`, which \`tar\` on line ${command.loc.line} unpacks`,
            ),
          );
        }
      }
    }
    return findings;
  },
});
