import { createRequire } from 'node:module';
import type { Parser, default as ShModule } from 'mvdan-sh';

let parser: Parser | undefined;

// mvdan-sh is 1.5 MB of GopherJS that takes 100–300 ms to evaluate, so it is required on first use rather
// than imported: a file without a RUN, the hook and every other command never pay for it. In the esbuild
// bundles (CLI, Lambda) `require` is the bundler's, which inlines the package as a CommonJS wrapper that runs
// on this first call; from source (tsx, vitest) modules are ESM without `require`, and createRequire loads
// the package from node_modules.
function loadMvdan(): typeof ShModule {
  if (typeof require === 'function') return require('mvdan-sh') as typeof ShModule;
  return createRequire(import.meta.url)('mvdan-sh') as typeof ShModule;
}

/** The shared mvdan/sh bash parser, created on first use so files without a RUN never pay for it. */
export function shellParser(): Parser {
  if (parser === undefined) {
    const sh = loadMvdan();
    parser = sh.syntax.NewParser(sh.syntax.KeepComments(false), sh.syntax.Variant(sh.syntax.LangBash));
  }
  return parser;
}
