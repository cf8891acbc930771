#!/usr/bin/env node
// The OCI prestart hook of the fleet's podman (see `drydock fleet`); bundled into dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/drydock-admission-hook.mjs', import.meta.url);
if (!existsSync(bundle)) {
  // Fail closed: without the hook's code nothing can be checked.
  process.stderr.write(
    'drydock admission: refused: dist/drydock-admission-hook.mjs is missing; run `npm run build` in the drydock checkout\n',
  );
  process.exit(1);
}
await import(bundle.href);
