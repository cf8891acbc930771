import { RE2JS } from 're2js';

/** A compiled pattern: `test` says whether it matches anywhere in a text, in time linear in the text. */
export interface GoRegex {
  test(text: string): boolean;
  /** Instructions of the compiled program: a match takes up to about this many steps per character of text. */
  readonly size: number;
}

/**
 * The most work one match may take, in steps (program instructions × characters of text): linear is not cheap
 * when both are large (`(a|b)*a(a|b){999}$` over 4 MiB of output is minutes of the daemon's one thread), so a
 * match over it is not run and its assertion fails.
 */
export const MAX_MATCH_STEPS = 2 ** 26;

/** The most work all matches of one suite may take together, in the same steps. */
export const MAX_SUITE_MATCH_STEPS = 2 ** 28;

/** What is left of a suite's matching work; shared by its tests, spent as they match. */
export interface MatchBudget {
  left: number;
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
    const compiled = RE2JS.compile(pattern);
    // re2js keeps the program on re2Input.prog; the pattern's length stands in should a release move it.
    const program = (compiled as unknown as { re2Input?: { prog?: { inst?: readonly unknown[] } } }).re2Input
      ?.prog?.inst;
    const size = Math.max(1, program?.length ?? pattern.length);
    return { ok: true, regex: { test: (text) => compiled.test(text), size } };
  } catch (error) {
    // RE2's messages start as Go's do ("error parsing regexp: "); the caller says that already.
    return { ok: false, error: (error as Error).message.replace(/^error parsing regexp: /, '') };
  }
}
