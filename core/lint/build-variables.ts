import {
  type Env,
  expandDockerWord,
  isKnown,
  type StageVariables,
  stageVariables,
  valueText,
} from '../dockerfile/expand.js';
import type { DockerfileModel, Instruction, Word } from '../dockerfile/model.js';

const variables = new WeakMap<DockerfileModel, StageVariables>();

/** The ENV and ARG values of every instruction of a file (see stageVariables), evaluated once per parsed file. */
export function variablesOf(model: DockerfileModel): StageVariables {
  let vars = variables.get(model);
  if (!vars) {
    vars = stageVariables(model);
    variables.set(model, vars);
  }
  return vars;
}

/**
 * A RUN word with the ENV and ARG values the Dockerfile sets substituted (`git-${V}` → `git-2.51`, `${V:-1}` → `1`),
 * or undefined when only the build can know it (an ARG without a default, a command substitution).
 */
export function expandWord(model: DockerfileModel, instruction: Instruction, word: Word): string | undefined {
  if (word.literal) return word.value;
  if (/`|\$\(/.test(word.value)) return undefined;
  return substitute(model, instruction, word.value);
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
  return substitute(model, instruction, text);
}

function substitute(model: DockerfileModel, instruction: Instruction, text: string): string | undefined {
  const env = variablesOf(model).build(instruction);
  const known: Env = {
    get: (name) => {
      const v = env.get(name);
      // An ENV of an unrelated stage is not set here; an ARG may come from --build-arg, and a name the Dockerfile
      // never sets may come from the base image.
      return v === undefined && envOnlyElsewhere(model, name) ? [] : v;
    },
  };
  const value = expandDockerWord(text, known, model.escape || '\\', false);
  if (!value || !isKnown(value)) return undefined;
  const out = valueText(value);
  return out.includes('$') ? undefined : out;
}

const envOnlyNames = new WeakMap<DockerfileModel, ReadonlySet<string>>();

function envOnlyElsewhere(model: DockerfileModel, name: string): boolean {
  let names = envOnlyNames.get(model);
  if (!names) {
    const env = new Set<string>();
    const arg = new Set<string>();
    for (const i of model.instructions) {
      if (i.keyword === 'ENV') for (const p of i.properties) env.add(p.name);
      if (i.keyword === 'ARG') for (const p of i.properties) arg.add(p.name);
    }
    names = new Set([...env].filter((n) => !arg.has(n)));
    envOnlyNames.set(model, names);
  }
  return names.has(name);
}
