import { quoteInput } from '../errors.js';
import { digestProblem } from './digest.js';
import {
  NAME_MAX_LENGTH,
  PATH_COMPONENT,
  registryProblem,
  splitReference,
  splitRegistry,
  tagProblem,
} from './grammar.js';
import type { ParseResult } from './image-ref.js';

const IMAGE_ID = /^[a-f0-9]{64}$/;

/**
 * Parses and normalises an image reference like distribution's `ParseNormalizedNamed`; a reference with
 * neither tag nor digest gets the tag `latest` with `implicitTag` set.
 */
export function parseImageRef(text: string): ParseResult {
  const fail = (position: number, problem: string): ParseResult => ({
    ok: false,
    error: `invalid image reference ${quoteInput(text)} at position ${position + 1}: ${problem}`,
    position,
    problem,
  });
  if (text === '') return fail(0, 'the reference is empty');
  const space = text.search(/\s/);
  if (space >= 0) return fail(space, 'whitespace is not allowed');
  if (IMAGE_ID.test(text)) {
    return fail(0, 'a 64-hex image ID is not a reference; pin a digest as name@sha256:<hex>');
  }

  const secondAt = text.indexOf('@', text.indexOf('@') + 1);
  if (secondAt > 0) return fail(secondAt, 'a reference has at most one "@digest"');
  const parts = splitReference(text);
  if (parts.digest !== undefined) {
    const bad = digestProblem(parts.digest);
    if (bad) return fail(parts.digestAt + bad.at, bad.problem);
  }
  if (parts.tag !== undefined) {
    const bad = tagProblem(parts.tag);
    if (bad) return fail(parts.tagAt + bad.at, bad.problem);
  }
  if (parts.name === '') return fail(0, 'the repository name is missing');

  const split = splitRegistry(parts.name);
  if (split.written !== undefined) {
    const bad = registryProblem(split.written);
    if (bad) return fail(0, bad);
  }
  const path = parts.name.slice(split.pathAt);
  let offset = split.pathAt;
  for (const component of path.split('/')) {
    if (component === '') return fail(offset, 'empty path component (a stray "/")');
    if (!PATH_COMPONENT.test(component)) {
      const lower = component.toLowerCase();
      if (lower !== component && PATH_COMPONENT.test(lower)) {
        return fail(offset, `repository name must be lowercase (${quoteInput(component)})`);
      }
      return fail(
        offset,
        `invalid path component ${quoteInput(component)}: lower-case letters and digits separated by ".", "_", "__" or "-"`,
      );
    }
    offset += component.length + 1;
  }

  const name = `${split.registry}/${split.repository}`;
  if (name.length > NAME_MAX_LENGTH) {
    return fail(
      0,
      `repository name ${quoteInput(name)} is ${name.length} characters; at most ${NAME_MAX_LENGTH}`,
    );
  }
  const implicitTag = parts.tag === undefined && parts.digest === undefined;
  return {
    ok: true,
    ref: {
      registry: split.registry,
      repository: split.repository,
      name,
      tag: implicitTag ? 'latest' : parts.tag,
      digest: parts.digest,
      implicitTag,
    },
  };
}
