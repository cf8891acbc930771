import { RE2JS } from 're2js';

/** A compiled pattern: `test` says whether it matches anywhere in a text, in time linear in the text. */
export interface GoRegex {
  test(text: string): boolean;
}

/** The longest pattern compiled: RE2 matches in time linear in the text, times the size of the pattern. */
export const MAX_PATTERN_LENGTH = 4096;

/** A compiled pattern, or why it does not compile. */
export type CompiledRegex = { ok: true; regex: GoRegex } | { ok: false; error: string };

/**
 * Compiles a regular expression in Go's regexp syntax (container-structure-test's dialect, which is RE2) with an
 * RE2 engine, so that no pattern backtracks: `(?i)`, `(?s)`, `(?m)`, `(?U)`, `\A`, `\z` and `(?P<name>…)` mean
 * what they mean in Go, and what Go refuses (backreferences, lookarounds, `\Z`, repeats over 1000) is refused, as is a pattern longer than
 * `MAX_PATTERN_LENGTH`.
 */
export function compileGoRegex(pattern: string): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      error: `it is ${pattern.length} characters long, over the limit of ${MAX_PATTERN_LENGTH}`,
    };
  }
  try {
    return { ok: true, regex: RE2JS.compile(pattern) };
  } catch (error) {
    // RE2's messages start as Go's do ("error parsing regexp: "); the caller says that already.
    return { ok: false, error: (error as Error).message.replace(/^error parsing regexp: /, '') };
  }
}
