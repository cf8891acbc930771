import { type ImagePattern, parseImagePattern } from '../policy/image-pattern.js';

/** A parsed ban REF: the normalised text (as the policy's `banned[].image` stores it) and its pattern. */
export type BanRefResult =
  | { readonly ok: true; readonly ref: string; readonly pattern: ImagePattern }
  | { readonly ok: false; readonly error: string };

/**
 * Parses what ops ban: a tag (`busybox:1.36.0`), a digest (`busybox@sha256:…` or a bare `sha256:…`) or a name
 * glob (`docker.io/library/busybox*`), normalised exactly like the policy's `banned[].image`.
 */
export function parseBanRef(text: string): BanRefResult {
  if (text.trim() === '')
    return { ok: false, error: 'the image to ban is empty; give a tag, a digest or a name glob' };
  // The same parser and shape as the policy's `banned[].image`, so a ban and its policy entry match the same images.
  const parsed = parseImagePattern(text, { tag: true, digest: true, digestOnly: true });
  if (!parsed.ok) return { ok: false, error: `cannot ban ${parsed.error}` };
  return { ok: true, ref: parsed.pattern.text, pattern: parsed.pattern };
}
