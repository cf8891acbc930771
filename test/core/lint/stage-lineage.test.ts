import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { parentStage, shippedStages, stageLineage } from '../../../core/lint/stage-lineage.js';

const stagesOf = (text: string) => parseDockerfile(text).model.stages;

describe('stage lineage', () => {
  const stages = stagesOf(
    'FROM debian:12 AS Base\nFROM base AS build\nFROM base AS test\nFROM build AS app\nFROM scratch\nCOPY --from=app /a /a',
  );

  it('finds the earlier stage a FROM names, ignoring case', () => {
    expect(parentStage(stages, stages[1]!)?.index).toBe(0);
    expect(parentStage(stages, stages[0]!)).toBeUndefined();
  });

  it('walks a stage back to its first base, nearest first', () => {
    expect(stageLineage(stages, 3)).toEqual([3, 1, 0]);
    expect(stageLineage(stages, 2)).toEqual([2, 0]);
  });

  it('ships only the last stage and the stages it is built FROM', () => {
    expect([...shippedStages(stages)]).toEqual([4]);
    expect([...shippedStages(stagesOf('FROM debian:12 AS a\nFROM a AS b\nFROM b'))].sort()).toEqual([
      0, 1, 2,
    ]);
    expect(shippedStages([]).size).toBe(0);
  });

  it('does not treat a later stage of the same name as a base', () => {
    const s = stagesOf('FROM app\nFROM debian:12 AS app');
    expect(stageLineage(s, 0)).toEqual([0]);
  });
});
