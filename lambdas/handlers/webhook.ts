import { createHash } from 'node:crypto';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import * as z from 'zod';
import {
  githubWebhookSecret,
  gitlabWebhookToken,
  type ProviderSecrets,
} from '../../adapters/aws/provider-secrets.js';
import type { CaptureOutcome, PushReport } from '../../adapters/aws/push-snapshots.js';
import { verifyGitHubSignature, verifyGitLabToken } from '../../adapters/aws/webhook-signature.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { failure, header, json, rawBody } from '../shared/http.js';
import { type Observability, withObservability } from '../shared/observability.js';

const Commit = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/);

/** The fields drydock reads from GitHub's `push` webhook payload. */
export const GitHubPush = z.object({
  ref: z.string().min(1),
  before: Commit,
  after: Commit,
  repository: z.object({ full_name: z.string().min(1) }),
  pusher: z.object({ name: z.string().min(1) }).optional(),
  sender: z.object({ login: z.string().min(1) }).optional(),
});

/** The fields drydock reads from GitLab's `Push Hook` payload. */
export const GitLabPush = z.object({
  object_kind: z.literal('push'),
  ref: z.string().min(1),
  before: Commit,
  after: Commit,
  user_username: z.string().min(1).optional(),
  project: z.object({ path_with_namespace: z.string().min(1) }),
});

/** What the webhook receiver needs. */
export interface WebhookDeps {
  readonly obs: Observability;
  readonly secrets: () => Promise<ProviderSecrets>;
  readonly capture: (push: PushReport) => Promise<CaptureOutcome>;
  readonly bus: EventBus;
  readonly idempotency: {
    readonly persistenceStore: BasePersistenceLayer;
    readonly expiresAfterSeconds?: number;
  };
}

interface Delivery {
  readonly deliveryId: string;
  readonly push: PushReport;
}

/** The answer to a delivery, kept by the idempotency layer and given again to a redelivery. */
interface DeliveryResult extends Record<string, unknown> {
  readonly statusCode: number;
  readonly message: string;
  readonly definitions?: number;
}

/**
 * A function URL for GitHub and GitLab push webhooks. The signature (GitHub `X-Hub-Signature-256`, an HMAC of the
 * raw body) or token (GitLab `X-Gitlab-Token`) is checked first, in constant time, against the secret in Secrets
 * Manager: a bad or missing one is a 401 and nothing else happens. A push is then snapshotted and published as
 * `Definition Pushed`, once per delivery id.
 */
export function makeWebhookHandler(deps: WebhookDeps) {
  const { obs } = deps;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'deliveryId',
    expiresAfterSeconds: deps.idempotency.expiresAfterSeconds ?? 7 * 86_400,
    throwOnNoIdempotencyKey: true,
  });
  const deliver = makeIdempotent(
    async (delivery: Delivery): Promise<DeliveryResult> => {
      const outcome = await deps.capture(delivery.push);
      if ('skipped' in outcome) return { statusCode: 200, message: `ignored: ${outcome.skipped}` };
      await deps.bus.publish([outcome.event]);
      obs.metrics.addMetric('PushesAccepted', MetricUnit.Count, 1);
      return {
        statusCode: 202,
        message: 'accepted',
        definitions: outcome.event.detail.definitions.length,
      };
    },
    { persistenceStore: deps.idempotency.persistenceStore, config, keyPrefix: 'drydock.webhook' },
  );

  return withObservability<LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2>(
    obs,
    async (event, context) => {
      const request = parse(event, undefined, LambdaFunctionUrlSchema, true);
      if (!request.success) return json(400, { message: 'not a function URL request' });
      const headers = request.data.headers;
      const body = rawBody(request.data);
      let secrets: ProviderSecrets;
      try {
        secrets = await deps.secrets();
      } catch (err) {
        return failure(obs, err, 'secrets');
      }
      const reject = (why: string) => {
        obs.metrics.addMetric('WebhooksRejected', MetricUnit.Count, 1);
        obs.logger.warn('webhook rejected', { why, sourceIp: request.data.requestContext.http.sourceIp });
        return json(401, { message: 'unauthorized' });
      };

      let kind: string | undefined;
      let deliveryId: string | undefined;
      let payload: unknown;
      const github = header(headers, 'x-github-event');
      const gitlab = header(headers, 'x-gitlab-event');
      if (github !== undefined) {
        const secret = githubWebhookSecret(secrets);
        if (!secret) return reject('no GitHub webhook secret is configured');
        if (!verifyGitHubSignature(body, header(headers, 'x-hub-signature-256'), secret)) {
          return reject('GitHub signature missing or wrong');
        }
        kind = github === 'push' ? 'github-push' : github === 'ping' ? 'ping' : undefined;
        deliveryId = header(headers, 'x-github-delivery');
      } else if (gitlab !== undefined) {
        const token = gitlabWebhookToken(secrets);
        if (!token) return reject('no GitLab webhook token is configured');
        if (!verifyGitLabToken(header(headers, 'x-gitlab-token'), token)) {
          return reject('GitLab token missing or wrong');
        }
        kind = gitlab === 'Push Hook' ? 'gitlab-push' : undefined;
        deliveryId = header(headers, 'x-gitlab-event-uuid');
      } else {
        return reject('neither a GitHub nor a GitLab delivery');
      }
      if (kind === 'ping') return json(200, { message: 'pong' });
      if (kind === undefined) return json(200, { message: `ignored: ${github ?? gitlab} is not a push` });

      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return json(400, { message: 'the body is not JSON' });
      }
      let push: PushReport;
      if (kind === 'github-push') {
        const p = GitHubPush.safeParse(payload);
        if (!p.success) return json(400, { message: `not a GitHub push: ${issues(p.error)}` });
        push = {
          repository: `${secrets.github?.host ?? 'github.com'}/${p.data.repository.full_name}`,
          ref: p.data.ref,
          before: p.data.before,
          after: p.data.after,
          pusher: p.data.pusher?.name ?? p.data.sender?.login ?? 'unknown',
        };
      } else {
        const p = GitLabPush.safeParse(payload);
        if (!p.success) return json(400, { message: `not a GitLab push: ${issues(p.error)}` });
        push = {
          repository: `${new URL(secrets.gitlab?.url ?? 'https://gitlab.com').host}/${p.data.project.path_with_namespace}`,
          ref: p.data.ref,
          before: p.data.before,
          after: p.data.after,
          pusher: p.data.user_username ?? 'unknown',
        };
      }
      // Without a delivery id the body itself identifies the delivery: a resent body is the same push.
      const id = deliveryId ?? `body-${createHash('sha256').update(body).digest('hex')}`;
      config.registerLambdaContext(context);
      try {
        const result = await deliver({ deliveryId: `${kind}:${id}`, push });
        obs.logger.info('delivery handled', { deliveryId: id, repository: push.repository, ...result });
        return json(result.statusCode, {
          message: result.message,
          ...(result.definitions === undefined ? {} : { definitions: result.definitions }),
        });
      } catch (err) {
        return failure(obs, err, id);
      }
    },
  );
}

const issues = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
