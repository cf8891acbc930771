import * as z from 'zod';
import type { DefinitionVerdict } from '../gate/gate-definition.js';
import { CommitId, eventEnvelope, NonEmpty } from './envelope.js';
import { Rebuild } from './rebuild.js';

/** Detail-type of the gate's verdict on one pushed definition. */
export const DEFINITION_VERDICT = 'Definition Verdict';

const Level = z.enum(['error', 'warning', 'info', 'style']);
const Position = z.number().int().min(1);

/** A lint finding, the shape `core/lint/engine.ts` produces. */
export const FindingSchema = z.strictObject({
  file: z.string(),
  line: Position,
  column: Position,
  code: NonEmpty,
  level: Level,
  message: z.string(),
});

const ImageUseSchema = z.strictObject({
  text: z.string(),
  kind: z.enum(['from', 'copy-from', 'mount-from']),
  line: Position,
  column: Position,
  start: z.number().int(),
  end: z.number().int(),
  written: z.string().optional(),
  /** Index of the stage the reference belongs to, when the gate knows it. */
  stage: z.number().int().min(0).optional(),
});

/** The policy's answer for one image use, the shape `core/policy/verdict.ts` produces. */
export const BaseVerdictSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('allowed'),
    use: ImageUseSchema,
    ref: NonEmpty,
    via: z.enum(['whitelist', 'exception']),
    entry: NonEmpty,
    index: z.number().int().min(0),
    expires: z.string().optional(),
    unverifiedTag: z.literal(true).optional(),
    caveat: z.string().optional(),
  }),
  z.strictObject({
    outcome: z.literal('denied'),
    use: ImageUseSchema,
    ref: z.string(),
    reason: z.string(),
    code: z.enum(['unparseable', 'banned', 'untrusted-registry', 'exception-expired', 'not-whitelisted']),
    rule: z.string().optional(),
  }),
  z.strictObject({
    outcome: z.literal('substituted'),
    use: ImageUseSchema,
    from: NonEmpty,
    to: NonEmpty,
    why: z.string(),
    rule: NonEmpty,
  }),
]);

/** An image reference the gate could not resolve, the shape `core/dockerfile/image-uses.ts` produces. */
export const UnresolvedImageSchema = z.strictObject({
  written: z.string(),
  kind: z.enum(['from', 'copy-from', 'mount-from']),
  loc: z.strictObject({ line: Position, column: Position }),
  reason: z.string(),
});

/** The gate's verdict on one definition at one commit, with every finding; a failed one starts no build. */
export const DefinitionVerdictDetail = z.strictObject({
  repository: NonEmpty,
  commit: CommitId,
  definition: NonEmpty,
  passed: z.boolean(),
  findings: z.array(FindingSchema),
  bases: z.array(BaseVerdictSchema),
  unresolved: z.array(UnresolvedImageSchema),
  substituted: z.string().optional(),
  /** Set when the verdict is on a ban's rebuild. */
  rebuild: Rebuild.optional(),
});

/** A `Definition Verdict` event. */
export const DefinitionVerdictEvent = eventEnvelope(DEFINITION_VERDICT, DefinitionVerdictDetail);

export type DefinitionVerdictDetail = z.infer<typeof DefinitionVerdictDetail>;
export type DefinitionVerdictEvent = z.infer<typeof DefinitionVerdictEvent>;

/** The event detail of a gate verdict; the compiler checks the schema accepts everything the gate produces. */
export function verdictDetail(
  verdict: DefinitionVerdict,
  at: { readonly repository: string; readonly commit: string; readonly definition: string },
): DefinitionVerdictDetail {
  const { file: _file, ...rest } = verdict;
  return {
    repository: at.repository,
    commit: at.commit,
    definition: at.definition,
    ...rest,
    findings: [...rest.findings],
    bases: [...rest.bases],
    unresolved: [...rest.unresolved],
  };
}
