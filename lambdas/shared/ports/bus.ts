import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEventBus } from '../../../adapters/aws/eventbridge-event-bus.js';
import { awsPort } from '../aws-ports.js';
import { sdkClient } from '../clients.js';

/** The bus port on AWS: the drydock EventBridge bus of BUS_NAME. */
export const bus = awsPort(
  'bus',
  ({ BUS_NAME }, obs) =>
    new EventBridgeEventBus({ client: sdkClient(obs, EventBridgeClient), busName: BUS_NAME }),
);
