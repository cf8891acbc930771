import { DrydockError, quoteInput } from '../errors.js';
import type { BaseVerdict } from './verdict.js';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly to: string;
  readonly what: string;
}

/**
 * Rewrites the Dockerfile so each substituted reference reads its `to` image, replacing only the range of the
 * reference as written (`${BASE}` included); every other character is kept. Throws when a range is unknown (-1),
 * out of bounds, overlapping another, or no longer holds the written text, rather than leave a banned base in place.
 */
export function rewriteDockerfile(source: string, verdicts: readonly BaseVerdict[]): string {
  const edits: Edit[] = [];
  for (const verdict of verdicts) {
    if (verdict.outcome !== 'substituted') continue;
    const { start, end, written, line } = verdict.use;
    const what = `${verdict.from} (line ${line})`;
    if (start < 0 || end < 0) {
      throw new DrydockError(`cannot rewrite ${what}: its position in the Dockerfile is unknown`, {
        code: 'REWRITE_UNLOCATED',
      });
    }
    if (end < start || end > source.length) {
      throw new DrydockError(`cannot rewrite ${what}: range ${start}..${end} is outside the Dockerfile`, {
        code: 'REWRITE_RANGE_INVALID',
      });
    }
    if (written !== undefined && source.slice(start, end) !== written) {
      throw new DrydockError(
        `cannot rewrite ${what}: expected ${quoteInput(written)} at ${start}..${end}, found ${quoteInput(source.slice(start, end))}`,
        { code: 'REWRITE_STALE' },
      );
    }
    edits.push({ start, end, to: verdict.to, what });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let previous: Edit | undefined;
  for (const edit of edits) {
    if (previous && previous.start === edit.start && previous.end === edit.end && previous.to === edit.to)
      continue;
    if (previous && edit.start < previous.end) {
      throw new DrydockError(`cannot rewrite ${edit.what}: its range overlaps ${previous.what}`, {
        code: 'REWRITE_OVERLAP',
      });
    }
    out += source.slice(at, edit.start) + edit.to;
    at = edit.end;
    previous = edit;
  }
  return out + source.slice(at);
}
