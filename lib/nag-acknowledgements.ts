/**
 * cdk-nag (and CloudFormation validation) findings accepted on purpose, each on the construct it
 * concerns, with the rule id and a specific reason. Anything else fails the synth. Wildcard
 * (IAM5) findings are named from the granted value itself (lib/nag-findings.ts), so they match
 * whether the stack is env-agnostic or pinned to an account and region.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DUMP_PREFIX } from '../app/contracts/host';
import type { EnvironmentConfig } from './config/environments';
import { patchManagerBucketObjects } from './constructs/os-patching';
import { wildcardFindingId } from './nag-findings';
import type { DeployAccessStack } from './stacks/deploy-access-stack';
import type { GachaBotStack } from './stacks/gacha-bot-stack';

function ack(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

function child(construct: IConstruct, id: string): IConstruct {
  return construct.node.findChild(id);
}

export function acknowledgeFindings(stack: GachaBotStack, config: EnvironmentConfig): void {
  for (const instance of stack.host.instances) {
    ack(
      instance,
      'AwsSolutions::AwsSolutions-EC28',
      'Detailed monitoring costs ~2 USD/month; the 5-minute EC2 metrics feed the CPU alarms and the CloudWatch agent sends memory/disk every minute.',
    );
    ack(
      instance,
      'AwsSolutions::AwsSolutions-EC29',
      config.database === 'local'
        ? `Termination protection would make the rollback of a failed first create fail; ${config.name}'s data lives on a retained data volume and npm run deploy refuses any change that replaces or deletes the instance.`
        : `Termination protection would make the rollback of a failed first create fail; ${config.name}'s data lives in the external MongoDB, the instance holds no state a replacement would lose.`,
    );
    ack(
      instance,
      'CloudFormation-Validate::E1152',
      'ImageId is resolve:ssm:<AL2023 parameter>, which EC2 accepts and resolves once at launch so new AMIs never replace the instance.',
    );
  }
  const role = stack.host.role;
  ack(
    child(role, 'Resource'),
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
    'AWS-maintained minimum for SSM Session Manager, Run Command and State Manager (how the host is administered and released); its ssm:GetParameter* on * is overridden by an explicit Deny outside this environment path.',
  );
  const policy = child(child(role, 'DefaultPolicy'), 'Resource');
  ack(
    policy,
    wildcardFindingId(policy, '*'),
    'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the GachaBot and CWAgent namespaces by condition.',
  );
  ack(
    policy,
    wildcardFindingId(policy, stack.backups.dumpBucket.arnForObjects(`${DUMP_PREFIX}*`)),
    'Daily dumps get a new dated key each day; access is limited to the dumps/ prefix of this environment bucket.',
  );
  for (const objects of patchManagerBucketObjects(stack)) {
    ack(
      policy,
      wildcardFindingId(policy, objects),
      "SSM Patch Manager reads its scripts and the patch baseline snapshot from these AWS-owned buckets of the stack's region (object keys are AWS's); read-only.",
    );
  }
  ack(
    stack.backups.dumpBucket,
    'AwsSolutions::AwsSolutions-S1',
    'Only the host role can reach the dump prefix; access logging would need a second bucket whose cost exceeds the dumps themselves. CloudTrail records the API calls.',
  );
  ack(
    stack.backups.plan,
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    "AWS Backup's own service-role policy, maintained by AWS for the resource types it snapshots.",
  );
  if (stack.notifications.webhookDeadLetters !== undefined) {
    ack(
      stack.notifications.webhookDeadLetters,
      'AwsSolutions::AwsSolutions-SQS3',
      "This queue is the webhook Lambda's on-failure destination, i.e. itself the dead-letter queue; cdk-nag only recognises queues named as another queue's DLQ.",
    );
  }
  if (stack.digest !== undefined) {
    const digestPolicy = child(child(stack.digest.role, 'DefaultPolicy'), 'Resource');
    ack(
      digestPolicy,
      wildcardFindingId(digestPolicy, '*'),
      'cloudwatch:GetMetricData/ListMetrics, logs:GetQueryResults, ce:GetCostAndUsage and ssm:DescribeInstancePatchStates have no resource-level permissions (read-only; the digest asks only for its own instance ids); PutMetricData is limited to the GachaBot namespace by condition.',
    );
  }
  ack(
    stack.network.vpc,
    'AwsSolutions::AwsSolutions-VPC7',
    'The VPC holds one instance with no inbound rules; flow logs would cost more than the instance for no actionable signal.',
  );
}

export function acknowledgeDeployAccessFindings(stack: DeployAccessStack): void {
  const policy = child(child(stack.role, 'DefaultPolicy'), 'Resource');
  for (const wildcard of stack.acceptedWildcards)
    ack(policy, wildcardFindingId(policy, wildcard.resource), wildcard.reason);
}
