import { makeWebhookHandler } from './handlers/webhook.js';
import { webhookDeps } from './shared/aws-ports.js';

/** Function URL handler of GitHub and GitLab push webhooks. */
export const handler = makeWebhookHandler(webhookDeps());
