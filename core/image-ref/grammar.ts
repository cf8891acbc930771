import { quoteInput } from '../errors.js';
// The distribution/reference grammar (github.com/distribution/reference, regexp.go), written as small
// anchored expressions that are each linear in their input: the package port evaluated for drydock
// nests quantifiers and backtracks exponentially on a 21-character name.

/** The registry that unqualified names (`node`, `bitnami/redis`) resolve to. */
export const DEFAULT_REGISTRY = 'docker.io';

/** The legacy spelling of Docker Hub, normalised to {@link DEFAULT_REGISTRY}. */
export const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';

/** The Docker Hub namespace of official images (`node` is `library/node`). */
export const OFFICIAL_NAMESPACE = 'library';

/** The longest repository name (registry, `/` and path) the grammar accepts. */
export const NAME_MAX_LENGTH = 255;

/** A tag: a word character, then up to 127 word characters, dots or dashes. */
export const TAG = /^\w[\w.-]{0,127}$/;

/** One path component: lower-case alphanumerics joined by `.`, `_`, `__` or runs of `-`. */
export const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;

/** A reference cut at its separators, with the offset of each part in the text. */
export interface ReferenceParts {
  readonly name: string;
  readonly tag?: string;
  readonly tagAt: number;
  readonly digest?: string;
  readonly digestAt: number;
}

/** Splits `name[:tag][@digest]`: the tag colon is the first `:` after the last `/` of the name part. */
export function splitReference(text: string): ReferenceParts {
  const at = text.indexOf('@');
  const rest = at >= 0 ? text.slice(0, at) : text;
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  return {
    name: colon >= 0 ? rest.slice(0, colon) : rest,
    tag: colon >= 0 ? rest.slice(colon + 1) : undefined,
    tagAt: colon + 1,
    digest: at >= 0 ? text.slice(at + 1) : undefined,
    digestAt: at + 1,
  };
}

/** A name split into registry and repository path, as Docker resolves it. */
export interface RegistrySplit {
  /** The registry after normalisation (`index.docker.io` becomes `docker.io`). */
  readonly registry: string;
  /** The repository path, with `library/` added for single-component Docker Hub names. */
  readonly repository: string;
  /** The registry as written, or undefined when the name did not carry one. */
  readonly written?: string;
  /** Offset of the path as written in the name. */
  readonly pathAt: number;
}

/**
 * Splits a name into registry and path like distribution's `splitDockerDomain`: the first component is a
 * registry when it holds a `.` or `:`, is `localhost`, or has upper case (which a path may not).
 */
export function splitRegistry(name: string): RegistrySplit {
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const isRegistry =
    slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  const written = isRegistry ? first : undefined;
  const path = isRegistry ? name.slice(slash + 1) : name;
  const registry = written === undefined || written === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : written;
  const official = registry === DEFAULT_REGISTRY && !path.includes('/');
  return {
    registry,
    repository: official ? `${OFFICIAL_NAMESPACE}/${path}` : path,
    written,
    pathAt: isRegistry ? slash + 1 : 0,
  };
}

/** Says what is wrong with a registry host (`host[:port]`), or returns undefined when it is valid. */
export function registryProblem(registry: string): string | undefined {
  const ipv6 = registry.startsWith('[');
  const portColon = ipv6 ? registry.indexOf(':', registry.indexOf(']')) : registry.indexOf(':');
  const host = portColon >= 0 ? registry.slice(0, portColon) : registry;
  const port = portColon >= 0 ? registry.slice(portColon + 1) : undefined;
  if (port !== undefined && !PORT.test(port))
    return `invalid port ${quoteInput(port)} in registry ${quoteInput(registry)}`;
  if (ipv6) return IPV6_HOST.test(host) ? undefined : `invalid IPv6 registry host ${quoteInput(host)}`;
  if (host === '' || !host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) {
    return `invalid registry host ${quoteInput(host)}: dot-separated letters, digits and inner dashes`;
  }
  return undefined;
}

/** Says what is wrong with a tag, or returns undefined when it is valid; `at` is the offset of the fault. */
export function tagProblem(tag: string): { at: number; problem: string } | undefined {
  if (TAG.test(tag)) return undefined;
  if (tag === '') return { at: 0, problem: 'empty tag after ":"' };
  if (tag.length > 128)
    return { at: 128, problem: `tag is ${tag.length} characters; at most 128 are allowed` };
  if (!/^\w/.test(tag)) return { at: 0, problem: 'a tag must start with a letter, digit or "_"' };
  const bad = tag.search(/[^\w.-]/);
  return { at: bad, problem: `"${tag[bad]}" is not allowed in a tag (letters, digits, "_", "." and "-")` };
}
