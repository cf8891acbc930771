#!/usr/bin/env node
// The CLI is bundled into dist/ by `npm run build` (run by `npm install` through `prepare`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/drydock.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('drydock: dist/drydock.mjs is missing; run `npm run build` in the drydock checkout\n');
  process.exit(2);
}
await import(bundle.href);
