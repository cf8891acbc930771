import type { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { BUILDKIT } from '../../core/dockerfile/builder-profile.js';
import { DefinitionPushedEvent } from '../../core/events/definition-pushed.js';
import { handlePush } from '../../core/gate/handle-push.js';
import type { Policy } from '../../core/policy/schema.js';
import type { Clock } from '../../core/ports/clock.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { Observability } from '../shared/observability.js';
import { type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';
import { wireEvent } from '../shared/wire-event.js';

/** What the gate needs. */
export interface GateDeps {
  readonly obs: Observability;
  readonly bus: EventBus;
  readonly source: DefinitionSource;
  readonly policy: () => Promise<Policy>;
  readonly clock: Clock;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: QueueBackoff;
}

/**
 * SQS (from the `gate-pushed-definitions` rule): each `Definition Pushed` is linted and checked against the
 * policy by `handlePush`; its verdicts and build requests go to the bus. The same push detail is gated once.
 */
export const makeGateHandler = (deps: GateDeps) =>
  sqsBatchHandler({
    obs: deps.obs,
    keyPrefix: 'drydock.gate',
    body: wireEvent(DefinitionPushedEvent),
    idempotency: { ...deps.idempotency, key: 'body.detail' },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (push) => {
      // CodeBuild builds with BuildKit: the gate refuses what BuildKit would read differently.
      const out = await handlePush(push, {
        source: deps.source,
        policy: deps.policy,
        clock: deps.clock,
        builders: [BUILDKIT],
      });
      await deps.bus.publish([...out.verdicts, ...out.builds]);
      deps.obs.logger.info('push gated', {
        repository: push.detail.repository,
        commit: push.detail.after,
        verdicts: out.verdicts.length,
        builds: out.builds.length,
      });
      return { verdicts: out.verdicts.map((v) => v.id), builds: out.builds.map((b) => b.detail.buildId) };
    },
  });
