import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyGitHubSignature, verifyGitLabToken } from '../../../adapters/aws/webhook-signature.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
// GitHub's published example (docs: "Validating webhook deliveries").
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_PAYLOAD = 'Hello, World!';
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('verifyGitHubSignature', () => {
  it.each([
    ["GitHub's published example", GITHUB_PAYLOAD, GITHUB_SIGNATURE, GITHUB_SECRET, true],
    [
      'the example with upper-case hex',
      GITHUB_PAYLOAD,
      GITHUB_SIGNATURE.toUpperCase().replace('SHA256=', 'sha256='),
      GITHUB_SECRET,
      true,
    ],
    ['a tampered body', 'Hello, World?', GITHUB_SIGNATURE, GITHUB_SECRET, false],
    ['a body with a trailing newline', `${GITHUB_PAYLOAD}\n`, GITHUB_SIGNATURE, GITHUB_SECRET, false],
    ['another secret', GITHUB_PAYLOAD, GITHUB_SIGNATURE, "It's a Secret to Nobody", false],
    ['a missing header', GITHUB_PAYLOAD, undefined, GITHUB_SECRET, false],
    ['an empty header', GITHUB_PAYLOAD, '', GITHUB_SECRET, false],
    ['the bare hex without sha256=', GITHUB_PAYLOAD, GITHUB_SIGNATURE.slice(7), GITHUB_SECRET, false],
    [
      'a SHA-1 signature (X-Hub-Signature)',
      GITHUB_PAYLOAD,
      `sha1=${createHmac('sha1', GITHUB_SECRET).update(GITHUB_PAYLOAD).digest('hex')}`,
      GITHUB_SECRET,
      false,
    ],
    ['a truncated signature', GITHUB_PAYLOAD, GITHUB_SIGNATURE.slice(0, -2), GITHUB_SECRET, false],
    [
      'a signature with one digit changed',
      GITHUB_PAYLOAD,
      `${GITHUB_SIGNATURE.slice(0, -1)}8`,
      GITHUB_SECRET,
      false,
    ],
    ['an empty secret', GITHUB_PAYLOAD, GITHUB_SIGNATURE, '', false],
  ] as const)('%s → %s', (_name, body, header, secret, expected) => {
    expect(verifyGitHubSignature(bytes(body), header, secret)).toBe(expected);
  });

  it('verifies the raw bytes, not a re-encoded text', () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0xa9, 0x22, 0x7d]); // {"a":"é"}
    const header = `sha256=${createHmac('sha256', 'k'.repeat(20)).update(body).digest('hex')}`;
    expect(verifyGitHubSignature(body, header, 'k'.repeat(20))).toBe(true);
    expect(verifyGitHubSignature(Buffer.from(body.toString('latin1'), 'utf8'), header, 'k'.repeat(20))).toBe(
      false,
    );
  });
});

describe('verifyGitLabToken', () => {
  const token = 'gl-webhook-token-0123456789';
  it.each([
    ['the configured token', token, true],
    ['another token', 'gl-webhook-token-0123456788', false],
    ['a prefix of the token', token.slice(0, -1), false],
    ['the token with a suffix', `${token}x`, false],
    ['a missing header', undefined, false],
    ['an empty header', '', false],
  ] as const)('%s → %s', (_name, header, expected) => {
    expect(verifyGitLabToken(header, token)).toBe(expected);
  });

  it('refuses everything when no token is configured', () => {
    expect(verifyGitLabToken('', '')).toBe(false);
  });
});
