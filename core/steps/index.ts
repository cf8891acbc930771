import { bandAidsStep, banStep, rebuildsStep } from './ban.js';
import { buildStep } from './build.js';
import { gateStep } from './gate.js';
import { lineageStep } from './lineage.js';
import { notifyStep } from './notify.js';
import { publishStep } from './publish.js';
import { testStep } from './test.js';

export * from './step.js';
export type * from './step-ports.js';
export {
  bandAidsStep,
  banStep,
  buildStep,
  gateStep,
  lineageStep,
  notifyStep,
  publishStep,
  rebuildsStep,
  testStep,
};

/**
 * Every step of the pipeline, declared once. Each consumes the rule target of its name (`EVENT_RULES`,
 * `BAN_RULES`); the local workers, the Lambdas and the CodeBuild build run these declarations.
 */
export const STEPS = [
  gateStep,
  buildStep,
  testStep,
  publishStep,
  lineageStep,
  notifyStep,
  banStep,
  rebuildsStep,
  bandAidsStep,
] as const;

/** The name of a step (and of the rule target it consumes). */
export type StepName = (typeof STEPS)[number]['name'];

/** The step of a name. */
export type StepOf<N extends StepName> = Extract<(typeof STEPS)[number], { name: N }>;

/** The step of a name, or undefined for a name no step has. */
export function stepNamed(name: string): (typeof STEPS)[number] | undefined {
  return STEPS.find((s) => s.name === name);
}
