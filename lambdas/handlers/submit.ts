import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import * as z from 'zod';
import type { CaptureOutcome, PushReport } from '../../adapters/aws/push-snapshots.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { isSafePath } from '../../core/push/repository-paths.js';
import { failure, json, rawBody } from '../shared/http.js';
import { type Observability, withObservability } from '../shared/observability.js';

const Commit = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, { error: 'must be a full commit id' });

/** The body of a `drydock submit` request: which definitions of which repository to build at which commit. */
export const SubmitRequest = z.strictObject({
  /** `<host>/<project>`, like `github.com/acme/payments`. */
  repository: z.string().min(3).max(512),
  ref: z.string().startsWith('refs/heads/', { error: 'must be a branch (refs/heads/…)' }).max(512),
  commit: Commit,
  definitions: z
    .array(z.string().refine(isSafePath, { error: 'must be a relative path inside the repository' }))
    .min(1)
    .max(100),
});
export type SubmitRequest = z.infer<typeof SubmitRequest>;

/** What the submit endpoint needs. */
export interface SubmitDeps {
  readonly obs: Observability;
  readonly capture: (push: PushReport) => Promise<CaptureOutcome>;
  readonly bus: EventBus;
  readonly idempotency: {
    readonly persistenceStore: BasePersistenceLayer;
    readonly expiresAfterSeconds?: number;
  };
}

/**
 * An IAM-authenticated function URL for `drydock submit`: a team's own CI asks the ops-owned pipeline to gate and
 * build named definitions at a commit. The caller's IAM identity becomes the pusher; the same request from the
 * same caller is published once.
 */
export function makeSubmitHandler(deps: SubmitDeps) {
  const { obs } = deps;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[caller, request]',
    expiresAfterSeconds: deps.idempotency.expiresAfterSeconds ?? 3600,
    throwOnNoIdempotencyKey: true,
  });
  const submit = makeIdempotent(
    async (input: { caller: string; request: SubmitRequest }) => {
      const { request } = input;
      const outcome = await deps.capture({
        repository: request.repository,
        ref: request.ref,
        // A submitted build has no previous commit to compare with: it names its definitions instead.
        before: '0'.repeat(40),
        after: request.commit,
        pusher: input.caller,
        definitions: request.definitions,
      });
      if ('skipped' in outcome) return { statusCode: 200, message: `ignored: ${outcome.skipped}` };
      await deps.bus.publish([outcome.event]);
      obs.metrics.addMetric('SubmissionsAccepted', MetricUnit.Count, 1);
      return { statusCode: 202, message: 'accepted', definitions: outcome.event.detail.definitions.length };
    },
    { persistenceStore: deps.idempotency.persistenceStore, config, keyPrefix: 'drydock.submit' },
  );

  return withObservability<LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2>(
    obs,
    async (event, context) => {
      const request = parse(event, undefined, LambdaFunctionUrlSchema, true);
      if (!request.success) return json(400, { message: 'not a function URL request' });
      // The function URL's AWS_IAM auth has already verified the signature; this is who signed.
      const caller = request.data.requestContext.authorizer?.iam?.userArn;
      if (!caller) return json(403, { message: 'the request carries no IAM identity' });
      if (request.data.requestContext.http.method !== 'POST') return json(405, { message: 'use POST' });
      let body: unknown;
      try {
        body = JSON.parse(rawBody(request.data).toString('utf8'));
      } catch {
        return json(400, { message: 'the body is not JSON' });
      }
      const parsed = SubmitRequest.safeParse(body);
      if (!parsed.success) {
        return json(400, {
          message: 'invalid request',
          issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
        });
      }
      config.registerLambdaContext(context);
      try {
        const result = await submit({ caller, request: parsed.data });
        obs.logger.info('submission handled', { caller, repository: parsed.data.repository, ...result });
        const { statusCode, ...rest } = result;
        return json(statusCode, rest);
      } catch (err) {
        return failure(obs, err, `${caller} ${parsed.data.repository}@${parsed.data.commit}`);
      }
    },
  );
}
