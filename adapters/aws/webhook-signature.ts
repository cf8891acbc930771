import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const GITHUB_SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * True when `header` (GitHub's `X-Hub-Signature-256`, `sha256=<hex>`) is the HMAC-SHA256 of the raw body
 * under `secret`. The comparison takes the same time whatever the bytes; a missing or malformed header is false.
 */
export function verifyGitHubSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  secret: string,
): boolean {
  if (!secret || header === undefined) return false;
  const match = GITHUB_SIGNATURE.exec(header.trim().toLowerCase());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/**
 * True when `header` (GitLab's `X-Gitlab-Token`) equals the configured token. Both sides are hashed first, so
 * that the comparison is constant-time and does not reveal the token's length either.
 */
export function verifyGitLabToken(header: string | undefined, token: string): boolean {
  if (!token || header === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(header), digest(token));
}
