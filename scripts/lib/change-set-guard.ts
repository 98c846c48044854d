/**
 * The deploy guard's judgement: does a CloudFormation change set replace or delete anything that
 * holds player data? MongoDB lives on the instance's data volume; CloudFormation silently
 * replaces an instance for many property changes (AMI, root volume size, subnet, AZ, …), and a
 * replaced attachment or volume would start MongoDB on an empty disk. Such a change set is
 * refused and deleted before anything changes.
 */
import {
  type Change,
  type CloudFormationClient,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';

/** Resource types whose replacement or removal would lose (or detach) the database. */
export const PROTECTED_TYPES: readonly string[] = [
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::VolumeAttachment',
];

export interface Refusal {
  readonly logicalId: string;
  readonly type: string;
  readonly why: string;
}

export type Verdict =
  | { readonly kind: 'no-changes' }
  | { readonly kind: 'safe'; readonly changes: number }
  | { readonly kind: 'refused'; readonly refusals: readonly Refusal[] }
  | { readonly kind: 'failed'; readonly reason: string };

const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

/** What a set of changes would do to protected resources. */
export function refusalsOf(changes: readonly Change[]): Refusal[] {
  const refusals: Refusal[] = [];
  for (const change of changes) {
    const rc = change.ResourceChange;
    if (rc?.ResourceType === undefined || !PROTECTED_TYPES.includes(rc.ResourceType)) continue;
    const logicalId = rc.LogicalResourceId ?? '?';
    const causes = (rc.Details ?? [])
      .filter((d) => d.Target?.RequiresRecreation !== undefined && d.Target.RequiresRecreation !== 'Never')
      .map((d) => d.Target?.Name ?? d.Target?.Attribute ?? '?');
    const because = causes.length > 0 ? ` (because of ${[...new Set(causes)].join(', ')})` : '';
    if (rc.Action === 'Remove') {
      refusals.push({ logicalId, type: rc.ResourceType, why: 'would be deleted' });
    } else if (rc.Action === 'Modify' && rc.Replacement === 'True') {
      refusals.push({ logicalId, type: rc.ResourceType, why: `would be replaced${because}` });
    } else if (rc.Action === 'Modify' && rc.Replacement === 'Conditional') {
      refusals.push({ logicalId, type: rc.ResourceType, why: `may be replaced${because}` });
    } else if (rc.Action === 'Dynamic') {
      refusals.push({
        logicalId,
        type: rc.ResourceType,
        why: 'changes in a way CloudFormation decides only at run time',
      });
    }
  }
  return refusals;
}

/** Judges one described change set (all pages). */
export function verdictOf(pages: readonly DescribeChangeSetCommandOutput[]): Verdict {
  const first = pages[0];
  if (first === undefined) return { kind: 'failed', reason: 'no change set description' };
  if (first.Status === 'FAILED') {
    const reason = first.StatusReason ?? 'unknown reason';
    return NO_CHANGES.some((p) => p.test(reason)) ? { kind: 'no-changes' } : { kind: 'failed', reason };
  }
  if (first.Status !== 'CREATE_COMPLETE') return { kind: 'failed', reason: `change set is ${first.Status ?? '?'}` };
  if (first.ExecutionStatus !== 'AVAILABLE') {
    return { kind: 'failed', reason: `change set cannot be executed (${first.ExecutionStatus ?? '?'})` };
  }
  const changes = pages.flatMap((p) => p.Changes ?? []);
  const refusals = refusalsOf(changes);
  return refusals.length > 0 ? { kind: 'refused', refusals } : { kind: 'safe', changes: changes.length };
}

export interface ChangeSetRef {
  readonly stackName: string;
  readonly changeSetName: string;
}

/** Every page of a change set's description (IncludePropertyValues off: never print values). */
export async function describeChangeSet(
  cfn: Pick<CloudFormationClient, 'send'>,
  ref: ChangeSetRef,
): Promise<DescribeChangeSetCommandOutput[]> {
  const pages: DescribeChangeSetCommandOutput[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cfn.send(
      new DescribeChangeSetCommand({
        StackName: ref.stackName,
        ChangeSetName: ref.changeSetName,
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      }),
    );
    pages.push(page);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return pages;
}

export async function deleteChangeSet(cfn: Pick<CloudFormationClient, 'send'>, ref: ChangeSetRef): Promise<void> {
  await cfn.send(new DeleteChangeSetCommand({ StackName: ref.stackName, ChangeSetName: ref.changeSetName }));
}

export function describeRefusals(stackName: string, refusals: readonly Refusal[]): string {
  return [
    `deploy: REFUSED ${stackName}: this change would lose or detach player data:`,
    ...refusals.map((r) => `  - ${r.logicalId} (${r.type}) ${r.why}`),
    'Nothing was changed and the change set was deleted. Revert the change (see README "Changes that would',
    'replace the instance"); grow the data disk with dataVolumeGiB instead of rootVolumeGiB.',
  ].join('\n');
}
