/**
 * cdk-nag names each IAM5 wildcard finding after the resolved resource string
 * (`Resource::arn:<AWS::Partition>:…` in an env-agnostic stack, `Resource::arn:aws:…:123456789012:…`
 * once the stack is pinned to an account). Acknowledgements are computed here from the very value
 * the statement grants, resolved the same way, so they match in either case.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A wildcard resource a construct grants on purpose, and why. */
export interface AcceptedWildcard {
  readonly resource: string;
  readonly reason: string;
}

/** The finding id cdk-nag's IAM5 rule reports for this resource in `scope`'s stack. */
export function wildcardFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** Same rendering as cdk-nag: Ref → <Name>, GetAtt → <Resource.Attr>, Join concatenated. */
export function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    if ('Fn::Join' in node) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in node) return flatten(node['Fn::Sub']);
    if ('Fn::GetAtt' in node) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::ImportValue' in node) return flatten(node['Fn::ImportValue']);
    if ('Ref' in node) return `<${flatten(node.Ref)}>`;
  }
  return JSON.stringify(node);
}
