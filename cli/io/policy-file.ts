import { readFileSync } from 'node:fs';
import { PolicyValidationError } from '../../core/errors.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { Policy } from '../../core/policy/schema.js';
import { UsageError } from '../context.js';

/** The policy file to use: `--policy`, else `DRYDOCK_POLICY`; a usage error when neither is set. */
export function policyPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const path = flag ?? env.DRYDOCK_POLICY;
  if (!path) throw new UsageError('no policy given: pass --policy FILE (or set DRYDOCK_POLICY)');
  return path;
}

/** Reads and validates a policy document; unreadable files and invalid documents throw with every problem named. */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: cannot read policy: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  return parsePolicy(text, path);
}

export { PolicyValidationError };
