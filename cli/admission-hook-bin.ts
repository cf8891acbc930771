// The OCI prestart hook of the fleet's podman: its own entry point, loading only the admission decision (no
// schema, YAML or Dockerfile libraries), so that it answers in a few tens of milliseconds.
import { readSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { answerPrestart, MAX_HOOK_STATE_BYTES } from '../adapters/local/admission-hook.js';

function readState(): string | undefined {
  const buffer = Buffer.alloc(MAX_HOOK_STATE_BYTES + 1);
  let at = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, at, buffer.length - at, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((error as NodeJS.ErrnoException).code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    at += n;
    if (at > MAX_HOOK_STATE_BYTES) return undefined;
  }
  return buffer.subarray(0, at).toString('utf8');
}

const stateDir = process.argv[2];
if (!stateDir || !isAbsolute(stateDir)) {
  process.stderr.write('drydock admission: refused: the hook needs the absolute state dir as its argument\n');
  process.exitCode = 1;
} else {
  const state = readState();
  const answer =
    state === undefined
      ? ({
          allow: false,
          reason: `the container state on stdin is over ${MAX_HOOK_STATE_BYTES} bytes`,
        } as const)
      : answerPrestart(stateDir, state);
  if (answer.allow) {
    if (answer.note) process.stderr.write(`drydock admission: ${answer.note}\n`);
  } else {
    process.stderr.write(`drydock admission: refused: ${answer.reason}\n`);
    process.exitCode = 1;
  }
}
