import type { SubmitDeps } from '../../handlers/submit.js';
import { pushFunctionDeps } from './push-function.js';

/** What the submit endpoint needs, from its environment. */
export function submitDeps(env: Readonly<Record<string, string | undefined>> = process.env): SubmitDeps {
  const { obs, bus, capture, idempotency } = pushFunctionDeps('submit', env);
  return { obs, capture, bus, idempotency };
}
