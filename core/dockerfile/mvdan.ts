import sh, { type Parser } from 'mvdan-sh';

let parser: Parser | undefined;

/** The shared mvdan/sh bash parser, created on first use so files without a RUN never pay for it. */
export function shellParser(): Parser {
  parser ??= sh.syntax.NewParser(sh.syntax.KeepComments(false), sh.syntax.Variant(sh.syntax.LangBash));
  return parser;
}
