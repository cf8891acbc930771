import * as z from 'zod';
import type { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { BUILDKIT } from '../../core/dockerfile/builder-profile.js';
import {
  DEFINITION_GATE_REQUESTED,
  DefinitionGateRequestedEvent,
} from '../../core/events/definition-gate-requested.js';
import { DefinitionPushedEvent } from '../../core/events/definition-pushed.js';
import { gateRequestedDefinition, splitPush } from '../../core/gate/handle-push.js';
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

/** What the gate queue carries: pushes (`gate-pushed-definitions`) and their definitions (`gate-each-definition`). */
const GateMessage = wireEvent(
  z.discriminatedUnion('detailType', [DefinitionPushedEvent, DefinitionGateRequestedEvent]),
);

/**
 * What makes two gate messages the same work: a definition by (repository, commit, definition), whatever push or
 * EventBridge delivery brought it; a push by its whole detail.
 */
export const GATE_IDEMPOTENCY_KEY = `body.detailType == '${DEFINITION_GATE_REQUESTED}' && [body.detail.repository, body.detail.commit, body.detail.definition] || body.detail`;

/**
 * SQS (from the `gate-pushed-definitions` and `gate-each-definition` rules): a `Definition Pushed` is taken apart
 * by `splitPush` into one `Definition Gate Requested` per definition (or one failed verdict when it is over the
 * cap), which EventBridge brings back here one by one; each is linted and checked against the policy by
 * `gateRequestedDefinition`, its verdict and build request go to the bus. The same work is done once.
 */
export const makeGateHandler = (deps: GateDeps) =>
  sqsBatchHandler({
    obs: deps.obs,
    keyPrefix: 'drydock.gate',
    body: GateMessage,
    idempotency: { ...deps.idempotency, key: GATE_IDEMPOTENCY_KEY },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (message) => {
      if (message.detailType === 'Definition Pushed') {
        const split = await splitPush(message, { policy: deps.policy, clock: deps.clock });
        await deps.bus.publish([...split.verdicts, ...split.requests]);
        deps.obs.logger.info('push split', {
          repository: message.detail.repository,
          commit: message.detail.after,
          requests: split.requests.length,
          refused: split.verdicts.length > 0,
        });
        return { requests: split.requests.map((r) => r.id), verdicts: split.verdicts.map((v) => v.id) };
      }
      const out = await gateRequestedDefinition(message, {
        source: deps.source,
        policy: deps.policy,
        clock: deps.clock,
        // CodeBuild builds with BuildKit: the gate refuses what BuildKit would read differently.
        builders: [BUILDKIT],
      });
      await deps.bus.publish([...out.builds, ...out.verdicts]);
      deps.obs.logger.info('definition gated', {
        repository: message.detail.repository,
        commit: message.detail.commit,
        definition: message.detail.definition,
        passed: out.verdicts.every((v) => v.detail.passed),
        builds: out.builds.length,
      });
      return { verdicts: out.verdicts.map((v) => v.id), builds: out.builds.map((b) => b.detail.buildId) };
    },
  });
