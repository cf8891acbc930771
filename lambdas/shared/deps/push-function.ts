import { capturePush } from '../../../adapters/aws/push-snapshots.js';
import { systemClock } from '../../../core/ports/clock.js';
import type { WebhookDeps } from '../../handlers/webhook.js';
import { providerAccess } from '../aws.js';
import { awsPorts, idempotencyOf } from '../aws-ports.js';
import { AWS_ONLY_FUNCTION_ENV } from '../deployment.js';
import { readEnv } from '../env.js';
import { observability } from '../observability.js';
import { bus } from '../ports/bus.js';
import { snapshotStore } from '../ports/source.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What both push receivers (the webhook and submit) need, from the environment of the named one. */
export function pushFunctionDeps(name: 'webhook' | 'submit', env: Env) {
  const obs = observability(name);
  const vars = readEnv(name, AWS_ONLY_FUNCTION_ENV[name], env);
  const access = providerAccess(obs, vars.WEBHOOK_SECRET_ARN);
  const store = snapshotStore(obs, vars.SNAPSHOT_BUCKET);
  return {
    obs,
    secrets: access.secrets,
    ...awsPorts({ bus }, obs, env),
    capture: (push: Parameters<WebhookDeps['capture']>[0]) =>
      capturePush(push, { providers: access.providers, store, clock: systemClock }),
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
  };
}
