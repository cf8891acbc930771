import type { RebuildSubstitution } from '../events/rebuild.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import type { ImageRef } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';

// `FROM [--flag=value …] image [AS name]` on one line; continuation lines are not rewritten (reported instead).
const FROM_LINE = /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)(.*)$/is;
// A line of a team's Dockerfile may be anything: the diff shows at most this much of it.
const MAX_LINE = 300;

/** One FROM line to change: its 1-based line number, the text now and the text to write. */
export interface FromLineChange {
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

/** True when the reference written in a Dockerfile names the same image as a substitution's `from`. */
export function sameImage(written: string, from: string): boolean {
  const a = parseImageRef(written);
  const b = parseImageRef(from);
  if (!a.ok || !b.ok || a.ref.name !== b.ref.name) return false;
  if (b.ref.digest !== undefined) {
    return a.ref.digest === b.ref.digest || (b.ref.tag !== undefined && a.ref.tag === b.ref.tag);
  }
  return (a.ref.tag ?? 'latest') === (b.ref.tag ?? 'latest');
}

// A base drydock rebuilt is `registry/repo:tag@digest`: the team pins the tag, which stays on that image.
function toWrite(to: string): string {
  const parsed = parseImageRef(to);
  if (!parsed.ok) return to;
  const ref: ImageRef = parsed.ref;
  if (ref.tag !== undefined && !ref.implicitTag && ref.digest !== undefined) {
    return formatImageRef({ ...ref, digest: undefined } as ImageRef);
  }
  return to;
}

/** The FROM lines of a Dockerfile whose image is a substitution's `from`, rewritten to its `to` (flags and `AS name` kept). */
export function fromLineChanges(
  dockerfile: string,
  substitutions: readonly RebuildSubstitution[],
): FromLineChange[] {
  const changes: FromLineChange[] = [];
  const lines = dockerfile.split(/\r?\n/);
  lines.forEach((text, index) => {
    const m = FROM_LINE.exec(text);
    if (!m) return;
    const [, head = '', image = '', tail = ''] = m;
    const substitution = substitutions.find((s) => sameImage(image, s.from));
    if (!substitution) return;
    changes.push({ line: index + 1, before: text, after: `${head}${toWrite(substitution.to)}${tail}` });
  });
  return changes;
}

function shown(line: string): string {
  // One line stays one line in a message, whatever control characters the team's file holds.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
  const clean = line.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE)}…` : clean;
}

/**
 * The change to make in git as a unified diff of the definition's FROM line(s), or undefined when no FROM line
 * names a substituted image (a FROM split over lines, or an image written through an ARG).
 */
export function fromChange(
  path: string,
  dockerfile: string,
  substitutions: readonly RebuildSubstitution[],
): string | undefined {
  const changes = fromLineChanges(dockerfile, substitutions);
  if (changes.length === 0) return undefined;
  const file = shown(path);
  const hunks = changes.map((c) => `@@ -${c.line} +${c.line} @@\n-${shown(c.before)}\n+${shown(c.after)}`);
  return [`--- a/${file}`, `+++ b/${file}`, ...hunks].join('\n');
}
