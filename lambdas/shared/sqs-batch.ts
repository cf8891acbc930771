import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parse } from '@aws-lambda-powertools/parser';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { DrydockError } from '../../core/errors.js';
import { type Observability, withObservability } from './observability.js';

/** Idempotency of a record handler: where records are kept, what identifies a record, for how long. */
export interface RecordIdempotency {
  readonly persistenceStore: BasePersistenceLayer;
  /** JMESPath into the parsed record (`body.detail.buildId`) giving what makes two records the same work. */
  readonly key: string;
  /** @default 3600 */
  readonly expiresAfterSeconds?: number;
}

/** Delays the redelivery of a record that failed for a retryable reason (SQS: its visibility timeout). */
export interface RecordBackoff {
  /** Returns the seconds the record now waits. */
  delay(record: SQSRecord): Promise<number>;
}

/** What an SQS-triggered drydock function is made of. */
export interface SqsBatchOptions<B> {
  readonly obs: Observability;
  /** The schema of a record's body (after JSON parsing); a record that fails it fails alone. */
  readonly body: z.ZodType<B>;
  /** Handles one valid record; its result is what a redelivery gets back without running it again. */
  readonly handle: (body: B, record: SQSRecord) => Promise<Record<string, unknown>>;
  readonly idempotency: RecordIdempotency;
  /** Makes a record that failed for a retryable reason wait longer before SQS redelivers it. */
  readonly backoff?: RecordBackoff;
  /** Stable prefix of idempotency keys, so that a renamed function keeps its records. */
  readonly keyPrefix: string;
}

type ParsedRecord<B> = Omit<SQSRecord, 'body'> & { body: B };

/** A record whose body is not what the queue should carry; it fails alone and ends in the DLQ. */
export class InvalidRecordError extends DrydockError {
  override readonly name = 'InvalidRecordError';

  constructor(messageId: string, issues: number) {
    super(`message ${messageId} does not match its schema (${issues} problem(s), logged)`, {
      code: 'RECORD_INVALID',
    });
  }
}

/**
 * An SQS event source handler with partial batch responses: each record is parsed by Powertools parser against
 * `body`, run once per idempotency key, and reported in `batchItemFailures` when it fails, so that SQS retries
 * exactly the failed records and dead-letters them after the queue's maximum receives. A retryable failure
 * (throttling, a quota) is also delayed by `backoff`.
 */
export function sqsBatchHandler<B>(options: SqsBatchOptions<B>) {
  const { obs } = options;
  const processor = new BatchProcessor(EventType.SQS);
  const recordSchema = SqsRecordSchema.extend({ body: JSONStringified(options.body as z.ZodType) });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.idempotency.key,
    expiresAfterSeconds: options.idempotency.expiresAfterSeconds ?? 3600,
    throwOnNoIdempotencyKey: true,
  });
  const once = makeIdempotent(
    (record: ParsedRecord<B>, _context: Context) =>
      options.handle(record.body, record as unknown as SQSRecord),
    { persistenceStore: options.idempotency.persistenceStore, config, keyPrefix: options.keyPrefix },
  );
  const recordHandler = async (record: SQSRecord, context: Context) => {
    const parsed = parse(record, undefined, recordSchema, true);
    if (!parsed.success) {
      const issues = (parsed.error.cause as { path?: PropertyKey[]; message: string }[] | undefined) ?? [];
      obs.metrics.addMetric('RecordsRejected', MetricUnit.Count, 1);
      obs.logger.error('record rejected: it does not match its schema', {
        messageId: record.messageId,
        issues: issues.map((i) => `${(i.path ?? []).map(String).join('.')}: ${i.message}`),
      });
      throw new InvalidRecordError(record.messageId, issues.length);
    }
    try {
      const result = await once(parsed.data as ParsedRecord<B>, context);
      obs.metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
      return result;
    } catch (err) {
      await failed(record, err);
      throw err;
    }
  };
  const failed = async (record: SQSRecord, err: unknown) => {
    // An error drydock did not classify is retried by SQS like any failure, but not delayed.
    const retryable = err instanceof DrydockError && err.retryable;
    obs.metrics.addMetric(retryable ? 'RecordsRetried' : 'RecordsFailed', MetricUnit.Count, 1);
    obs.logger.error('record failed', { messageId: record.messageId, retryable, error: err as Error });
    if (!retryable || !options.backoff) return;
    try {
      const seconds = await options.backoff.delay(record);
      obs.logger.info('record delayed', { messageId: record.messageId, seconds });
    } catch (backoffError) {
      obs.logger.warn('could not delay the record', {
        messageId: record.messageId,
        error: backoffError as Error,
      });
    }
  };
  return withObservability<SQSEvent, SQSBatchResponse>(obs, async (event, context) => {
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      // Every failed record is reported, even when all of them failed: the same outcome, without an error log.
      throwOnFullBatchFailure: false,
    });
    for (const failure of response.batchItemFailures) {
      obs.logger.debug('batch item failure', { itemIdentifier: failure.itemIdentifier });
    }
    return response;
  });
}
