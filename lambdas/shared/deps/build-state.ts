import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CodeBuildBuildReader,
  factsFromEvent,
  withBuild,
} from '../../../adapters/aws/codebuild-build-state.js';
import { S3BuildLogs } from '../../../adapters/aws/s3-build-logs.js';
import type { BuildStateDeps } from '../../handlers/build-state.js';
import { awsPorts, backoffOf, idempotencyOf } from '../aws-ports.js';
import { sdkClient } from '../clients.js';
import { AWS_ONLY_FUNCTION_ENV } from '../deployment.js';
import { readEnv } from '../env.js';
import { observability } from '../observability.js';
import { bus } from '../ports/bus.js';
import { clock } from '../ports/clock.js';
import { snapshotStore } from '../ports/source.js';

/** What the build-state function needs, from its environment. */
export function buildStateDeps(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BuildStateDeps {
  const obs = observability('build-state');
  const vars = readEnv('build-state', AWS_ONLY_FUNCTION_ENV['build-state'], env);
  const snapshots = snapshotStore(obs, vars.SNAPSHOT_BUCKET);
  const reader = new CodeBuildBuildReader(sdkClient(obs, CodeBuildClient));
  const logs = new S3BuildLogs({ client: () => sdkClient(obs, S3Client), bucket: vars.LOG_BUCKET });
  return {
    obs,
    ...awsPorts({ bus, clock }, obs, env),
    builds: {
      facts: async (detail) => withBuild(factsFromEvent(detail), await reader.get(detail['build-id'])),
      request: (buildId) => snapshots.buildRequest(buildId),
      events: (buildId, maxBytes) => snapshots.buildEvents(buildId, maxBytes),
      logTail: (arn) => logs.tail(arn),
    },
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
    backoff: backoffOf(obs),
  };
}
