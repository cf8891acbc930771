import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EnvName } from '../../lambdas/shared/env.js';
import type { FunctionName, FunctionSpec } from '../functions.js';
import { PipelineFunction } from './pipeline-function.js';
import { WorkQueue } from './work-queue.js';

/** Props of {@link PipelineFunctions}. */
export interface PipelineFunctionsProps {
  /** The functions to deploy (`infra/functions.ts`). */
  readonly specs: Readonly<Record<FunctionName, FunctionSpec>>;
  /** The value of every environment variable a function may read; each gets only the names of its spec. */
  readonly environment: Readonly<Partial<Record<EnvName, string>>>;
  /** The repository root: package-lock.json and the `lambdas/` entries. */
  readonly projectRoot: string;
  /** Where the dead-letter alarms of the queues notify. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** @default {@link DEFAULT_RUNTIME} */
  readonly runtime?: lambda.Runtime;
}

/**
 * Every Lambda of the pipeline and the work queue each queue-fed one consumes (with its dead-letter queue and
 * alarm, and an event source mapping with partial batch responses).
 */
export class PipelineFunctions extends Construct {
  readonly functions: Record<FunctionName, PipelineFunction>;
  readonly queues: Partial<Record<FunctionName, WorkQueue>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const functions: Partial<Record<FunctionName, PipelineFunction>> = {};
    const queues: Partial<Record<FunctionName, WorkQueue>> = {};
    for (const [name, spec] of Object.entries(props.specs) as [FunctionName, FunctionSpec][]) {
      const environment: Record<string, string> = {};
      for (const key of spec.env) {
        const value = props.environment[key];
        if (value === undefined)
          throw new Error(`function ${name} reads ${key}, which the stack does not set`);
        environment[key] = value;
      }
      const fn = new PipelineFunction(this, spec.constructId, {
        entry: spec.entry,
        description: spec.description,
        projectRoot: props.projectRoot,
        environment,
        serviceName: kebab(spec.constructId),
        metricsNamespace: 'drydock',
        timeout: spec.timeout,
        memorySize: spec.memorySize,
        ...(props.runtime ? { runtime: props.runtime } : {}),
      });
      functions[name] = fn;
      if (!spec.queue) continue;
      const queue = new WorkQueue(this, `${spec.constructId}Queue`, {
        purpose: `the ${name} function`,
        visibilityTimeout: Duration.seconds(spec.timeout.toSeconds() * 6),
        maxReceiveCount: spec.queue.maxReceiveCount,
        alarmAction: props.alarmAction,
      });
      fn.function.addEventSource(
        new SqsEventSource(queue.queue, {
          batchSize: spec.queue.batchSize,
          reportBatchItemFailures: true,
          maxConcurrency: spec.queue.maxConcurrency,
        }),
      );
      queues[name] = queue;
    }
    this.functions = functions as Record<FunctionName, PipelineFunction>;
    this.queues = queues;
  }
}

// The Powertools service name: `BuildStarter` → `build-starter`.
function kebab(text: string): string {
  return text.replace(/(?<!^)[A-Z]/g, (c) => `-${c}`).toLowerCase();
}
