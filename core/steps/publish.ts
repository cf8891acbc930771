import { BUILD_FAILED } from '../events/build-failed.js';
import { IMAGE_PUBLISHED } from '../events/image-published.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import { publishImage } from '../pipeline/publish-step.js';
import { discardQuietly, orFailBuild } from './or-fail-build.js';
import { defineStep } from './step.js';

/** The publish step: pushes an image whose tests passed, as the only identity the registry lets push. */
export const publishStep = defineStep({
  name: 'publish',
  description: 'Pushes images whose black-box tests passed to the registry only the pipeline may push to.',
  consumes: [IMAGE_TESTED],
  emits: [IMAGE_PUBLISHED, BUILD_FAILED],
  ports: ['bus', 'clock', 'registry', 'records', 'localImages'],
  handle: async (event, ports) => {
    await ports.bus.publish([
      await orFailBuild(event.detail, 'push', ports, () =>
        publishImage(event, { registry: ports.registry, records: ports.records, clock: ports.clock }),
      ),
    ]);
    await discardQuietly(ports.localImages, event.detail.imageRef);
  },
});
