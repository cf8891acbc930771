// Bundles the CLI into dist/drydock.mjs with esbuild (fast start-up: one file, no TS at run time)
// and links node_modules/.bin/drydock to it, so the checkout's own tools can call `drydock`.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, 'cli/bin.ts')],
  outfile: join(root, 'dist/drydock.mjs'),
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
