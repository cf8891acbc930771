import { IMAGE_PUBLISHED } from '../events/image-published.js';
import { recordLineage } from '../pipeline/lineage-step.js';
import { defineStep } from './step.js';

/** The lineage step: records every published image with its bases, once per digest. */
export const lineageStep = defineStep({
  name: 'lineage',
  description: 'Records the lineage of every published image (which bases it was built on).',
  consumes: [IMAGE_PUBLISHED],
  emits: [],
  ports: ['lineage'],
  handle: async (event, ports) => {
    await recordLineage(event, { lineage: ports.lineage });
  },
});
