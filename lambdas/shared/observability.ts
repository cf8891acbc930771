import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

/** The Powertools logger, metrics and tracer of one function. */
export interface Observability {
  /** The function's service name (`gate`, `build-state`…), as its logs, metrics and errors name it. */
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** The metrics namespace of every drydock function. */
export const METRICS_NAMESPACE = 'drydock';

/** An SDK client with X-Ray capture (a no-op outside Lambda or with tracing off). */
export const traced = <C>(obs: Observability, client: C): C => obs.tracer.captureAWSv3Client(client);

/** Logger, metrics (namespace `drydock`) and tracer named after the function's service. */
export function observability(
  service: string,
  options: { readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {},
): Observability {
  return {
    service,
    logger: new Logger({ serviceName: service, ...(options.logLevel ? { logLevel: options.logLevel } : {}) }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service }),
    tracer: new Tracer({ serviceName: service }),
  };
}

/**
 * Wraps a handler in middy with the Powertools middleware every drydock function uses: a trace segment per
 * invocation, the Lambda context in every log line, and metrics flushed (cold start included) at the end.
 */
export function withObservability<E, R>(
  obs: Observability,
  handler: (event: E, context: Context) => Promise<R>,
): MiddyfiedHandler<E, R, Error, Context> {
  return middy<E, R, Error, Context>()
    .use(captureLambdaHandler(obs.tracer))
    .use(injectLambdaContext(obs.logger, { resetKeys: true }))
    .use(logMetrics(obs.metrics, { captureColdStartMetric: true }))
    .handler(handler);
}
