import semver from 'semver';

// A tag's leading version, then nothing or a variant suffix after "-" or "_" (`1.36-musl`, `3.12-slim`).
const LEADING_VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:$|[-_](.*))/;
// Suffixes that mark a pre-release rather than a variant: such tags match no range (fail closed).
const PRE_RELEASE = /^(?:rc|alpha|beta|a|b|pre|preview|dev|snapshot|nightly)(?:\d|[.-]|$)/i;

/**
 * Reads the version a Docker tag names: `1.36-musl` is 1.36.0, `20-bookworm-slim` is 20.0.0; tags that do not
 * start with a version (`bookworm`), have four parts, or are pre-releases (`3.13.0rc1`, `2.0-rc1`) give undefined.
 */
export function tagVersion(tag: string): string | undefined {
  const m = LEADING_VERSION.exec(tag);
  if (!m) return undefined;
  const suffix = m[4];
  if (suffix !== undefined && PRE_RELEASE.test(suffix)) return undefined;
  return `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}`;
}

/** True when the version a tag names satisfies the semver range. */
export function tagSatisfies(tag: string, range: string): boolean {
  const version = tagVersion(tag);
  return version !== undefined && semver.satisfies(version, range);
}
