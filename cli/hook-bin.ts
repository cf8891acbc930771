// The post-receive hook's own entry point: git runs it on every push, so it loads only what the hook
// needs (git, the event log, the API client), not the linter and its parsers.
import { parseArgs } from 'node:util';
import { runPostReceive } from './commands/hook.js';
import { processIo } from './context.js';

const { values } = parseArgs({
  options: { state: { type: 'string' }, repo: { type: 'string' } },
  strict: true,
});
if (!values.repo) {
  process.stderr.write(
    'drydock-hook: --repo NAME is required (this is the post-receive hook drydock installs)\n',
  );
  process.exitCode = 2;
} else {
  const flags = { repo: values.repo, ...(values.state ? { state: values.state } : {}) };
  runPostReceive(flags, processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // The commits are stored whatever happens here; say what went wrong and let the push succeed.
      process.stderr.write(
        `drydock: the push is stored, but the gate was not told: ${(err as Error)?.message}\n`,
      );
    },
  );
}
