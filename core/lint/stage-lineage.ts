import type { Stage } from '../dockerfile/model.js';

/** The earlier stage a stage is built FROM, when its image names one. */
export function parentStage(stages: readonly Stage[], stage: Stage): Stage | undefined {
  const image = stage.image.toLowerCase();
  // A FROM can only name a stage defined before it; the nearest one with that name wins.
  for (let i = stage.index - 1; i >= 0; i--) {
    if (stages[i]?.name === image) return stages[i];
  }
  return undefined;
}

/** Indexes of a stage and of the stages it is built FROM, transitively, nearest first. */
export function stageLineage(stages: readonly Stage[], index: number): number[] {
  const out: number[] = [];
  for (let s = stages[index]; s && !out.includes(s.index); s = parentStage(stages, s)) out.push(s.index);
  return out;
}

/** Indexes of the stages whose layers end up in the final image: the last stage and its lineage. */
export function shippedStages(stages: readonly Stage[]): ReadonlySet<number> {
  return new Set(stages.length === 0 ? [] : stageLineage(stages, stages.length - 1));
}
