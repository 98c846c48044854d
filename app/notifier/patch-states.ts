/**
 * The hosts' OS updates as SSM Patch Manager recorded them after its last weekly run
 * (`AWS-RunPatchBaselineWithHooks`, lib/constructs/os-patching.ts): DescribeInstancePatchStates
 * for the environment's instance ids (passed to the digest, so it needs no ec2:DescribeInstances).
 * An instance Patch Manager has never scanned is absent from the answer: its state stays undefined.
 * An API error is not swallowed: the digest run fails and counts as a digest error.
 */
import { DescribeInstancePatchStatesCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { InstancePatchSummary } from './digest-data';

/** The API takes at most 50 instance ids per request. */
const IDS_PER_REQUEST = 50;

export async function readPatchStates(
  ssm: Pick<SSMClient, 'send'>,
  instanceIds: readonly string[],
): Promise<InstancePatchSummary[]> {
  const found = new Map<string, InstancePatchSummary['state']>();
  for (let i = 0; i < instanceIds.length; i += IDS_PER_REQUEST) {
    const ids = instanceIds.slice(i, i + IDS_PER_REQUEST);
    let token: string | undefined;
    do {
      const page = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: ids, NextToken: token }));
      for (const s of page.InstancePatchStates ?? []) {
        if (s.InstanceId === undefined || s.OperationEndTime === undefined) continue;
        found.set(s.InstanceId, {
          missing: s.MissingCount ?? 0,
          failed: s.FailedCount ?? 0,
          installedPendingReboot: s.InstalledPendingRebootCount ?? 0,
          operation: s.Operation ?? '',
          operationEnd: s.OperationEndTime,
        });
      }
      token = page.NextToken === '' ? undefined : page.NextToken;
    } while (token);
  }
  return instanceIds.map((instanceId) => ({ instanceId, state: found.get(instanceId) }));
}
