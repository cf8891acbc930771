import { lineageStep } from '../../core/steps/lineage.js';
import { awsStepDeps } from '../shared/aws-ports.js';
import { lineage } from '../shared/ports/lineage.js';
import { makeStepHandler } from '../shared/step-function.js';

/** SQS handler of the lineage queue: the lineage step of the registry, on AWS ports. */
export const handler = makeStepHandler(lineageStep, awsStepDeps(lineageStep, { lineage }));
