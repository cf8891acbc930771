import { BUILD_FAILED } from '../events/build-failed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import { REBUILD_OUTCOME } from '../events/rebuild-outcome.js';
import { defineStep } from './step.js';

/** The notify step: tells the team of each definition about failed verdicts, builds and tests, substitutions and rebuilds. */
export const notifyStep = defineStep({
  name: 'notify',
  description: 'Tells teams about failed verdicts, builds and tests, substituted bases and what a ban did.',
  consumes: [DEFINITION_VERDICT, BUILD_FAILED, IMAGE_TESTED, REBUILD_OUTCOME],
  emits: [],
  ports: ['notifier'],
  handle: async (event, ports) => {
    await ports.notifier.notify(event);
  },
});
