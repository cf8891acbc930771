import * as z from 'zod';
import { digestProblem } from '../image-ref/digest.js';

/** A git commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex characters. */
export const CommitId = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, { error: 'must be a full git commit id (40 or 64 hex)' });

/** A content digest (`sha256:<64 hex>`), checked with the distribution digest grammar. */
export const Digest = z.string().superRefine((value, ctx) => {
  const problem = digestProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.problem, input: value });
});

/** Text that must not be empty. */
export const NonEmpty = z.string().min(1, { error: 'must not be empty' });

/** An ISO 8601 timestamp with a zone, as EventBridge writes `time`. */
export const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' });
