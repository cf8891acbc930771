import { DEFINITION_PUSHED } from '../events/definition-pushed.js';
import { gateRequestedDefinition, splitPush, verdictIdFor } from '../gate/handle-push.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { defineStep } from './step.js';

/**
 * The gate: a push is taken apart into one `Definition Gate Requested` per definition (which the fair gate queue
 * interleaves with other repositories' work), and each definition is linted and checked against the policy
 * alone. A request whose verdict is already published is not gated again.
 */
export const gateStep = defineStep({
  name: 'gate',
  ...STEP_DECLARATIONS.gate,
  handle: async (event, ports) => {
    if (event.detailType === DEFINITION_PUSHED) {
      const split = await splitPush(event, { policy: ports.policy, clock: ports.clock });
      await ports.bus.publish([...split.verdicts, ...split.requests]);
      return;
    }
    const { repository, commit, definition, rebuild } = event.detail;
    if (await ports.publishedEvents.has(verdictIdFor(repository, commit, definition, rebuild))) return;
    const out = await gateRequestedDefinition(event, {
      source: ports.source,
      policy: ports.policy,
      clock: ports.clock,
      builders: ports.gateSettings.builders,
      ...(ports.gateSettings.lintConfig ? { config: ports.gateSettings.lintConfig } : {}),
    });
    // The verdict last: once it is published, everything this request produces is.
    await ports.bus.publish([...out.builds, ...out.verdicts]);
  },
});
