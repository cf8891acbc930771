import { defineRule } from '../rule.js';

interface EnvPair {
  readonly name: string;
  /** Variables the value expands (not those in single quotes or escaped). */
  readonly refs: ReadonlySet<string>;
}

const REF = /^\$(?:\{([A-Za-z_]\w*)|([A-Za-z_]\w*))/;

// Reads `ENV a=1 b="$a"` the way Docker's word lexer does; the legacy `ENV name value` form
// defines one variable, so it cannot refer to a sibling and yields nothing.
function envPairs(text: string, escapeChar: string): EnvPair[] {
  const pairs: EnvPair[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let name = '';
    let inValue = false;
    let quote: string | undefined;
    const refs = new Set<string>();
    while (i < text.length && (quote || !/\s/.test(text[i] ?? ''))) {
      const ch = text[i] ?? '';
      if (ch === escapeChar && quote !== "'") {
        if (!inValue) name += text[i + 1] ?? '';
        i += 2;
      } else if (ch === quote) {
        quote = undefined;
        i++;
      } else if (!quote && (ch === '"' || ch === "'")) {
        quote = ch;
        i++;
      } else if (!inValue) {
        if (ch === '=' && !quote) inValue = true;
        else name += ch;
        i++;
      } else {
        const m = ch === '$' && quote !== "'" ? REF.exec(text.slice(i)) : null;
        if (m) refs.add(m[1] ?? m[2] ?? '');
        i += m ? m[0].length : 1;
      }
    }
    if (!inValue) return [];
    pairs.push({ name, refs });
  }
  return pairs;
}

export const envSelfReference = defineRule({
  id: 'DL3044',
  level: 'error',
  title: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  rationale:
    'Docker expands every value of one ENV against the variables from before it, so a reference to a sibling gets the old (often empty) value, not the one set a few characters earlier.',
  check: (ctx) =>
    ctx.of('ENV').flatMap((inst) => {
      const defined = new Set<string>();
      const hits: string[] = [];
      for (const pair of envPairs(inst.argsText, ctx.model.escape)) {
        for (const ref of pair.refs) if (defined.has(ref)) hits.push(`\`${pair.name}\` uses \`$${ref}\``);
        defined.add(pair.name);
      }
      if (hits.length === 0) return [];
      return [
        ctx.finding(
          inst,
          `Do not refer to an environment variable within the same \`ENV\` statement where it is defined: ${hits.join(', ')}, which gets the value from before this ENV`,
        ),
      ];
    }),
});
