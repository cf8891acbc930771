/** One image a Dockerfile pulls, as the policy sees it; `ExternalImage` from core/dockerfile fits this shape. */
export interface ImageUse {
  /** The reference after ARG substitution, as it would be pulled. */
  readonly text: string;
  readonly kind: 'from' | 'copy-from' | 'mount-from';
  readonly line: number;
  readonly column: number;
  /** Offsets (UTF-16 code units, as JavaScript strings index) of the reference as written; -1 when unknown. */
  readonly start: number;
  readonly end: number;
  /** The reference as written (`${BASE}`, `node:18`); when present, a rewrite checks the range still holds it. */
  readonly written?: string;
}

/** Why an image was denied, for metrics and for choosing the message. */
export type DenyCode =
  | 'unparseable'
  | 'banned'
  | 'untrusted-registry'
  | 'exception-expired'
  | 'not-whitelisted';

/** The policy's answer for one image use. */
export type BaseVerdict =
  | {
      readonly outcome: 'allowed';
      readonly use: ImageUse;
      /** The normalised reference, `docker.io/library/node:20`. */
      readonly ref: string;
      readonly via: 'whitelist' | 'exception';
      /** Path of the entry that admitted it: `allowed[3]` or `exceptions[0]`. */
      readonly entry: string;
      readonly index: number;
      /** The exception's expiry date, YYYY-MM-DD. */
      readonly expires?: string;
      /** Set when a `name:tag@digest` was admitted by its tag, which the policy cannot check against the digest Docker pulls. */
      readonly unverifiedTag?: true;
      /** What a person should know about an allowed image, such as why `unverifiedTag` is set. */
      readonly caveat?: string;
    }
  | {
      readonly outcome: 'denied';
      readonly use: ImageUse;
      /** The normalised reference, or the text as written when it does not parse. */
      readonly ref: string;
      readonly reason: string;
      readonly code: DenyCode;
      /** Path of the rule that denied it (`banned[0]`, `exceptions[2]`, `trustedRegistries`), when one did. */
      readonly rule?: string;
    }
  | {
      readonly outcome: 'substituted';
      readonly use: ImageUse;
      /** The normalised reference that was asked for. */
      readonly from: string;
      /** The normalised reference to build on instead; the policy guarantees it is whitelisted. */
      readonly to: string;
      readonly why: string;
      /** Path of the rule that substituted it: `banned[1]` (its replacement) or `substitutions[0]`. */
      readonly rule: string;
    };
