export { digestProblem, isDigest } from './digest.js';
export { familiarName, formatImageRef } from './format-image-ref.js';
export {
  DEFAULT_REGISTRY,
  NAME_MAX_LENGTH,
  registryProblem,
  splitReference,
  splitRegistry,
  tagProblem,
} from './grammar.js';
export type { ImageRef, ParseResult } from './image-ref.js';
export { parseImageRef } from './parse-image-ref.js';
