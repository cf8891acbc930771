import { quoteInput } from '../errors.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { compiledPattern, patternMatches } from './image-pattern.js';
import { type BandAid, fullMatchRegex, MAX_PARAM_VALUE_LENGTH, type Policy } from './schema.js';

/** The approved band-aids whose `appliesTo` patterns match the image; none for a reference that does not parse. */
export function bandAidsFor(policy: Policy, image: string): BandAid[] {
  const parsed = parseImageRef(image);
  if (!parsed.ok) return [];
  const ref = parsed.ref;
  return policy.bandAids.filter((bandAid) =>
    bandAid.appliesTo.some((p) => patternMatches(compiledPattern(p), ref)),
  );
}

/** A band-aid ready to run: its argv with every parameter in place as one whole element, and its limits. */
export type ResolvedBandAid =
  | {
      ok: true;
      bandAid: BandAid;
      argv: string[];
      timeoutMs: number;
      maxConcurrency: number;
      maxErrors: number;
    }
  | { ok: false; error: string };

const PLACEHOLDER = /^\{\{([^{}]*)\}\}$/;

/**
 * Finds the approved band-aid `id` and checks `params` against its declared parameters (every one given, none
 * unknown, each value at most 256 characters, no NUL or line break, a full match of its pattern) before
 * anything runs; the argv it returns has each value as exactly one element, never inside a shell string.
 */
export function resolveBandAid(
  policy: Policy,
  id: string,
  params: Readonly<Record<string, string>>,
): ResolvedBandAid {
  const bandAid = policy.bandAids.find((b) => b.id === id);
  if (!bandAid) {
    const known = policy.bandAids.map((b) => b.id);
    return {
      ok: false,
      error: `unknown band-aid ${quoteInput(id)}: the policy approves ${known.length ? known.join(', ') : 'none'}`,
    };
  }
  const declared = bandAid.params;
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(declared, name)) {
      const names = Object.keys(declared);
      return {
        ok: false,
        error: `band-aid ${id} has no parameter ${quoteInput(name)} (${names.length ? `its parameters: ${names.join(', ')}` : 'it takes none'})`,
      };
    }
  }
  for (const [name, param] of Object.entries(declared)) {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    const problem = paramValueProblem(value, param.pattern);
    if (problem) return { ok: false, error: `band-aid ${id} parameter ${name} ${problem}` };
  }
  const argv = bandAid.command.map((element) => {
    const name = PLACEHOLDER.exec(element)?.[1];
    // The schema lets a placeholder stand only as a whole element naming a declared parameter, all checked above.
    return name !== undefined && Object.hasOwn(params, name) ? (params[name] as string) : element;
  });
  return {
    ok: true,
    bandAid,
    argv,
    timeoutMs: bandAid.timeoutSeconds * 1000,
    maxConcurrency: bandAid.maxConcurrency,
    maxErrors: bandAid.maxErrors,
  };
}

function paramValueProblem(value: unknown, pattern: string): string | undefined {
  if (value === undefined) return `is missing (it must match ${pattern})`;
  if (typeof value !== 'string') return 'must be a string';
  // Length first: the pattern never sees a value over the limit, however large.
  if (value.length > MAX_PARAM_VALUE_LENGTH)
    return `is ${value.length} characters long, over the limit of ${MAX_PARAM_VALUE_LENGTH}`;
  // Tab is the one control character a value may hold: NUL ends a C string, a line break starts a new command.
  if (hasControlCharacter(value)) return 'must not hold a NUL, a line break or another control character';
  const compiled = fullMatchRegex(pattern);
  if (!compiled.ok) return `has a pattern that does not compile: ${compiled.error}`;
  if (!compiled.regex.test(value)) return `${quoteInput(value)} does not match ${pattern}`;
  return undefined;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
