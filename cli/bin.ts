import { processIo } from './context.js';
import { isLintWorker, serveLintWorker } from './lint-pool.js';
import { main } from './main.js';
import { lintPolicyOf } from './policy-data.js';

// A closed pipe (`drydock rules | head`) is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// The bundle is also the lint worker's script: a worker thread started from it serves lint jobs.
if (isLintWorker()) {
  serveLintWorker(lintPolicyOf);
} else {
  main(process.argv.slice(2), { ...processIo(), workerUrl: new URL(import.meta.url) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`drydock: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
