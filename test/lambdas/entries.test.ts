import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILDKIT } from '../../core/dockerfile/builder-profile.js';
import { gateStep } from '../../core/steps/gate.js';
import { stepNamed } from '../../core/steps/index.js';
import { notifyStep } from '../../core/steps/notify.js';
import { awsPorts, awsStepDeps } from '../../lambdas/shared/aws-ports.js';
import {
  AWS_ONLY_FUNCTION_ENV,
  type PORT_ENV,
  STEP_FUNCTIONS,
  stepFunctionEnv,
} from '../../lambdas/shared/deployment.js';
import { ENV_SCHEMA, readEnv } from '../../lambdas/shared/env.js';
import { bus } from '../../lambdas/shared/ports/bus.js';
import { clock } from '../../lambdas/shared/ports/clock.js';
import { gateSettings } from '../../lambdas/shared/ports/gate-settings.js';
import { lineage } from '../../lambdas/shared/ports/lineage.js';
import { notifier } from '../../lambdas/shared/ports/notifier.js';
import { publishedEvents } from '../../lambdas/shared/ports/published-events.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../fixtures/lambda-env.js';
import { lambdaContext, quietObservability, sqsEvent, sqsRecord } from './helpers.js';

const ENV = LAMBDA_ENV;
const LAMBDAS = join(import.meta.dirname, '../../lambdas');
const tsIn = (dir: string) =>
  readdirSync(join(LAMBDAS, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir === '.' ? '' : `${dir}/`}${f.replace(/\.ts$/, '')}`);
const ENTRIES = [...tsIn('.'), ...tsIn('steps')].sort();

/** Every variable each entry reads, from the registry (step functions) and the AWS-only table. */
const READS: Record<string, readonly string[]> = {
  ...Object.fromEntries(
    STEP_FUNCTIONS.map((name) => {
      const step = stepNamed(name) as { ports: readonly (keyof typeof PORT_ENV)[] };
      return [`steps/${name}`, stepFunctionEnv(step)];
    }),
  ),
  ...AWS_ONLY_FUNCTION_ENV,
};
const SERVICE = (entry: string) => entry.replace(/^steps\//, '');

describe('readEnv', () => {
  it('returns the named variables', () => {
    expect(readEnv('gate', ['BUS_NAME', 'TOPIC_ARN'], ENV)).toEqual({
      BUS_NAME: 'drydock-bus',
      TOPIC_ARN: ENV.TOPIC_ARN,
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() =>
      readEnv('notify', ['TOPIC_ARN', 'IDEMPOTENCY_TABLE', 'WEBHOOK_SECRET_ARN'], {
        TOPIC_ARN: 'drydock-teams',
        WEBHOOK_SECRET_ARN: 'secret',
      }),
    ).toThrow(
      /^drydock notify: bad environment: TOPIC_ARN must be an sns ARN \(got "drydock-teams"\); IDEMPOTENCY_TABLE is not set; WEBHOOK_SECRET_ARN must be an secretsmanager ARN/,
    );
  });

  it('knows exactly the variables the stack sets, and each is read by some function', () => {
    expect(Object.keys(ENV_SCHEMA).sort()).toEqual(Object.keys(ENV).sort());
    expect([...new Set(Object.values(READS).flat())].sort()).toEqual(Object.keys(ENV_SCHEMA).sort());
  });
});

describe('awsPorts', () => {
  beforeEach(() => vi.stubEnv('AWS_REGION', 'eu-west-1'));
  afterEach(() => vi.unstubAllEnvs());

  it('reads only the variables of the ports asked for', () => {
    const ports = awsPorts({ notifier, clock, gateSettings, publishedEvents }, quietObservability('x'), {
      TOPIC_ARN: ENV.TOPIC_ARN,
    });
    expect(Object.keys(ports).sort()).toEqual(['clock', 'gateSettings', 'notifier', 'publishedEvents']);
    expect(ports.gateSettings.builders).toEqual([BUILDKIT]);
  });

  it('names every bad variable of the ports asked for', () => {
    expect(() =>
      awsPorts({ bus, lineage, notifier }, quietObservability('lineage'), { TOPIC_ARN: 'nope' }),
    ).toThrow(
      /^drydock lineage: bad environment: BUS_NAME is not set; LINEAGE_TABLE is not set; TOPIC_ARN must be an sns ARN/,
    );
  });

  it('refuses a factory given as another port', () => {
    expect(() =>
      awsPorts({ notifier, clock: notifier } as never, quietObservability('notify'), {
        TOPIC_ARN: ENV.TOPIC_ARN,
      }),
    ).toThrow(/^drydock notify: the factory of notifier is given as clock/);
  });

  it('counts no event as published: Powertools idempotency covers redelivery on AWS', async () => {
    const ports = awsPorts({ publishedEvents }, quietObservability('x'), {});
    expect(await ports.publishedEvents.has('any')).toBe(false);
  });
});

describe('awsStepDeps', () => {
  beforeEach(() => vi.stubEnv('AWS_REGION', 'eu-west-1'));
  afterEach(() => vi.unstubAllEnvs());

  it("assembles exactly the step's ports", () => {
    const deps = awsStepDeps(notifyStep, { notifier }, ENV);
    expect(Object.keys(deps.ports)).toEqual(['notifier']);
  });

  it("refuses factories that are not exactly the step's ports, naming both", () => {
    // The types refuse these too; the check holds when a cast gets past them.
    // @ts-expect-error the gate needs policy, source, gateSettings and publishedEvents as well
    expect(() => awsStepDeps(gateStep, { bus, clock }, ENV)).toThrow(
      /^drydock gate: the step's ports are bus, clock, gateSettings, policy, publishedEvents, source, but the function assembles bus, clock$/,
    );
    // @ts-expect-error the notify step has no bus
    expect(() => awsStepDeps(notifyStep, { notifier, bus }, ENV)).toThrow(
      /^drydock notify: the step's ports are notifier, but the function assembles bus, notifier$/,
    );
  });
});

describe('Lambda entries', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('are exactly the step functions of the registry and the AWS-only functions', () => {
    expect(ENTRIES).toEqual(
      [...STEP_FUNCTIONS.map((n) => `steps/${n}`), ...Object.keys(AWS_ONLY_FUNCTION_ENV)].sort(),
    );
  });

  it.each(ENTRIES)('%s exports a handler when its environment is set', async (entry) => {
    const module = (await import(join(LAMBDAS, `${entry}.ts`))) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it.each(ENTRIES.flatMap((entry) => (READS[entry] ?? []).map((name) => [entry, name] as const)))(
    '%s refuses to start without %s, naming it',
    async (entry, name) => {
      vi.stubEnv(name, '');
      await expect(import(join(LAMBDAS, `${entry}.ts`))).rejects.toThrow(
        new RegExp(`drydock ${SERVICE(entry)}: bad environment: ${name} is not set`),
      );
    },
  );

  it.each(ENTRIES)('%s imports no adapter: the composition root assembles them', (entry) => {
    const source = readFileSync(join(LAMBDAS, `${entry}.ts`), 'utf8');
    expect(source).not.toMatch(/from '(\.\.\/)+adapters\//);
  });

  it.each(tsIn('handlers'))(
    '%s imports no adapter class, only ports, schemas and pure helpers',
    async (file) => {
      const source = readFileSync(join(LAMBDAS, `${file}.ts`), 'utf8');
      for (const m of source.matchAll(/^import (type )?\{([^}]*)\} from '((?:\.\.\/)+adapters\/[^']+)'/gm)) {
        if (m[1]) continue;
        const module = (await import(join(LAMBDAS, 'handlers', m[3]!.replace(/\.js$/, '.ts')))) as Record<
          string,
          unknown
        >;
        for (const name of m[2]!
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '))) {
          const value = module[name];
          const isClass =
            typeof value === 'function' && /^class\s/.test(Function.prototype.toString.call(value));
          expect(isClass && !(value.prototype instanceof Error), `${file} imports the class ${name}`).toBe(
            false,
          );
        }
      }
    },
  );

  it('wires the notify step to the topic of TOPIC_ARN and the idempotency table of IDEMPOTENCY_TABLE', async () => {
    const sns = mockClient(SNSClient);
    const ddb = new FakeDynamoDb();
    try {
      sns.on(PublishCommand).resolves({ MessageId: 'm' });
      const { handler } = (await import('../../lambdas/steps/notify.js')) as {
        handler: (e: unknown, c: unknown) => Promise<unknown>;
      };
      const verdict = JSON.parse(
        readFileSync(join(import.meta.dirname, '../fixtures/events/definition-verdict-failed.json'), 'utf8'),
      );
      expect(await handler(sqsEvent(sqsRecord(verdict)), lambdaContext())).toEqual({ batchItemFailures: [] });
      expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.TopicArn).toBe(ENV.TOPIC_ARN);
      expect(ddb.items('drydock-idempotency')).toHaveLength(1);
    } finally {
      sns.restore();
      ddb.restore();
    }
  });
});
