import { transferArgs, unwrap } from '../dockerfile/command-args.js';
import type { Command, DockerfileModel, Instruction } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';
import { fileWrites } from './file-writes.js';
import type { RuleContext } from './rule.js';

// Commands that only read or search text: a setting in their arguments is not being set.
const READERS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'test', '[', '[[']);

/** Regex source for the start of a setting name: a word start, or right after a `\n`/`\t` escape in a printf string. */
export const SETTING_START = String.raw`(?<=^|\W|\\[nt])`;

/** Regex source for what separates a setting from its value in any config syntax (`k=v`, `k: v`, `k "v"`, `set k v`). */
export const SETTING_SEP = String.raw`["']?(?:\s*[:=]\s*|\s+)["']?`;

/** One match of a pattern in an instruction's text, with where it sits in the Dockerfile. */
export interface TextMatch {
  readonly match: RegExpExecArray;
  readonly loc: Loc;
  /** Offset of the match in the Dockerfile text. */
  readonly offset: number;
}

/** A setting to look for in Dockerfile text, with the reason it matters (undefined when this match does not). */
export interface TextCheck {
  readonly pattern: RegExp;
  readonly why: (m: RegExpExecArray) => string | undefined;
  /**
   * Words every match contains (compared in lower case); text holding none of them skips the pattern, so the
   * regular expression runs only where it can match.
   */
  readonly keywords?: readonly string[];
}

// A cheap `includes()` gate before a regular expression: most instructions hold none of a check's words.
function mayHold(check: TextCheck, lower: string): boolean {
  return check.keywords === undefined || check.keywords.some((k) => lower.includes(k.toLowerCase()));
}

const blanked = new WeakMap<Instruction, string>();
const globals = new WeakMap<RegExp, RegExp>();

function blankedText(model: DockerfileModel, inst: Instruction): string {
  let text = blanked.get(inst);
  if (text === undefined) {
    // Blank comment lines instead of removing them so offsets still point into the Dockerfile.
    text = model.text.slice(inst.start, inst.end).replace(/^[ \t]*#.*$/gm, (line) => ' '.repeat(line.length));
    blanked.set(inst, text);
  }
  return text;
}

function globalOf(pattern: RegExp): RegExp {
  let re = globals.get(pattern);
  if (!re) {
    re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    globals.set(pattern, re);
  }
  return re;
}

/**
 * Matches of a pattern in the Dockerfile text of one instruction (script, heredoc bodies, flags),
 * skipping comment lines, which Docker drops and the shell ignores.
 */
export function matchInstruction(model: DockerfileModel, inst: Instruction, pattern: RegExp): TextMatch[] {
  const text = blankedText(model, inst);
  const re = globalOf(pattern);
  re.lastIndex = 0;
  const out: TextMatch[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ match: m, loc: locAt(model.text, inst.start + m.index), offset: inst.start + m.index });
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/**
 * Runs text checks over what a Dockerfile hands to the build as script, file content or
 * environment: the given instruction keywords, COPY/ADD heredocs, ENV/ARG pairs as `NAME=value`,
 * and the text `sed -i` puts into files (not the text it replaces).
 */
export function scanTexts(
  ctx: RuleContext,
  checks: readonly TextCheck[],
  keywords: readonly string[],
  /** A cheap test every check's match also passes; text that fails it skips all checks. */
  prefilter?: RegExp,
): { loc: Loc; why: string }[] {
  const out: { loc: Loc; why: string }[] = [];
  const relevant = (text: string) => prefilter === undefined || prefilter.test(text);
  const run = (text: string, loc: Loc) => {
    if (!relevant(text)) return;
    const lower = text.toLowerCase();
    for (const check of checks) {
      if (!mayHold(check, lower)) continue;
      const m = check.pattern.exec(text);
      const why = m ? check.why(m) : undefined;
      if (why) out.push({ loc, why });
    }
  };
  // sed scripts name the old text too, so they are judged by what they write, below. Computed on the first match
  // only: most files have none.
  let skipped: Command[] | undefined;
  const isSkipped = (offset: number) => {
    skipped ??= ctx
      .commands()
      .map((c) => c.command)
      .filter((c) => c.end > c.start && (READERS.has(unwrap(c).name) || unwrap(c).name === 'sed'));
    return skipped.some((c) => c.start <= offset && offset < c.end);
  };
  for (const inst of ctx.instructions) {
    if (inst.keyword === 'ENV' || inst.keyword === 'ARG') {
      // ARG values are in the environment of every later RUN, exactly like ENV.
      for (const p of inst.properties) run(`${p.name}=${p.value ?? ''}`, p.loc);
      continue;
    }
    if (!keywords.includes(inst.keyword) && !hasHeredocSource(inst)) continue;
    const text = blankedText(ctx.model, inst);
    if (!relevant(text)) continue;
    const lower = text.toLowerCase();
    for (const check of checks) {
      if (!mayHold(check, lower)) continue;
      for (const { match, loc, offset } of matchInstruction(ctx.model, inst, check.pattern)) {
        if (isSkipped(offset)) continue;
        const why = check.why(match);
        if (why) out.push({ loc, why });
      }
    }
  }
  for (const write of fileWrites(ctx)) {
    if (write.via === 'sed' && keywords.includes(write.instruction.keyword)) run(write.content, write.loc);
  }
  return out;
}

function hasHeredocSource(inst: Instruction): boolean {
  if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') return false;
  return (transferArgs(inst)?.sources ?? []).some((s) => s.startsWith('<<'));
}

function locAt(text: string, offset: number): Loc {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
