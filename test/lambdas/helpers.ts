import { createHash, randomUUID } from 'node:crypto';
import type { Context, LambdaFunctionURLEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { WIRE_ID_KEY } from '../../core/events/index.js';
import { type Observability, observability } from '../../lambdas/shared/observability.js';

/** Observability that writes nothing: a silent logger, metrics switched off. */
export function quietObservability(service: string): Observability {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  return observability(service, { logLevel: 'SILENT' });
}

/** A Lambda context with a minute left. */
export function lambdaContext(functionName = 'drydock-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:111111111111:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/03/14/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111111111111:drydock-queue';

/** An SQS record as the Lambda event source mapping delivers it, with the body as JSON (or raw text). */
export function sqsRecord(
  body: unknown,
  options: { messageId?: string; receiveCount?: number } = {},
): SQSRecord {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: `AQEB${createHash('sha256').update(randomUUID()).digest('base64')}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1741944413000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1741944413010',
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** An EventBridge delivery (the body a rule puts on a queue) of a drydock event in its own form. */
export function eventBridgeDelivery(
  event: { id: string; detailType: string; time: string; detail: unknown },
  id = event.id,
) {
  return {
    version: '0',
    id,
    'detail-type': event.detailType,
    source: 'drydock',
    account: '111111111111',
    time: event.time,
    region: 'eu-west-1',
    resources: [],
    detail: event.detail,
  };
}

/** A function URL request. */
export function functionUrlEvent(options: {
  body: string;
  headers?: Record<string, string>;
  method?: string;
  base64?: boolean;
  iamUserArn?: string;
}): LambdaFunctionURLEvent {
  const headers = {
    'content-type': 'application/json',
    host: 'abc.lambda-url.eu-west-1.on.aws',
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: options.iamUserArn ? '111111111111' : 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc',
      http: {
        method: options.method ?? 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '192.30.252.1',
        userAgent: 'GitHub-Hookshot/abc',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '14/Mar/2025:09:26:53 +0000',
      timeEpoch: 1741944413000,
      ...(options.iamUserArn
        ? {
            authorizer: {
              iam: {
                accessKey: 'ASIAEXAMPLE',
                accountId: '111111111111',
                callerId: 'AROAEXAMPLE:ci',
                cognitoIdentity: null,
                principalOrgId: null,
                userArn: options.iamUserArn,
                userId: 'AROAEXAMPLE:ci',
              },
            },
          }
        : {}),
    },
    body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body,
    isBase64Encoded: options.base64 ?? false,
  } as LambdaFunctionURLEvent;
}

/** The body of an S3 GetObject answer, as the SDK's stream mixin offers it. */
export const s3Body = (text: string | Buffer) => {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return {
    transformToString: async () => data.toString('utf8'),
    transformToByteArray: async () => new Uint8Array(data),
  } as never;
};

/** The detail of a captured PutEvents entry without the drydock event id it carries (`WIRE_ID_KEY`). */
export function putDetail(entry: { readonly Detail?: string | undefined }): Record<string, unknown> {
  const { [WIRE_ID_KEY]: _id, ...detail } = JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>;
  return detail;
}
