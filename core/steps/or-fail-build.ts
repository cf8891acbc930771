import { DrydockError } from '../errors.js';
import type { BuildFailedEvent } from '../events/build-failed.js';
import type { DrydockEvent } from '../events/index.js';
import { type FailedBuildSubject, failBuild } from '../pipeline/fail-build.js';
import type { BuildRecords } from '../ports/build-records.js';
import type { Clock } from '../ports/clock.js';

/**
 * Runs a step's work; a failure no retry can fix ends the build (record failed, `Build Failed` for the team)
 * instead of leaving the record in testing/pushing and the message in the dead-letter queue where nobody is told.
 */
export async function orFailBuild<T extends DrydockEvent>(
  subject: FailedBuildSubject,
  stage: 'test' | 'push',
  ports: { readonly records: BuildRecords; readonly clock: Clock },
  work: () => Promise<T>,
): Promise<T | BuildFailedEvent> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DrydockError) || error.retryable) throw error;
    return failBuild(subject, stage, error.message, { records: ports.records, clock: ports.clock });
  }
}

/** Drops a local image; disk hygiene never fails a step that already succeeded. */
export async function discardQuietly(
  images: { discard(localImage: string): Promise<void> },
  localImage: string,
): Promise<void> {
  try {
    await images.discard(localImage);
  } catch {
    // A leftover image costs disk, not correctness; the next start's clean-up does not need it either.
  }
}
