/** A compiled pattern, or why it does not compile. */
export type CompiledRegex = { ok: true; regex: RegExp } | { ok: false; error: string };

/**
 * Compiles a regular expression written for Go's regexp (container-structure-test's dialect) as a JavaScript
 * RegExp: a leading `(?ims)` becomes flags, `(?P<name>` a named group, `\A` and `\z` lookarounds.
 */
export function compileGoRegex(pattern: string): CompiledRegex {
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading) {
    for (const flag of leading[1] as string) {
      if (!'ims'.includes(flag))
        return { ok: false, error: `flag "${flag}" is not supported (only i, m, s)` };
      if (!flags.includes(flag)) flags += flag;
    }
    source = source.slice(leading[0].length);
  }
  source = source
    .replaceAll('(?P<', '(?<')
    .replace(/(?<!\\)((?:\\\\)*)\\A/g, '$1(?<![\\s\\S])')
    .replace(/(?<!\\)((?:\\\\)*)\\z/g, '$1(?![\\s\\S])');
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
