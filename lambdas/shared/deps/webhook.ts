import type { WebhookDeps } from '../../handlers/webhook.js';
import { pushFunctionDeps } from './push-function.js';

/** What the webhook receiver needs, from its environment. */
export function webhookDeps(env: Readonly<Record<string, string | undefined>> = process.env): WebhookDeps {
  const { obs, secrets, bus, capture, idempotency } = pushFunctionDeps('webhook', env);
  return { obs, secrets, capture, bus, idempotency };
}
