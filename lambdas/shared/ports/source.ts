import { S3Client } from '@aws-sdk/client-s3';
import { S3SnapshotStore } from '../../../adapters/aws/s3-snapshot-store.js';
import { awsPort } from '../aws-ports.js';
import { sdkClient } from '../clients.js';
import type { Observability } from '../observability.js';

/** The snapshot bucket through the function's S3 client: the source port, and the builds' requests and events. */
export function snapshotStore(obs: Observability, bucket: string): S3SnapshotStore {
  return new S3SnapshotStore({ client: sdkClient(obs, S3Client), bucket });
}

/** The source port on AWS: the definition snapshots of SNAPSHOT_BUCKET. */
export const source = awsPort('source', ({ SNAPSHOT_BUCKET }, obs) => snapshotStore(obs, SNAPSHOT_BUCKET));
