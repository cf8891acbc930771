// Bundles the CLI into dist/drydock.mjs (+ dist/chunks/) with esbuild (fast start-up, no TS at run time)
// and links node_modules/.bin/drydock to it, so the checkout's own tools can call `drydock`.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Split at the CLI's dynamic imports: a command loads only what it uses, so the post-receive hook that
// every push runs does not compile the linter's parsers.
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: {
    drydock: join(root, 'cli/bin.ts'),
    'drydock-hook': join(root, 'cli/hook-bin.ts'),
  },
  outdir: join(root, 'dist'),
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

const binDir = join(root, 'node_modules/.bin');
mkdirSync(binDir, { recursive: true });
rmSync(join(binDir, 'drydock'), { force: true });
symlinkSync('../../bin/drydock.js', join(binDir, 'drydock'));
