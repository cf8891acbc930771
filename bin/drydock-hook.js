#!/usr/bin/env node
// The post-receive hook of drydock's repositories (see `drydock repo create`); bundled into dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/drydock-hook.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'drydock: dist/drydock-hook.mjs is missing; run `npm run build` in the drydock checkout\n',
  );
  process.exit(0);
}
await import(bundle.href);
