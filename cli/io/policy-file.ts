import { readFileSync } from 'node:fs';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { Policy } from '../../core/policy/schema.js';
import { UsageError } from '../context.js';
import { checkText } from './inputs.js';

/** The policy file to use: `--policy`, else `DRYDOCK_POLICY`; a usage error when neither is set. */
export function policyPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const path = flag ?? env.DRYDOCK_POLICY;
  if (!path) throw new UsageError('no policy given: pass --policy FILE (or set DRYDOCK_POLICY)');
  return path;
}

/** Reads and validates a policy document; unreadable files and invalid documents throw with every problem named. */
export function loadPolicy(path: string): Policy {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new UsageError(`${path}: cannot read policy: ${why}`);
  }
  // The same size, binary and UTF-8 checks as definitions: a binary is not parsed as YAML.
  const input = checkText(path, bytes);
  if ('error' in input) {
    throw new UsageError(
      `cannot read policy: ${input.error.replace('not a Dockerfile', 'not a policy document').replace('for a definition', 'for a policy document')}`,
    );
  }
  return parsePolicy(input.text, path);
}
