import { resolve } from 'node:path';

/** The state directory: `--state`, else `DRYDOCK_STATE`, else `./.drydock`, made absolute. */
export function stateDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, flag ?? env.DRYDOCK_STATE ?? '.drydock');
}
