import { makeWebhookHandler } from './handlers/webhook.js';
import { webhookDeps } from './shared/deps/webhook.js';

/** Function URL handler of GitHub and GitLab push webhooks. */
export const handler = makeWebhookHandler(webhookDeps());
