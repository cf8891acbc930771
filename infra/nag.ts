import { type IResolvable, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** One statement of a role's own policy; `wildcardReason` says why any `*` in its resources is needed. */
export interface Allow {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Record<string, unknown>;
  /** Required when a resource holds `*`: why the API or the naming scheme needs it. */
  readonly wildcardReason?: string;
}

/**
 * Adds an Allow statement to the role's policy. A resource with a `*` must come with its reason, which is
 * recorded as the cdk-nag acknowledgement of that finding; without one the synth fails here. Actions are
 * always named in full.
 */
export function allow(role: iam.IRole & IConstruct, statement: Allow): void {
  for (const action of statement.actions) {
    if (action.includes('*')) throw new Error(`${statement.sid}: name the action instead of ${action}`);
  }
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: statement.sid,
      actions: [...statement.actions],
      resources: [...statement.resources],
      ...(statement.conditions ? { conditions: statement.conditions } : {}),
    }),
  );
  for (const resource of statement.resources) {
    if (!nagName(role, resource).includes('*')) continue;
    if (!statement.wildcardReason) {
      throw new Error(`${statement.sid}: resource ${nagName(role, resource)} has a wildcard and no reason`);
    }
    acknowledgeWildcardResource(role, resource, statement.wildcardReason);
  }
}

/**
 * Acknowledges the cdk-nag `AwsSolutions-IAM5` finding of one wildcard resource of `scope`'s policies. cdk-nag 3
 * names each finding by the resource as CloudFormation resolves it (`Resource::arn:<AWS::Partition>:ecr:…`), so
 * the id is derived from the same value the policy uses.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagName(scope, resource)}]`,
    reason,
  });
}

/** Acknowledges the finding of one wildcard action (e.g. `kms:GenerateDataKey*`) of `scope`'s policies. */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/** A value as cdk-nag names it in a finding id. */
export function nagName(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

// The flattening cdk-nag applies (its utils/flatten-cfn-reference): Fn::Join joined, Ref and GetAtt in <…>.
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown> | IResolvable;
  if ('Fn::Join' in value) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if ('Fn::Sub' in value) return flatten(value['Fn::Sub']);
  if ('Fn::GetAtt' in value) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if ('Fn::ImportValue' in value) return flatten(value['Fn::ImportValue']);
  if ('Ref' in value) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
