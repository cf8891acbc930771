import * as z from 'zod';
import { BaseImage, buildSubject, Digest, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of the black-box test run on a built image. */
export const IMAGE_TESTED = 'Image Tested';

/** One failed test case, as a JUnit report names it. */
export const TestFailure = z.strictObject({
  name: NonEmpty,
  message: z.string(),
  suite: z.string().optional(),
});

/** The outcome of the black-box tests: counts, failures, and where the JUnit report is. */
export const ImageTestedDetail = z.strictObject({
  ...buildSubject,
  imageRef: NonEmpty,
  configDigest: Digest,
  passed: z.boolean(),
  summary: z.strictObject({
    tests: z.number().int().min(0),
    failures: z.number().int().min(0),
    skipped: z.number().int().min(0),
    durationMs: z.number().int().min(0),
  }),
  failures: z.array(TestFailure),
  junitPath: z.string().optional(),
  /** The bases the image was built on, carried from `Build Completed` so publishing can record lineage. */
  bases: z.array(BaseImage).optional(),
});

/** An `Image Tested` event. */
export const ImageTestedEvent = eventEnvelope(IMAGE_TESTED, ImageTestedDetail);

export type TestFailure = z.infer<typeof TestFailure>;
export type ImageTestedDetail = z.infer<typeof ImageTestedDetail>;
export type ImageTestedEvent = z.infer<typeof ImageTestedEvent>;
