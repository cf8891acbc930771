import * as z from 'zod';
import { Digest, NonEmpty } from './primitives.js';

/** One base the gate rewrites for a rebuild before the policy sees it: the reference written and the one to build on. */
export const RebuildSubstitution = z.strictObject({ from: NonEmpty, to: NonEmpty, rule: NonEmpty });

/**
 * What makes a build a ban's rebuild rather than a push's build: the ban, the rebuild number of the definition at
 * that commit (its tag is `<commit12>-r<number>`), the image it replaces, and the bases to build on instead.
 * Events of a rebuild carry it from the gate request to `Image Published`.
 */
export const Rebuild = z.strictObject({
  banId: NonEmpty,
  number: z.number().int().min(1),
  /** Manifest digest of the published image this rebuild replaces (label `io.drydock.rebuild-of`). */
  of: Digest,
  substitutions: z.array(RebuildSubstitution),
});

export type RebuildSubstitution = z.infer<typeof RebuildSubstitution>;
export type Rebuild = z.infer<typeof Rebuild>;
