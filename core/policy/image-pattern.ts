import picomatch from 'picomatch';
import { DrydockError, quoteInput } from '../errors.js';
import { digestProblem } from '../image-ref/digest.js';
import { splitReference, splitRegistry } from '../image-ref/grammar.js';
import type { ImageRef } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';

/** An image pattern of the policy: a repository glob, optionally a tag glob, or a pinned digest. */
export interface ImagePattern {
  /** The pattern normalised (`node:18*` is `docker.io/library/node:18*`); the digest alone for a digest-only pattern. */
  readonly text: string;
  /** Glob over the fully qualified name (`docker.io/library/*`); undefined for a digest-only pattern. */
  readonly name?: string;
  /** Glob over the tag; undefined when the pattern matches every tag. */
  readonly tag?: string;
  /** A pinned digest; a pattern with a digest matches content, whatever the name it is pulled by. */
  readonly digest?: string;
}

/** What a pattern may hold besides the repository glob. */
export interface PatternShape {
  readonly tag: boolean;
  readonly digest: boolean;
  /** A bare `sha256:<hex>` is accepted as a digest-only pattern. */
  readonly digestOnly: boolean;
}

/** A parsed pattern, or why the text is not one. */
export type PatternResult =
  | { readonly ok: true; readonly pattern: ImagePattern }
  | { readonly ok: false; readonly error: string };

const WILDCARD = /[*?]/g;
const GLOB_OPTIONS = { nobrace: true, noextglob: true, nonegate: true, noquantifiers: true } as const;
const matchers = new Map<string, (text: string) => boolean>();
const compiled = new Map<string, ImagePattern>();

/** True when the text holds a `*` or `?` wildcard. */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** Matches text against a glob where `*` stays within a `/` segment and `**` crosses them; plain text compares exactly. */
export function globMatches(glob: string, text: string): boolean {
  if (!hasWildcard(glob)) return glob === text;
  let match = matchers.get(glob);
  if (!match) {
    match = picomatch(glob, GLOB_OPTIONS);
    matchers.set(glob, match);
  }
  return match(text);
}

/**
 * The regular expression source `globMatches` decides by (picomatch's, anchored), or an anchored escaped literal for
 * text without wildcards: what the admission list hands to the prestart hook, which has no picomatch.
 */
export function globRegexSource(glob: string): string {
  if (!hasWildcard(glob)) return `^${glob.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)}$`;
  return picomatch.makeRe(glob, GLOB_OPTIONS).source;
}

/**
 * Parses a policy image pattern: `node`, `docker.io/library/*`, `debian:buster*`, `x@sha256:…` or `sha256:…`;
 * wildcards are `*` and `?` (`**` crosses `/`) and may stand in the path and tag, not in the registry host.
 */
export function parseImagePattern(text: string, shape: PatternShape): PatternResult {
  if (/^sha(?:256|384|512):/.test(text)) {
    if (!shape.digestOnly)
      return { ok: false, error: `a bare digest ${quoteInput(text)} is not allowed here; name the image` };
    const bad = digestProblem(text);
    return bad
      ? { ok: false, error: `invalid digest ${quoteInput(text)}: ${bad.problem}` }
      : { ok: true, pattern: { text, digest: text } };
  }
  // Each wildcard stands in for one valid character, so the grammar check keeps the positions of the text.
  const checked = parseImageRef(text.replace(WILDCARD, 'x'));
  if (!checked.ok)
    return {
      ok: false,
      error: `invalid image ${quoteInput(text)} at position ${checked.position + 1}: ${checked.problem}`,
    };
  const parts = splitReference(text);
  const split = splitRegistry(parts.name);
  if (split.written !== undefined && hasWildcard(split.written)) {
    return {
      ok: false,
      error: `invalid image ${quoteInput(text)}: wildcards are not allowed in the registry host`,
    };
  }
  if (parts.tag !== undefined && !shape.tag) {
    return {
      ok: false,
      error: `${quoteInput(text)} names a tag; give the repository here and the tags in their own field`,
    };
  }
  if (parts.digest !== undefined && !shape.digest) {
    return {
      ok: false,
      error: `${quoteInput(text)} names a digest; give the repository here and the digests in their own field`,
    };
  }
  const path = parts.name.slice(split.pathAt);
  // `**` spans namespaces, so `docker.io/**` means all of Docker Hub, not library/** only.
  const repository = !path.includes('/') && path.includes('**') ? path : split.repository;
  const name = `${split.registry}/${repository}`;
  const normalised = `${name}${parts.tag === undefined ? '' : `:${parts.tag}`}${parts.digest === undefined ? '' : `@${parts.digest}`}`;
  return { ok: true, pattern: { text: normalised, name, tag: parts.tag, digest: parts.digest } };
}

/** True when the reference matches the pattern: by digest when the pattern pins one, else by name and tag globs. */
export function patternMatches(pattern: ImagePattern, ref: ImageRef): boolean {
  if (pattern.digest !== undefined) return ref.digest === pattern.digest;
  if (pattern.name === undefined || !globMatches(pattern.name, ref.name)) return false;
  return pattern.tag === undefined || (ref.tag !== undefined && globMatches(pattern.tag, ref.tag));
}

/** The pattern of a validated policy's image string; throws when the string did not come through validation. */
export function compiledPattern(text: string): ImagePattern {
  let pattern = compiled.get(text);
  if (!pattern) {
    const parsed = parseImagePattern(text, { tag: true, digest: true, digestOnly: true });
    if (!parsed.ok) {
      throw new DrydockError(`policy image ${quoteInput(text)} was not validated: ${parsed.error}`, {
        code: 'POLICY_NOT_VALIDATED',
      });
    }
    pattern = parsed.pattern;
    compiled.set(text, pattern);
  }
  return pattern;
}
