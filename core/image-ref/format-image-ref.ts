import { DEFAULT_REGISTRY, OFFICIAL_NAMESPACE } from './grammar.js';
import type { ImageRef } from './image-ref.js';

/** Formats a reference fully qualified, the form drydock compares and writes: `docker.io/library/node:20`. */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** Formats a reference the short way Docker shows it (`FamiliarString`): `node:20`, without an implied `:latest`. */
export function familiarName(ref: ImageRef): string {
  let name = ref.name;
  if (ref.registry === DEFAULT_REGISTRY) {
    name = ref.repository;
    const official = `${OFFICIAL_NAMESPACE}/`;
    if (name.startsWith(official) && !name.slice(official.length).includes('/')) {
      name = name.slice(official.length);
    }
  }
  const tag = ref.tag === undefined || ref.implicitTag ? '' : `:${ref.tag}`;
  return `${name}${tag}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}
