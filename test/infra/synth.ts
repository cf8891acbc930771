// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped; the assertions check its shape.
import { App, type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DrydockPipelineProps } from '../../infra/drydock-pipeline.js';
import { DrydockStack } from '../../infra/drydock-stack.js';
import { cdkOutdir } from './outdir.js';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const OPS_ROLE = `arn:aws:iam::${ACCOUNT}:role/drydock-ops`;
export const OPS_USER = `arn:aws:iam::${ACCOUNT}:user/oncall`;
export const BREAK_GLASS_ROLE = `arn:aws:iam::${ACCOUNT}:role/break-glass`;
export const TEAM_CI_ROLE = `arn:aws:iam::${ACCOUNT}:role/team-ci`;

/** Options of {@link synthDrydock}. */
export interface SynthOptions {
  /** Run esbuild for every function, as `cdk synth` does. @default false: assets are staged unbundled. */
  readonly bundle?: boolean;
  /** Register cdk-nag's AwsSolutions pack on the app. @default false */
  readonly nag?: boolean;
  readonly pipeline?: Partial<DrydockPipelineProps>;
}

/** The drydock stack in a fresh app, for one test file to synthesize once. */
export function drydockApp(options: SynthOptions = {}): { app: App; stack: DrydockStack } {
  // `aws:cdk:bundling-stacks: []` is the CDK's own switch for skipping asset bundling (as `cdk synth --exclusively`
  // does for other stacks): the template is the same apart from asset hashes, which tests never assert.
  // Its own outdir, removed after the run: without one the CDK makes a cdk.out* dir in the temp dir and leaves it.
  const app = new App({
    outdir: cdkOutdir(),
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new DrydockStack(app, 'Drydock', {
    env: { account: ACCOUNT, region: REGION },
    pipeline: {
      opsPrincipalArns: [OPS_ROLE, OPS_USER],
      breakGlassRoleArn: BREAK_GLASS_ROLE,
      submitPrincipalArns: [TEAM_CI_ROLE],
      ...options.pipeline,
    },
  });
  return { app, stack };
}

let defaultStack: { stack: DrydockStack; template: Template } | undefined;

/**
 * The synthesized template of the drydock stack. The default one is synthesized once and shared by the infra
 * test files (their vitest project runs them in one worker without module isolation); tests only read it.
 */
export function synthDrydock(options: SynthOptions = {}): { stack: DrydockStack; template: Template } {
  const isDefault = Object.keys(options).length === 0;
  if (isDefault && defaultStack) return defaultStack;
  const { stack } = drydockApp(options);
  const synthesized = { stack, template: Template.fromStack(stack) };
  if (isDefault) defaultStack = synthesized;
  return synthesized;
}

/** One IAM statement with the path of the policy or role that holds it. */
export interface StatementAt {
  readonly holder: string;
  readonly statement: Record<string, unknown>;
}

/** Every statement of every IAM policy, role inline policy and managed policy in the template. */
export function iamStatements(template: Template): StatementAt[] {
  const out: StatementAt[] = [];
  const add = (holder: string, doc: { Statement?: Record<string, unknown>[] } | undefined) => {
    for (const statement of doc?.Statement ?? []) out.push({ holder, statement });
  };
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    add(id, r.Properties.PolicyDocument);
  }
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) {
    add(id, r.Properties.PolicyDocument);
  }
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of r.Properties.Policies ?? []) add(id, p.PolicyDocument);
  }
  return out;
}

/** A value or list of values as a list. */
export function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The resource of a template by logical id. */
export function resource(
  template: Template,
  logicalId: string,
): { Type: string; Properties: Record<string, any> } {
  const r = template.toJSON().Resources[logicalId];
  if (!r) throw new Error(`no resource ${logicalId}`);
  return r;
}

/** The logical id of a construct's CloudFormation resource in `stack`'s template (overrides included). */
export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId);
}
