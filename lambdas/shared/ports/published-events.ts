import { awsPort } from '../aws-ports.js';

/** On AWS no event counts as published: Powertools idempotency keeps a redelivered record from running again. */
export const publishedEvents = awsPort('publishedEvents', () => ({ has: async () => false }));
