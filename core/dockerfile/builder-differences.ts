import type { BuilderProfile } from './builder-profile.js';
import type { ParseResult, SyntaxProblem } from './parse.js';

/**
 * Where a builder would read a Dockerfile differently from the gate's parser (dockerfile-ast), or refuse what the
 * gate accepted. The builder's reading is re-done here, line by line, the way its parser does it (imagebuilder's
 * copy of the old moby parser for buildah 1.28, BuildKit's dockerfile frontend on CodeBuild); a file passes only
 * when every instruction starts on the same line with the same keyword for the gate and for each builder.
 */
export function builderDifferences(
  parsed: ParseResult,
  builders: readonly BuilderProfile[],
): SyntaxProblem[] {
  const text = parsed.model.text.startsWith('\uFEFF') ? parsed.model.text.slice(1) : parsed.model.text;
  const out: SyntaxProblem[] = [];
  const lone = loneCarriageReturn(text);
  if (lone) {
    out.push({
      loc: { line: lone, column: 1 },
      message: `a carriage return not followed by a line feed on line ${lone}: the builders read it as part of the line, the gate's parser as a line break; use LF or CRLF line ends`,
    });
  }
  out.push(...refusedEverywhere(parsed));
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  for (const builder of builders) {
    const directives = readDirectives(lines, builder);
    if (directives.refused) {
      out.push(directives.refused);
      continue;
    }
    if (directives.escape !== parsed.model.escape) {
      out.push({
        loc: { line: directives.endedAt, column: 1 },
        message: `${builder.name} reads the escape character as ${quoteChar(directives.escape)} where the gate read ${quoteChar(parsed.model.escape)}: ${directives.why}`,
      });
      continue;
    }
    const frontend = directives.values.get('syntax');
    if (builder.syntaxRunsFrontend && frontend && !OFFICIAL_FRONTEND.test(frontend.value)) {
      out.push({
        loc: { line: frontend.line, column: 1 },
        message: `\`# syntax=${frontend.value}\` on line ${frontend.line}: ${
          /^(docker\.io\/)?docker\/dockerfile:/.test(frontend.value)
            ? `${builder.name} would parse the file with an experimental channel of the frontend, whose syntax the gate does not know`
            : `${builder.name} would pull that image and let it parse and run the build, unseen by the gate`
        }; only the stable docker/dockerfile frontend (docker/dockerfile:1, :1.x, :1.x.y, optionally @sha256:…) is allowed`,
      });
    }
    if (lone || parsed.problems.length > 0) continue;
    out.push(...boundaryDifferences(parsed, lines, directives.escape, builder));
  }
  return dedupe(out);
}

/** Official dockerfile frontends: docker/dockerfile with a numeric version tag (not -labs), optionally by digest. */
const OFFICIAL_FRONTEND = /^(docker\.io\/)?docker\/dockerfile(:\d+(\.\d+){0,2})?(@sha256:[0-9a-f]{64})?$/;

// Go's unicode.IsSpace, which both builders use to trim lines.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${GO_SPACE}]+`);
const ALL_SPACE = new RegExp(`^[${GO_SPACE}]*$`);

const trimLeft = (s: string) => s.replace(LEADING_SPACE, '');
const isComment = (s: string) => trimLeft(s).startsWith('#');
const quoteChar = (c: string) => (c === '`' ? '"`"' : `\`${c}\``);

function loneCarriageReturn(text: string): number | undefined {
  const at = text.search(/\r(?!\n)/);
  if (at < 0) return undefined;
  return text.slice(0, at).split('\n').length;
}

interface Directives {
  readonly escape: string;
  readonly values: ReadonlyMap<string, { readonly value: string; readonly line: number }>;
  /** The line the directives ended on (1-based), for messages. */
  readonly endedAt: number;
  readonly why: string;
  readonly refused?: SyntaxProblem;
}

// imagebuilder's old moby parser: only `escape`, value = first character after `=`, line lower-cased first.
const OLD_ESCAPE = /^#[ \t]*escape[ \t]*=[ \t]*(.).*$/;
// BuildKit: any `# name=value`; unknown names end the directives.
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/** The parser directives as the builder reads them: leading comment lines, until the first one it does not know. */
function readDirectives(lines: readonly string[], builder: BuilderProfile): Directives {
  const values = new Map<string, { value: string; line: number }>();
  let why = 'the file has no escape directive';
  let endedAt = 1;
  // A file the builder refuses outright: read on with the default escape, the refusal at `line`.
  const refuse = (line: number, message: string): Directives => ({
    escape: '\\',
    values,
    endedAt,
    why,
    refused: { loc: { line, column: 1 }, message },
  });
  for (const [i, raw] of lines.entries()) {
    const line = trimLeft(raw);
    endedAt = i + 1;
    let name: string | undefined;
    let value: string | undefined;
    if (builder.escapeValue === 'first-character') {
      const m = OLD_ESCAPE.exec(line.toLowerCase());
      if (m) {
        name = 'escape';
        value = line.slice(line.indexOf('=') + 1).trimStart()[0];
      }
    } else {
      const m = DIRECTIVE.exec(line);
      if (m && builder.directives.includes((m[1] ?? '').toLowerCase())) {
        name = (m[1] ?? '').toLowerCase();
        value = m[2];
      }
    }
    if (name === undefined || value === undefined) {
      const other = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=/.exec(line);
      if (other)
        why = `line ${i + 1} (\`${line.trim()}\`) is not a directive ${builder.name} knows, so it ends the directives`;
      break;
    }
    if (values.has(name)) {
      return refuse(
        i + 1,
        `a second \`${name}\` directive on line ${i + 1}: ${builder.name} refuses the file ("only one ${name} parser directive can be used")`,
      );
    }
    values.set(name, { value, line: i + 1 });
    if (name === 'escape') why = `the escape directive is on line ${i + 1}`;
  }
  const directive = values.get('escape');
  if (directive && directive.value !== '\\' && directive.value !== '`') {
    return refuse(
      directive.line,
      `\`# escape=${directive.value}\` on line ${directive.line}: ${builder.name} refuses it (the escape character must be \`\\\` or a backtick)`,
    );
  }
  if (!directive) {
    // The gate may have honoured an escape directive the builder does not reach: say which line stopped it.
    return { escape: '\\', values, endedAt, why };
  }
  return { escape: directive.value, values, endedAt: directive.line, why };
}

interface BuilderInstruction {
  readonly start: number;
  readonly keyword: string;
}

/** Instruction starts and keywords as the builder reads them, with the lines that hold instruction text. */
function readInstructions(
  lines: readonly string[],
  escapeChar: string,
  builder: BuilderProfile,
): { instructions: BuilderInstruction[]; codeLines: number[]; refused?: SyntaxProblem } {
  const continuation = new RegExp(`${escapeChar === '`' ? '`' : '\\\\'}[ \\t]*$`);
  const instructions: BuilderInstruction[] = [];
  const codeLines: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = trimLeft(lines[i] ?? '');
    if (first.startsWith('#')) continue;
    let eol = !continuation.test(first);
    let line = eol ? first : first.replace(continuation, '');
    if (eol && line === '') continue;
    const start = i;
    codeLines.push(i + 1);
    while (!eol && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (isComment(next) || ALL_SPACE.test(next)) continue;
      codeLines.push(i + 1);
      eol = !continuation.test(next);
      line += eol ? next : next.replace(continuation, '');
    }
    const words = line.trim().split(/[\t\v\f\r ]+/);
    const keyword = (words[0] ?? '').toLowerCase();
    instructions.push({ start: start + 1, keyword });
    if (!builder.heredocs) continue;
    const target = keyword === 'onbuild' ? (words[1] ?? '').toLowerCase() : keyword;
    // The arguments after the keyword (and after ONBUILD's trigger keyword).
    const rest = line.trim().replace(keyword === 'onbuild' ? /^\S+[\t\v\f\r ]+\S+/ : /^\S+/, '');
    if (!['run', 'copy', 'add'].includes(target) || !rest.includes('<<') || isJsonForm(rest)) continue;
    for (const doc of heredocsOf(line)) {
      if (doc.name.includes('$')) {
        return {
          instructions,
          codeLines,
          refused: {
            loc: { line: start + 1, column: 1 },
            message: `heredoc delimiter \`${doc.name}\` on line ${start + 1}: ${builder.name} expands variables in it, so where its body ends depends on the build; use a literal delimiter`,
          },
        };
      }
      let terminated = false;
      while (i + 1 < lines.length) {
        i++;
        const body = lines[i] ?? '';
        if ((doc.chomp ? body.replace(/^\t+/, '') : body) === doc.name) {
          terminated = true;
          break;
        }
      }
      if (!terminated) {
        return {
          instructions,
          codeLines,
          refused: {
            loc: { line: start + 1, column: 1 },
            message: `heredoc \`<<${doc.name}\` on line ${start + 1} is never terminated: ${builder.name} refuses the file`,
          },
        };
      }
    }
  }
  return { instructions, codeLines };
}

function isJsonForm(rest: string): boolean {
  const args = rest.trim().replace(/^(--\S+\s+)*/, '');
  if (!args.startsWith('[')) return false;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/** BuildKit's heredocsFromLine: whole words `[n]<<[-]NAME`, quotes kept while splitting, removed from the name. */
function heredocsOf(line: string): { name: string; chomp: boolean }[] {
  const docs: { name: string; chomp: boolean }[] = [];
  for (const word of shellWords(line)) {
    const m = /^(\d*)<<(-?)([^<]*)$/.exec(word);
    if (!m?.[3]) continue;
    const name = m[3].replace(/\\(.)|["']/g, '$1');
    if (name === '') continue;
    docs.push({ name, chomp: m[2] === '-' });
  }
  return docs;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote) {
      word += c;
      if (c === '\\' && quote === '"') word += line[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '\\') {
      word += c + (line[++i] ?? '');
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) words.push(word);
  return words;
}

function boundaryDifferences(
  parsed: ParseResult,
  lines: readonly string[],
  escapeChar: string,
  builder: BuilderProfile,
): SyntaxProblem[] {
  const read = readInstructions(lines, escapeChar, builder);
  if (read.refused) return [read.refused];
  const gate = new Map(
    parsed.model.instructions.map((i) => [i.loc.line, i.onbuild ? 'onbuild' : i.keyword.toLowerCase()]),
  );
  const theirs = new Map(read.instructions.map((i) => [i.start, i.keyword]));
  const out: SyntaxProblem[] = [];
  const reported = new Set<number>();
  for (const b of read.instructions) {
    if (gate.get(b.start) === b.keyword) continue;
    const shown = (lines[b.start - 1] ?? '').trim();
    const holder = parsed.model.instructions.find((i) => i.loc.line < b.start && i.endLine >= b.start);
    const doc =
      holder?.heredocs[0] ?? (holder && /<</.test(lines[holder.loc.line - 1] ?? '') ? holder : undefined);
    if (holder && doc && !builder.heredocs) {
      // One finding per heredoc instruction, naming the first body line the builder would run as an instruction.
      if (reported.has(holder.index)) continue;
      reported.add(holder.index);
      const name = 'name' in doc ? doc.name : '…';
      out.push({
        loc: holder.loc,
        message: `heredoc \`<<${name}\` on line ${holder.loc.line}: ${builder.name} does not support heredocs and would read the body as instructions (line ${b.start}: \`${shown}\`)`,
      });
      continue;
    }
    out.push({
      loc: { line: b.start, column: 1 },
      message: `line ${b.start} (\`${shown}\`) is an instruction to ${builder.name}, but the gate read it ${holder ? `as part of the ${holder.keyword} on line ${holder.loc.line}` : 'differently'}`,
    });
  }
  for (const [line, keyword] of gate) {
    if (theirs.has(line)) continue;
    out.push({
      loc: { line, column: 1 },
      message: `line ${line} starts ${keyword.toUpperCase()} for the gate, but ${builder.name} reads it as part of another instruction or a heredoc body`,
    });
  }
  const escapeRun = new RegExp(`(${escapeChar === '`' ? '`' : '\\\\'}+)[ \\t]*$`);
  for (const n of read.codeLines) {
    const line = lines[n - 1] ?? '';
    const run = escapeRun.exec(line)?.[1] ?? '';
    if (run.length >= 2 && run.length % 2 === 0) {
      out.push({
        loc: { line: n, column: 1 },
        message: `line ${n} ends in ${run.length} escape characters: ${builder.name} still reads the last one as a line continuation, where the gate's shell parser reads escaped escape characters; write it another way`,
      });
    } else if (run.length === 0 && line.trimEnd().endsWith(escapeChar) && !/[ \t]$/.test(line)) {
      out.push({
        loc: { line: n, column: 1 },
        message: `line ${n} ends in an escape character followed by whitespace other than spaces and tabs: ${builder.name} does not read it as a line continuation, the gate's shell parser does`,
      });
    }
  }
  return out;
}

/** What no builder accepts though the gate's parser does: ONBUILD chains and JSON arrays of non-strings. */
function refusedEverywhere(parsed: ParseResult): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  for (const inst of parsed.model.instructions) {
    if (inst.onbuild && ['ONBUILD', 'FROM', 'MAINTAINER'].includes(inst.keyword)) {
      out.push({
        loc: inst.loc,
        message: `\`ONBUILD ${inst.keyword}\` on line ${inst.loc.line}: the builders refuse ${inst.keyword === 'ONBUILD' ? 'chaining ONBUILD' : `${inst.keyword} as an ONBUILD trigger`}`,
      });
    }
    if (inst.json === null && JSON_CAPABLE.has(inst.keyword) && inst.argsText.startsWith('[')) {
      try {
        const v: unknown = JSON.parse(inst.argsText);
        if (Array.isArray(v) && !v.every((x) => typeof x === 'string')) {
          out.push({
            loc: inst.loc,
            message: `${inst.keyword} on line ${inst.loc.line} is a JSON array with non-string items: the builders refuse it ("arrays must be comprised of strings only"), the gate would have read it as shell form`,
          });
        }
      } catch {
        // Not JSON at all: shell form for the builders too.
      }
    }
  }
  return out;
}

const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);

function dedupe(problems: SyntaxProblem[]): SyntaxProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.loc.line}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One row of the table in docs/rules.md: how the gate's parser and each builder read a piece of syntax, and what the gate does. */
export interface ParseDifference {
  readonly syntax: string;
  readonly gate: string;
  readonly buildah: string;
  readonly buildkit: string;
  readonly decision: string;
}

/** The parse differences found between dockerfile-ast and the builders (buildah's column checked with buildah 1.28.2). */
export const PARSE_DIFFERENCES: readonly ParseDifference[] = [
  {
    syntax: 'heredoc `RUN <<EOF` / `COPY <<EOF` / `ADD <<EOF` (any delimiter, `#` included)',
    gate: 'body lines belong to the instruction',
    buildah: 'no heredocs: every body line is an instruction (`FROM`, `RUN`…), a `#` terminator a comment',
    buildkit: 'heredoc, for whole words `<<NAME` outside JSON form',
    decision: 'DD004 under buildah; under BuildKit only where instruction starts differ',
  },
  {
    syntax: '`<<` inside a JSON-form RUN or a quoted word (`echo "a <<b"`), or a heredoc delimiter with `$`',
    gate: 'dockerfile-ast takes it for a heredoc',
    buildah: 'no heredocs',
    buildkit: 'no heredoc in JSON form; `$` in a delimiter is expanded',
    decision: 'DD004',
  },
  {
    syntax: '`# escape=` after a non-directive comment or a blank line',
    gate: 'a comment',
    buildah: 'a comment',
    buildkit: 'a comment',
    decision: 'same reading',
  },
  {
    syntax:
      '`# escape=` after an unknown directive (`# foo=bar`) or, for buildah, after `# syntax=` / `# check=`',
    gate: 'a directive',
    buildah: 'a comment (only `escape` is a directive)',
    buildkit: 'a comment after an unknown one; a directive after `syntax`/`check`',
    decision: 'DD004 where the escape character differs',
  },
  {
    syntax: 'a repeated directive (`# escape=` twice)',
    gate: 'the first is used',
    buildah: 'refuses the file',
    buildkit: 'refuses the file',
    decision: 'DD004',
  },
  {
    syntax: '`# escape=x` (not `\\` or a backtick)',
    gate: 'ignored',
    buildah: 'refuses the file',
    buildkit: 'refuses the file',
    decision: 'DD004',
  },
  {
    syntax: '`# syntax=IMAGE` other than docker/dockerfile',
    gate: 'a directive, no effect',
    buildah: 'ignored',
    buildkit: 'pulls IMAGE and lets it parse and run the build',
    decision: 'DD004 under BuildKit',
  },
  {
    syntax: 'comment lines and blank lines inside a line continuation (`RUN a \\` / `# c` / `  b`)',
    gate: 'dropped, the continuation goes on',
    buildah: 'dropped, the continuation goes on (a blank line does not end it)',
    buildkit: 'same as buildah',
    decision: 'same reading',
  },
  {
    syntax: 'a line ending in an even run of escape characters (`\\\\`)',
    gate: 'continuation for dockerfile-ast, an escaped `\\` for the shell parse',
    buildah: 'a continuation',
    buildkit: 'a continuation',
    decision: 'DD004',
  },
  {
    syntax: 'a carriage return not followed by a line feed',
    gate: 'a line break',
    buildah: 'part of the line',
    buildkit: 'part of the line',
    decision: 'DD004',
  },
  {
    syntax: '`ONBUILD ONBUILD`, `ONBUILD FROM`, `ONBUILD MAINTAINER`',
    gate: 'DL3043 (can be ignored)',
    buildah: 'refuses the file',
    buildkit: 'refuses the file',
    decision: 'DD004',
  },
  {
    syntax: 'lower-case or mixed-case instructions (`from`, `onbuild run`)',
    gate: 'instructions',
    buildah: 'instructions',
    buildkit: 'instructions',
    decision: 'same reading',
  },
  {
    syntax: 'JSON form with single quotes or a trailing comma (`CMD [\'a\']`, `["a",]`)',
    gate: 'shell form',
    buildah: 'shell form',
    buildkit: 'shell form',
    decision: 'same reading',
  },
  {
    syntax: 'JSON array with a non-string item (`CMD ["a", 1]`)',
    gate: 'shell form',
    buildah: 'refuses the file',
    buildkit: 'refuses the file',
    decision: 'DD004',
  },
];
