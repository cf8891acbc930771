export { bandAidsFor } from './band-aids.js';
export { evaluateImage } from './evaluate-image.js';
export { isExpired } from './expiry.js';
export { type InsecurePackageMatch, insecurePackageMatch } from './insecure-packages.js';
export { parsePolicy, validatePolicy } from './parse-policy.js';
export { rewriteDockerfile } from './rewrite-dockerfile.js';
export type {
  AllowedEntry,
  BandAid,
  BannedEntry,
  Ecosystem,
  ExceptionEntry,
  InsecurePackage,
  Policy,
  Substitution,
} from './schema.js';
export { ECOSYSTEMS, PolicySchema } from './schema.js';
export { tagSatisfies, tagVersion } from './tag-version.js';
export type { BaseVerdict, DenyCode, ImageUse } from './verdict.js';
export { type WhitelistUsage, whitelistUsage } from './whitelist-usage.js';
