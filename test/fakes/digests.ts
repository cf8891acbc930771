import { createHash } from 'node:crypto';

/** A sha256 digest of text, the form image ids and manifest digests take (`sha256:<64 hex>`). */
export function sha256Of(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Entries of a record sorted by key, so that equal records hash alike whatever their key order. */
export function sortedEntries(record: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
