import { quoteInput } from '../errors.js';

// Algorithms go-digest registers by default, with the length of their hex encoding.
const HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const ALGORITHM = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*$/;

/** A digest check that failed: the offset of the fault in the digest text and what is wrong there. */
export interface DigestProblem {
  readonly at: number;
  readonly problem: string;
}

/** Says what is wrong with a content digest (`sha256:<64 lower-case hex>`), or returns undefined when valid. */
export function digestProblem(text: string): DigestProblem | undefined {
  const colon = text.indexOf(':');
  if (colon < 0)
    return { at: 0, problem: 'a digest is "<algorithm>:<hex>", like sha256:<64 hex characters>' };
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  const expected = HEX_LENGTH[algorithm];
  if (!ALGORITHM.test(algorithm) || expected === undefined) {
    return {
      at: 0,
      problem: `unsupported digest algorithm ${quoteInput(algorithm)} (sha256, sha384 or sha512)`,
    };
  }
  const bad = hex.search(/[^0-9a-f]/);
  if (bad >= 0) {
    return { at: colon + 1 + bad, problem: `digest hex must be lower-case 0-9a-f, found "${hex[bad]}"` };
  }
  if (hex.length !== expected) {
    return {
      at: colon + 1,
      problem: `a ${algorithm} digest has ${expected} hex characters, not ${hex.length}`,
    };
  }
  return undefined;
}

/** True when the text is a complete, valid content digest. */
export function isDigest(text: string): boolean {
  return digestProblem(text) === undefined;
}
