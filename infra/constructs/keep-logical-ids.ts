import { createHash } from 'node:crypto';
import { CfnElement, Names, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Gives every CloudFormation element under the children of `parts` the logical id it had when those children
 * were children of `formerParent` itself. Construct ids that embed another construct's unique id (an
 * `SqsEventSource:<queue>` mapping) are renamed to the former unique id as well. Call it once the parts exist
 * (so grants and cdk-nag acknowledgements resolve the kept ids) and again when the composition is complete
 * (policies and permissions added later); a second call sets the same ids.
 */
export function keepLogicalIds(formerParent: IConstruct, parts: readonly IConstruct[]): void {
  const renames = new Map<string, string>();
  const moved: { element: CfnElement; former: string[] }[] = [];
  for (const part of parts) {
    const depth = part.node.scopes.length;
    for (const node of part.node.findAll()) {
      if (node === part) continue;
      const former = [...fromRoot(formerParent), ...node.node.scopes.slice(depth).map((s) => s.node.id)];
      renames.set(Names.nodeUniqueId(node.node), cdkLogicalId(former));
      if (CfnElement.isCfnElement(node)) moved.push({ element: node, former });
    }
  }
  const stackDepth = fromRoot(Stack.of(formerParent)).length;
  const seen = new Map<string, string>();
  for (const { element, former } of moved) {
    const path = former
      .slice(stackDepth)
      .map((c) =>
        [...renames].reduce((text, [from, to]) => (text.includes(from) ? text.replace(from, to) : text), c),
      );
    const id = cdkLogicalId(path);
    const other = seen.get(id);
    if (other) throw new Error(`keepLogicalIds: ${element.node.path} and ${other} would both be ${id}`);
    seen.set(id, element.node.path);
    element.overrideLogicalId(id);
  }
}

/**
 * The unique id a child `id` of `formerParent` would have: the physical name the CDK generates for resources
 * that need one (an event bus), which a moved resource must keep as well.
 */
export function formerUniqueId(formerParent: IConstruct, id: string): string {
  return cdkLogicalId([...fromRoot(formerParent), id]);
}

/** The unique id the CDK gives the construct at this path (aws-cdk-lib's private makeUniqueId). */
export function cdkLogicalId(path: readonly string[]): string {
  const components = path.filter((c) => c !== 'Default');
  if (components.length === 1) return alphanumeric(components[0]!);
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const c of components) {
    if (human.length === 0 || !human[human.length - 1]!.endsWith(c)) human.push(c);
  }
  return (
    human
      .filter((c) => c !== 'Resource')
      .map(alphanumeric)
      .join('')
      .slice(0, 240) + hash
  );
}

// The ids of the construct's path without the app's (empty) root id.
function fromRoot(construct: IConstruct): string[] {
  return construct.node.scopes.slice(1).map((s) => s.node.id);
}

function alphanumeric(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '');
}
