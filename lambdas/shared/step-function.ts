import * as z from 'zod';
import { DEFINITION_GATE_REQUESTED } from '../../core/events/definition-gate-requested.js';
import { type DetailType, type DrydockEvent, EVENT_SCHEMAS } from '../../core/events/index.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { runStep, type Step } from '../../core/steps/step.js';
import type { PortName, StepPorts } from '../../core/steps/step-ports.js';
import type { StepFunctionName } from './deployment.js';
import type { Observability } from './observability.js';
import { type RecordBackoff, type RecordIdempotency, sqsBatchHandler } from './sqs-batch.js';
import { wireEvent } from './wire-event.js';

/**
 * What makes two gate messages the same work: a definition by (repository, commit, definition), whatever push or
 * EventBridge delivery brought it; a push by its whole detail.
 */
export const GATE_IDEMPOTENCY_KEY = `body.detailType == '${DEFINITION_GATE_REQUESTED}' && [body.detail.repository, body.detail.commit, body.detail.definition] || body.detail`;

/** How each step function recognises a redelivery: its idempotency key (JMESPath into the record), prefix and lifetime. */
export const STEP_IDEMPOTENCY = {
  gate: { keyPrefix: 'drydock.gate', key: GATE_IDEMPOTENCY_KEY },
  // Lineage is recorded once per image digest, whichever delivery brought it.
  lineage: { keyPrefix: 'drydock.lineage', key: 'body.detail.digest', expiresAfterSeconds: 86_400 },
  // The same notification is sent once a day at most; the prefix keeps the records of the former notifier.
  notify: {
    keyPrefix: 'drydock.notifier',
    key: '[body.detailType, body.detail]',
    expiresAfterSeconds: 86_400,
  },
} as const satisfies Record<
  StepFunctionName,
  { readonly keyPrefix: string; readonly key: string; readonly expiresAfterSeconds?: number }
>;

/** What a step function needs besides its step: the ports the step names, observability, idempotency. */
export interface StepHandlerDeps<P extends PortName> {
  readonly obs: Observability;
  readonly ports: Pick<StepPorts, P>;
  readonly idempotency: Pick<RecordIdempotency, 'persistenceStore'>;
  readonly backoff?: RecordBackoff;
}

/** The schema of what a step's queue carries: any event the step consumes, in EventBridge wire form. */
export function consumedEvents(step: Pick<Step, 'consumes'>): z.ZodType<DrydockEvent> {
  const schemas = step.consumes.map((t: DetailType) => EVENT_SCHEMAS[t]);
  const [first, ...rest] = schemas;
  if (!first) throw new Error('a step consumes at least one detail-type');
  const one =
    rest.length === 0
      ? first
      : z.union([first, ...rest] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return wireEvent(one) as unknown as z.ZodType<DrydockEvent>;
}

/**
 * The Lambda of a step deployed as a queue-fed function: an SQS batch handler whose records are the events the step
 * consumes, each run once (per `STEP_IDEMPOTENCY`) through `runStep`, so the step publishes only what it declares.
 */
export function makeStepHandler<N extends StepFunctionName, P extends PortName>(
  step: Step<N, DetailType, P>,
  deps: StepHandlerDeps<P>,
) {
  const { keyPrefix, ...idempotency } = STEP_IDEMPOTENCY[step.name];
  return sqsBatchHandler<DrydockEvent>({
    obs: deps.obs,
    keyPrefix,
    body: consumedEvents(step),
    idempotency: { ...idempotency, persistenceStore: deps.idempotency.persistenceStore },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (event) => {
      const published: { id: string; detailType: string }[] = [];
      const bus = (deps.ports as Partial<StepPorts>).bus;
      const ports = bus ? { ...deps.ports, bus: recording(bus, published) } : deps.ports;
      const run = await runStep(step, event, ports);
      deps.obs.logger.info(run.ran ? 'step ran' : 'step skipped', {
        step: step.name,
        event: event.id,
        detailType: event.detailType,
        ...(run.ran ? {} : { reason: run.reason }),
        published: published.map((e) => e.detailType),
      });
      return { ran: run.ran, published: published.map((e) => e.id) };
    },
  });
}

function recording(bus: EventBus, into: { id: string; detailType: string }[]): EventBus {
  return {
    publish: async (events) => {
      await bus.publish(events);
      for (const e of events) into.push({ id: e.id, detailType: e.detailType });
    },
  };
}
