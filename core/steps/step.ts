import { DrydockError } from '../errors.js';
import type { DetailType, DrydockEvent, EventOf } from '../events/index.js';
import { type EventRule, LOCAL_EVENT_RULES, matches } from '../events/rules.js';
import type { EventBus } from '../ports/event-bus.js';
import type { PortName, StepPorts } from './step-ports.js';

/**
 * One pipeline step, declared once and run by every runtime: the rule target whose queue it consumes, the
 * detail-types it handles, the detail-types it may publish (on AWS its `events:PutEvents` condition), the ports
 * it needs (on AWS its grants), and `handle(event, ports)`.
 */
export interface Step<
  N extends string = string,
  C extends DetailType = DetailType,
  P extends PortName = PortName,
> extends StepDeclaration<C, P> {
  /** The step's name, which is also the rule target (queue) it consumes: `gate`, `build`, `ban`… */
  readonly name: N;
  handle(event: EventOf<C>, ports: Pick<StepPorts, P>): Promise<void>;
}

/** What a step is, without its handler (an entry of `STEP_DECLARATIONS`). */
export interface StepDeclaration<C extends DetailType = DetailType, P extends PortName = PortName> {
  readonly description: string;
  /** Detail-types the step handles; the rules targeting it deliver exactly these (checked by the registry test). */
  readonly consumes: readonly C[];
  /** Detail-types the step may publish; publishing another is refused (`StepEmitError`). */
  readonly emits: readonly DetailType[];
  readonly ports: readonly P[];
}

/** Declares a step with its types inferred from the lists (a handler sees only the ports it names). */
export function defineStep<const N extends string, const C extends DetailType, const P extends PortName>(
  step: Step<N, C, P>,
): Step<N, C, P> {
  return step;
}

/** A step published a detail-type it does not declare: a defect of the step, never retried. */
export class StepEmitError extends DrydockError {
  override readonly name = 'StepEmitError';

  constructor(step: string, detailType: string, declared: readonly string[]) {
    super(
      `step ${step} may publish ${declared.length ? declared.join(', ') : 'nothing'}, not ${JSON.stringify(detailType)}`,
      { code: 'STEP_EMIT_UNDECLARED' },
    );
  }
}

/** A bus that refuses what the step does not declare (the local twin of the PutEvents condition on AWS). */
export function declaredBus(step: Pick<Step, 'name' | 'emits'>, bus: EventBus): EventBus {
  const allowed = new Set<string>(step.emits);
  return {
    publish: async (events) => {
      for (const e of events) {
        if (!allowed.has(e.detailType)) throw new StepEmitError(step.name, e.detailType, step.emits);
      }
      await bus.publish(events);
    },
  };
}

/** What `runStep` did with an event. */
export type StepRun = { readonly ran: true } | { readonly ran: false; readonly reason: string };

/**
 * Runs one event through a step, as every runtime does: an event of a detail-type the step does not consume, or
 * one that no rule targeting the step matches (an Image Tested that did not pass, at publish), is ignored, so a
 * step run by hand (`drydock step`) or fed by a misrouted queue does exactly what the deployed rules allow; the
 * step's bus refuses undeclared detail-types.
 */
export async function runStep<C extends DetailType, P extends PortName>(
  step: Step<string, C, P>,
  event: DrydockEvent,
  ports: Pick<StepPorts, P>,
  rules: readonly EventRule[] = LOCAL_EVENT_RULES,
): Promise<StepRun> {
  if (!(step.consumes as readonly string[]).includes(event.detailType)) {
    return { ran: false, reason: `step ${step.name} does not consume ${event.detailType}` };
  }
  const routing = rules.filter((r) => r.target === step.name);
  // A step no rule targets (a test's own) is routed by its detail-types alone.
  if (routing.length > 0 && !routing.some((r) => matches(r.pattern, event))) {
    return { ran: false, reason: `no rule routes this ${event.detailType} to ${step.name}` };
  }
  const bus = (ports as Partial<StepPorts>).bus;
  const guarded = bus ? { ...ports, bus: declaredBus(step, bus) } : ports;
  await step.handle(event as EventOf<C>, guarded);
  return { ran: true };
}
