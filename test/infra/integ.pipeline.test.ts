import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const APP = 'npx tsx test/infra/integ.pipeline.ts';

// Deploying costs money and takes minutes: it runs only when asked to and when the CLI can find credentials.
const credentials = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
].some((name) => Boolean(process.env[name]));
const enabled = process.env.DRYDOCK_INTEG === '1' && credentials;

function cdk(...args: string[]) {
  return spawnSync('npx', ['cdk', ...args, '--app', APP, '--all', '--no-notices'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 60 * 60_000,
  });
}

describe.skipIf(!enabled)('drydock stack on AWS (DRYDOCK_INTEG=1, credentials)', () => {
  it('deploys, passes its assertions and is destroyed', { timeout: 2 * 60 * 60_000 }, () => {
    try {
      expect(cdk('deploy', '--require-approval', 'never').status).toBe(0);
    } finally {
      expect(cdk('destroy', '--force').status).toBe(0);
    }
  });
});
