import { globRegexSource, parseImagePattern } from '../policy/image-pattern.js';

/** The longest regular expression source a ban matcher may carry (a valid pattern compiles to far less). */
export const MAX_MATCHER_REGEX = 16 * 1024;

/**
 * A ban pattern compiled for a reader without the image-reference parser or picomatch (the prestart hook): its
 * normalised text and a pinned digest, or anchored regular expressions over a normalised name and its tag; or why
 * the pattern cannot be read.
 */
export type BanMatcher =
  | {
      readonly text: string;
      /** When set, only this digest matches (name and tag are not consulted, as in `patternMatches`). */
      readonly digest?: string;
      /** Regular expression source over the fully qualified name (`docker.io/library/busybox`). */
      readonly name?: string;
      /** Regular expression source over the tag; absent when every tag (and a digest-only name) matches. */
      readonly tag?: string;
    }
  | { readonly error: string };

/** Compiles a banned pattern as `admitImage` reads it: the same parse, and `globMatches`'s own expressions. */
export function banMatcherOf(pattern: string): BanMatcher {
  const parsed = parseImagePattern(pattern, { tag: true, digest: true, digestOnly: true });
  if (!parsed.ok) return { error: parsed.error };
  const { text, digest, name, tag } = parsed.pattern;
  if (digest !== undefined) return { text, digest };
  // parseImagePattern gives every pattern without a digest a name.
  if (name === undefined) return { error: `pattern ${text} has neither name nor digest` };
  return { text, name: globRegexSource(name), ...(tag === undefined ? {} : { tag: globRegexSource(tag) }) };
}
