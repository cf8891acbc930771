import { publishImage } from '../pipeline/publish-step.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { discardQuietly, orFailBuild } from './or-fail-build.js';
import { defineStep } from './step.js';

/** The publish step: pushes an image whose tests passed, as the only identity the registry lets push. */
export const publishStep = defineStep({
  name: 'publish',
  ...STEP_DECLARATIONS.publish,
  handle: async (event, ports) => {
    await ports.bus.publish([
      await orFailBuild(event.detail, 'push', ports, () =>
        publishImage(event, { registry: ports.registry, records: ports.records, clock: ports.clock }),
      ),
    ]);
    await discardQuietly(ports.localImages, event.detail.imageRef);
  },
});
