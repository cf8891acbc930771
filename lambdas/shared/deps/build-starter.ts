import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodeBuildBuildStarter } from '../../../adapters/aws/codebuild-build-starter.js';
import type { BuildStarterDeps } from '../../handlers/build-starter.js';
import { awsPorts, backoffOf, idempotencyOf } from '../aws-ports.js';
import { sdkClient } from '../clients.js';
import { AWS_ONLY_FUNCTION_ENV } from '../deployment.js';
import { readEnv } from '../env.js';
import { observability } from '../observability.js';
import { bus } from '../ports/bus.js';
import { clock } from '../ports/clock.js';
import { snapshotStore } from '../ports/source.js';

/** What the build starter needs, from its environment. */
export function buildStarterDeps(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BuildStarterDeps {
  const obs = observability('build-starter');
  const vars = readEnv('build-starter', AWS_ONLY_FUNCTION_ENV['build-starter'], env);
  return {
    obs,
    ...awsPorts({ bus, clock }, obs, env),
    requests: snapshotStore(obs, vars.SNAPSHOT_BUCKET),
    builds: new CodeBuildBuildStarter(sdkClient(obs, CodeBuildClient), vars.BUILD_PROJECT),
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
    backoff: backoffOf(obs),
  };
}
