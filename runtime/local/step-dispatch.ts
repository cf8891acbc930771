import { DrydockError } from '../../core/errors.js';
import type { DetailType } from '../../core/events/index.js';
import {
  type PortName,
  runStep,
  STEPS,
  type Step,
  type StepPorts,
  stepNamed,
} from '../../core/steps/index.js';
import type { EventHandler } from './queue-worker.js';

/** The queues and the steps do not match: a queue nobody drains, or a step whose events are never queued. */
export class StepQueueMismatchError extends DrydockError {
  override readonly name = 'StepQueueMismatchError';

  constructor(queuesWithoutStep: readonly string[], stepsWithoutQueue: readonly string[]) {
    const problems = [
      ...(queuesWithoutStep.length ? [`queues with no step: ${queuesWithoutStep.join(', ')}`] : []),
      ...(stepsWithoutQueue.length ? [`steps with no queue: ${stepsWithoutQueue.join(', ')}`] : []),
    ];
    super(`the local queues and the step registry disagree (${problems.join('; ')})`, {
      code: 'STEP_QUEUE_MISMATCH',
    });
  }
}

/** The handler of one step's queue: each event goes through `runStep` with the step's ports. */
export function stepHandler<P extends PortName>(
  step: Step<string, DetailType, P>,
  ports: Pick<StepPorts, P>,
): EventHandler {
  return async (event) => {
    // An event the step does not consume is acknowledged and dropped, as a rule delivering it to several targets means.
    await runStep(step, event, ports);
  };
}

/**
 * The handler of every queue, each running the step of the queue's name. Every queue must have a step and every
 * step a queue, or the runtime refuses to start: a message nobody handles would wait for good.
 */
export function queueHandlers(queueNames: readonly string[], ports: StepPorts): Record<string, EventHandler> {
  const queuesWithoutStep = queueNames.filter((name) => stepNamed(name) === undefined);
  const stepsWithoutQueue = STEPS.map((s) => s.name).filter((name) => !queueNames.includes(name));
  if (queuesWithoutStep.length || stepsWithoutQueue.length) {
    throw new StepQueueMismatchError(queuesWithoutStep, stepsWithoutQueue);
  }
  return Object.fromEntries(
    queueNames.map((name) => [
      name,
      stepHandler(stepNamed(name) as Step<string, DetailType, PortName>, ports),
    ]),
  );
}
