// What each Lambda bundle holds, from esbuild's metafile with the settings CDK bundles with (ESM, module-first main
// fields, the SDK bundled): a function carries the adapters and SDK clients of the ports it uses and no other, so
// its zip and its cold start do not pay for every other function's (an `import()` of an adapter is bundled all the
// same, and defeats tree-shaking of its SDK client).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepNamed } from '../../core/steps/index.js';
import {
  AWS_ONLY_FUNCTION_ENV,
  type AwsOnlyFunctionName,
  type AwsPortName,
  PORT_ENV,
  STEP_FUNCTIONS,
} from '../../lambdas/shared/deployment.js';

const ROOT = join(import.meta.dirname, '../..');
const PORTS_DIR = 'lambdas/shared/ports';
const portModule = (port: AwsPortName) =>
  `${PORTS_DIR}/${port.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
const COMMON = 'lambdas/shared/aws-ports.ts';
const stepEntry = (name: string) => `lambdas/steps/${name}.ts`;
const onlyEntry = (name: string) => `lambdas/${name}.ts`;

/** The SDK clients each function that is not a step talks to: its ports', its own and idempotency's. */
const AWS_ONLY_CLIENTS: Record<AwsOnlyFunctionName, readonly string[]> = {
  webhook: ['dynamodb', 'eventbridge', 's3', 'secrets-manager'],
  submit: ['dynamodb', 'eventbridge', 's3', 'secrets-manager'],
  'build-starter': ['codebuild', 'dynamodb', 'eventbridge', 's3', 'sqs'],
  'build-state': ['codebuild', 'dynamodb', 'eventbridge', 's3', 'sqs'],
};

interface Contents {
  /** Modules under adapters/, relative to the repository root. */
  readonly adapters: readonly string[];
  /** `@aws-sdk/client-<name>` packages, by name. */
  readonly clients: readonly string[];
  /** Every input module, relative to the repository root. */
  readonly inputs: readonly string[];
}

async function bundleContents(entries: readonly string[]): Promise<Record<string, Contents>> {
  const result = await build({
    entryPoints: entries.map((e) => join(ROOT, e)),
    outbase: ROOT,
    outdir: join(ROOT, 'tmp/bundles-test'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    metafile: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  const contents: Record<string, Contents> = {};
  for (const output of Object.values((result.metafile as Metafile).outputs)) {
    if (!output.entryPoint) continue;
    const inputs = Object.keys(output.inputs).map((i) => relative(ROOT, join(process.cwd(), i)));
    contents[relative(ROOT, join(process.cwd(), output.entryPoint))] = {
      inputs,
      adapters: [...new Set(inputs.filter((i) => i.startsWith('adapters/')))].sort(),
      clients: [
        ...new Set(inputs.flatMap((i) => /node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//.exec(i)?.[1] ?? [])),
      ].sort(),
    };
  }
  return contents;
}

const union = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())].sort();

let bundles: Record<string, Contents>;

beforeAll(async () => {
  bundles = await bundleContents([
    ...STEP_FUNCTIONS.map(stepEntry),
    ...Object.keys(AWS_ONLY_FUNCTION_ENV).map(onlyEntry),
    ...(Object.keys(PORT_ENV) as AwsPortName[]).map(portModule),
    COMMON,
  ]);
}, 120_000);

describe('Lambda bundles', () => {
  it('have one factory module per AWS port, and nothing else beside the index', () => {
    expect(
      readdirSync(join(ROOT, PORTS_DIR))
        .filter((f) => f !== 'index.ts')
        .map((f) => `${PORTS_DIR}/${f}`)
        .sort(),
    ).toEqual((Object.keys(PORT_ENV) as AwsPortName[]).map(portModule).sort());
  });

  it.each(STEP_FUNCTIONS)(
    '%s holds exactly the adapters and SDK clients of its step’s ports (and of idempotency and backoff)',
    (name) => {
      const ports = stepNamed(name)!.ports as readonly AwsPortName[];
      const parts = [...ports.map(portModule), COMMON].map((m) => bundles[m]!);
      const bundle = bundles[stepEntry(name)]!;
      expect(bundle.adapters).toEqual(union(parts.map((p) => p.adapters)));
      expect(bundle.clients).toEqual(union(parts.map((p) => p.clients)));
      expect(bundle.inputs.filter((i) => i.startsWith(`${PORTS_DIR}/`)).sort()).toEqual(
        ports.map(portModule).sort(),
      );
    },
  );

  it.each(Object.keys(AWS_ONLY_CLIENTS) as AwsOnlyFunctionName[])(
    '%s holds the SDK clients it talks to and no port factory it does not use',
    (name) => {
      const bundle = bundles[onlyEntry(name)]!;
      expect(bundle.clients).toEqual([...AWS_ONLY_CLIENTS[name]].sort());
      expect(bundle.inputs).not.toContain(`${PORTS_DIR}/index.ts`);
      for (const port of ['policy', 'lineage', 'notifier'] as const)
        expect(bundle.inputs).not.toContain(portModule(port));
    },
  );

  it('the port of each factory module is the one its file is named after', async () => {
    for (const port of Object.keys(PORT_ENV) as AwsPortName[]) {
      const module = (await import(join(ROOT, portModule(port)))) as Record<string, { port?: string }>;
      expect(Object.values(module).map((f) => f.port)).toContain(port);
    }
  });
});

describe('the CDK app', () => {
  it('loads no Lambda code beyond the deployment tables, so no port factory and no adapter through them', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'infra/app.ts')],
      write: false,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      metafile: true,
      outfile: join(ROOT, 'tmp/bundles-test/app.mjs'),
      tsconfig: join(ROOT, 'tsconfig.json'),
      logLevel: 'error',
    });
    const inputs = Object.entries(result.metafile.inputs).map(
      ([path, input]) => [relative(ROOT, join(process.cwd(), path)), input] as const,
    );
    const lambdas = inputs.filter(([path]) => path.startsWith('lambdas/'));
    expect(lambdas.map(([path]) => path)).toEqual(['lambdas/shared/deployment.ts']);
    expect(lambdas.flatMap(([, input]) => input.imports.map((i) => i.path))).toEqual([]);
  });
});
