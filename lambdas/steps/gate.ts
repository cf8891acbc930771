import { gateStep } from '../../core/steps/gate.js';
import { awsStepDeps } from '../shared/aws-ports.js';
import { bus } from '../shared/ports/bus.js';
import { clock } from '../shared/ports/clock.js';
import { gateSettings } from '../shared/ports/gate-settings.js';
import { policy } from '../shared/ports/policy.js';
import { publishedEvents } from '../shared/ports/published-events.js';
import { source } from '../shared/ports/source.js';
import { makeStepHandler } from '../shared/step-function.js';

/** SQS handler of the gate queue: the gate step of the registry, on AWS ports. */
export const handler = makeStepHandler(
  gateStep,
  awsStepDeps(gateStep, { bus, clock, policy, source, gateSettings, publishedEvents }),
);
