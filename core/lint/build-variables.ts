import type { DockerfileModel, Instruction, Word } from '../dockerfile/model.js';
import { stageLineage } from './stage-lineage.js';

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * A RUN word with the ENV and ARG values the Dockerfile sets substituted (`git-${V}` → `git-2.51`),
 * or undefined when only the build can know it (an ARG without a default, a command substitution).
 */
export function expandWord(model: DockerfileModel, instruction: Instruction, word: Word): string | undefined {
  if (word.literal) return word.value;
  if (/`|\$\(/.test(word.value)) return undefined;
  const known = variablesAt(model, instruction);
  let unknown = false;
  const expanded = word.value.replace(REFERENCE, (_m, braced?: string, modifier?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = known.get(name);
    if (modifier || value === null || value?.includes('$')) unknown = true;
    else if (value === undefined) {
      // An ENV of an unrelated stage is not set here; an ARG may come from --build-arg, and a name
      // the Dockerfile never sets may come from the base image.
      if (!envOnlyElsewhere(model, name)) unknown = true;
    }
    return value ?? '';
  });
  return unknown || expanded.includes('$') ? undefined : expanded;
}

// ENV and ARG values in effect at the instruction: its stage's, and the ENVs of the stages it is built FROM.
// null marks an ARG without a default, whose value the build supplies.
function variablesAt(model: DockerfileModel, instruction: Instruction): Map<string, string | null> {
  const vars = new Map<string, string | null>();
  // A file without FROM (a fragment, an ONBUILD-only base) has its instructions outside any stage.
  const scopes =
    instruction.stage < 0
      ? [model.instructions.filter((i) => i.stage < 0)]
      : stageLineage(model.stages, instruction.stage)
          .reverse()
          .map((index) => model.stages[index]?.instructions ?? []);
  for (const scope of scopes) {
    for (const inst of scope) {
      if (inst.index >= instruction.index || inst.onbuild) continue;
      // ENV is inherited by stages built FROM this one; ARG ends with its stage.
      if (inst.keyword !== 'ENV' && !(inst.keyword === 'ARG' && inst.stage === instruction.stage)) continue;
      for (const p of inst.properties) {
        const global = model.globalArgs.find((g) => g.name === p.name)?.value;
        vars.set(p.name, p.value ?? (inst.keyword === 'ARG' ? (global ?? null) : ''));
      }
    }
  }
  return vars;
}

function envOnlyElsewhere(model: DockerfileModel, name: string): boolean {
  const declaring = model.instructions.filter(
    (i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && i.properties.some((p) => p.name === name),
  );
  return declaring.length > 0 && declaring.every((i) => i.keyword === 'ENV');
}

/**
 * Text of an instruction argument (a COPY destination, a WORKDIR) with the ENV and ARG values the Dockerfile sets
 * substituted, or undefined when only the build can know a value.
 */
export function expandText(
  model: DockerfileModel,
  instruction: Instruction,
  text: string,
): string | undefined {
  if (!text.includes('$')) return text;
  return expandWord(model, instruction, { value: text, literal: false, quoted: false, raw: text });
}
