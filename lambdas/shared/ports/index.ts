import type { AwsPorts } from '../aws-ports.js';
import type { AwsPortName } from '../deployment.js';
import { bus } from './bus.js';
import { clock } from './clock.js';
import { gateSettings } from './gate-settings.js';
import { lineage } from './lineage.js';
import { notifier } from './notifier.js';
import { policy } from './policy.js';
import { publishedEvents } from './published-events.js';
import { source } from './source.js';

/**
 * Every AWS port's factory, for the tests that assemble any step (a compile error until each port of `PORT_ENV`
 * has one). No entry imports it: its bundle would hold every adapter; an entry imports its ports' modules.
 */
export const AWS_PORTS: AwsPorts<AwsPortName> = {
  bus,
  clock,
  policy,
  source,
  gateSettings,
  publishedEvents,
  lineage,
  notifier,
};

/** The factories of a step's ports, picked from {@link AWS_PORTS}: for tests that assemble any step as deployed. */
export function awsPortsOf<P extends AwsPortName>(step: { readonly ports: readonly P[] }): AwsPorts<P> {
  return Object.fromEntries(step.ports.map((p) => [p, AWS_PORTS[p]])) as unknown as AwsPorts<P>;
}
