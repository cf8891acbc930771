import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLineageStore } from '../../../adapters/aws/dynamodb-lineage-store.js';
import { awsPort } from '../aws-ports.js';
import { sdkClient } from '../clients.js';

/** The lineage port on AWS: the DynamoDB table of LINEAGE_TABLE. */
export const lineage = awsPort(
  'lineage',
  ({ LINEAGE_TABLE }, obs) =>
    new DynamoDbLineageStore({ client: sdkClient(obs, DynamoDBClient), tableName: LINEAGE_TABLE }),
);
