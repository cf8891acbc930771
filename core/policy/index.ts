export { bandAidsFor, type ResolvedBandAid, resolveBandAid } from './band-aids.js';
export { evaluateImage } from './evaluate-image.js';
export { isExpired } from './expiry.js';
export { type InsecurePackageMatch, insecurePackageMatch } from './insecure-packages.js';
export { parsePolicy, validatePolicy } from './parse-policy.js';
export { addBanToPolicyText, removeBanFromPolicyText, type WrittenBan } from './policy-bans.js';
export { maxConcurrentRebuilds } from './response-settings.js';
export { rewriteDockerfile } from './rewrite-dockerfile.js';
export type {
  AllowedEntry,
  BandAid,
  BandAidParam,
  BannedEntry,
  Ecosystem,
  ExceptionEntry,
  InsecurePackage,
  Policy,
  ResponseSettings,
  Substitution,
} from './schema.js';
export { ECOSYSTEMS, PolicySchema } from './schema.js';
export { tagSatisfies, tagVersion } from './tag-version.js';
export type { BaseVerdict, DenyCode, ImageUse } from './verdict.js';
export { type WhitelistUsage, whitelistUsage } from './whitelist-usage.js';
