// Bundles the CLI into dist/drydock.mjs (+ dist/chunks/) with esbuild (fast start-up, no TS at run time)
// and links node_modules/.bin/drydock to it, so the checkout's own tools can call `drydock`.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// DRYDOCK_DIST=<dir> writes the bundle elsewhere (benchmarks, parallel work) and leaves node_modules/.bin alone.
const dist = process.env.DRYDOCK_DIST ? resolve(root, process.env.DRYDOCK_DIST) : join(root, 'dist');

// Split at the CLI's dynamic imports: a command loads only what it uses, so the post-receive hook that
// every push runs does not compile the linter's parsers.
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    drydock: join(root, 'cli/bin.ts'),
    'drydock-hook': join(root, 'cli/hook-bin.ts'),
  },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  define: { __DRYDOCK_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (dockerfile-ast, mvdan-sh) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});

// The same CLI as one CommonJS file, which bin/drydock.js compiles with a V8 code cache on Node 20 (vm.Script
// takes cached data for scripts only, not for ES modules). It is not split: esbuild turns the dynamic imports
// into lazy module initializers, so a command still runs only what it uses, and the cache skips the compile.
await build({
  entryPoints: [join(root, 'cli/bin.ts')],
  outfile: join(dist, 'drydock.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // import() of Node built-ins becomes require(): vm.Script would need an experimental loader for it.
  supported: { 'dynamic-import': false },
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  define: {
    __DRYDOCK_VERSION__: JSON.stringify(pkg.version),
    'import.meta.url': '__drydock_import_meta_url',
  },
  banner: { js: "var __drydock_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

if (process.env.DRYDOCK_DIST) process.exit(0);
const binDir = join(root, 'node_modules/.bin');
mkdirSync(binDir, { recursive: true });
rmSync(join(binDir, 'drydock'), { force: true });
symlinkSync('../../bin/drydock.js', join(binDir, 'drydock'));
