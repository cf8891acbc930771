import { systemClock } from '../../../core/ports/clock.js';
import { awsPort } from '../aws-ports.js';

/** The clock port on AWS: the system clock. */
export const clock = awsPort('clock', () => systemClock);
