import { gateStep } from '../../core/steps/gate.js';
import { awsStepDeps } from '../shared/aws-ports.js';
import { makeStepHandler } from '../shared/step-function.js';

/** SQS handler of the gate queue: the gate step of the registry, on AWS ports. */
export const handler = makeStepHandler(gateStep, awsStepDeps(gateStep));
