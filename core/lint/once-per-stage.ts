import type { Instruction } from '../dockerfile/model.js';
import type { RuleContext } from './rule.js';

/** Each `keyword` instruction after the first of its stage, paired with that first one; ONBUILD triggers count apart. */
export function laterDuplicates(ctx: RuleContext, keyword: string): [Instruction, Instruction][] {
  // ONBUILD triggers configure the image built FROM this one, so they are counted on their own.
  const first = new Map<string, Instruction>();
  return ctx.of(keyword).flatMap((inst): [Instruction, Instruction][] => {
    const key = `${inst.stage}:${inst.onbuild}`;
    const earlier = first.get(key);
    if (earlier) return [[inst, earlier]];
    first.set(key, inst);
    return [];
  });
}
