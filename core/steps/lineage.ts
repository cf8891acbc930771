import { recordLineage } from '../pipeline/lineage-step.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { defineStep } from './step.js';

/** The lineage step: records every published image with its bases, once per digest. */
export const lineageStep = defineStep({
  name: 'lineage',
  ...STEP_DECLARATIONS.lineage,
  handle: async (event, ports) => {
    await recordLineage(event, { lineage: ports.lineage });
  },
});
