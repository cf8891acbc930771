import type { BuildFailedEvent } from '../events/build-failed.js';
import { IMAGE_TESTED, type ImageTestedEvent } from '../events/image-tested.js';
import { runImageTests } from '../pipeline/test-step.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { discardQuietly, orFailBuild } from './or-fail-build.js';
import { defineStep } from './step.js';

/** The black-box tests: the definition's image-tests.yaml against the built image, in a sandbox with no network. */
export const testStep = defineStep({
  name: 'test',
  ...STEP_DECLARATIONS.test,
  handle: async (event, ports) => {
    // The test run goes on in the build's log (a reopened log appends), so the log shows the outcome.
    const log = ports.buildLogs(event.detail.buildId);
    let tested: ImageTestedEvent | BuildFailedEvent;
    try {
      tested = await orFailBuild(event.detail, 'test', ports, () =>
        runImageTests(event, {
          source: ports.source,
          tester: ports.tester,
          reports: ports.testReports,
          records: ports.records,
          clock: ports.clock,
          timeLimitMs: ports.limits.testTimeLimitMs,
          log: (line) => log.write(line),
          ...(ports.limits.signal ? { signal: ports.limits.signal } : {}),
        }),
      );
    } finally {
      try {
        await log.close();
      } catch {
        // The log is for people: the event and the JUnit report carry the outcome, so it is not run again.
      }
    }
    await ports.bus.publish([tested]);
    if (tested.detailType !== IMAGE_TESTED || !tested.detail.passed) {
      await discardQuietly(ports.localImages, event.detail.imageRef);
    }
  },
});
