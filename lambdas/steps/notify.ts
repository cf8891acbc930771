import { notifyStep } from '../../core/steps/notify.js';
import { awsStepDeps } from '../shared/aws-ports.js';
import { notifier } from '../shared/ports/notifier.js';
import { makeStepHandler } from '../shared/step-function.js';

/** SQS handler of the notification queue: the notify step of the registry, on AWS ports. */
export const handler = makeStepHandler(notifyStep, awsStepDeps(notifyStep, { notifier }));
