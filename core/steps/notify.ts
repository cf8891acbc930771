import { STEP_DECLARATIONS } from './declarations.js';
import { defineStep } from './step.js';

/** The notify step: tells the team of each definition about failed verdicts, builds and tests, substitutions and rebuilds. */
export const notifyStep = defineStep({
  name: 'notify',
  ...STEP_DECLARATIONS.notify,
  handle: async (event, ports) => {
    await ports.notifier.notify(event);
  },
});
