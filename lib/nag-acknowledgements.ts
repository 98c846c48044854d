/**
 * cdk-nag (and CloudFormation validation) findings accepted on purpose, each on the construct it
 * concerns, with the rule id and a specific reason. Anything else fails the synth.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ssmPrefix } from '../app/contracts/host';
import { DUMP_PREFIX } from '../app/contracts/host';
import type { EnvironmentConfig } from './config/environments';
import type { DeployAccessStack } from './stacks/deploy-access-stack';
import type { GachaBotStack } from './stacks/gacha-bot-stack';

function ack(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

function child(construct: IConstruct, id: string): IConstruct {
  return construct.node.findChild(id);
}

export function acknowledgeFindings(stack: GachaBotStack, config: EnvironmentConfig): void {
  const instance = stack.host.instance;
  ack(
    instance,
    'AwsSolutions::AwsSolutions-EC28',
    'Detailed monitoring costs ~2 USD/month; the 5-minute EC2 metrics feed the CPU alarm and the CloudWatch agent sends memory/disk every minute.',
  );
  if (!config.terminationProtection) {
    ack(
      instance,
      'AwsSolutions::AwsSolutions-EC29',
      `${config.name} is disposable (restored from backups); termination protection is on for prod.`,
    );
  }
  ack(
    instance,
    'CloudFormation-Validate::E1152',
    'ImageId is resolve:ssm:<AL2023 parameter>, which EC2 accepts and resolves once at launch so new AMIs never replace the instance.',
  );
  const role = stack.host.role;
  ack(
    child(role, 'Resource'),
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
    'AWS-maintained minimum for SSM Session Manager, Run Command and State Manager (how the host is administered and released).',
  );
  const policy = child(child(role, 'DefaultPolicy'), 'Resource');
  ack(
    policy,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the GachaBot and CWAgent namespaces by condition.',
  );
  ack(
    policy,
    `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter${ssmPrefix(config.name)}*]`,
    "The host reads only its own environment's SSM path; the secrets in it are written by the operator and vary (optional webhook URL).",
  );
  ack(
    policy,
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(stack.backups.dumpBucket.node.defaultChild as never)}.Arn>/${DUMP_PREFIX}*]`,
    'Daily dumps get a new dated key each day; access is limited to the dumps/ prefix of this environment bucket.',
  );
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
  ack(
    stack.network.vpc,
    'AwsSolutions::AwsSolutions-VPC7',
    'The VPC holds one instance with no inbound rules; flow logs would cost more than the instance for no actionable signal.',
  );
}

export function acknowledgeDeployAccessFindings(stack: DeployAccessStack): void {
  const policy = child(child(stack.role, 'DefaultPolicy'), 'Resource');
  const prefix = 'AwsSolutions::AwsSolutions-IAM5[Resource::';
  ack(
    policy,
    `${prefix}*]`,
    'ssm:GetCommandInvocation and ListCommandInvocations have no resource-level permissions; they only read results of commands this role sent.',
  );
  for (const kind of ['deploy', 'file-publishing', 'lookup']) {
    ack(
      policy,
      `${prefix}arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-${kind}-role-<AWS::AccountId>-*]`,
      `cdk deploy assumes the CDK bootstrap ${kind} role, whose name ends in the region; the wildcard covers the bootstrapped regions only.`,
    );
  }
  for (const name of stack.botStackNames) {
    ack(
      policy,
      `${prefix}arn:<AWS::Partition>:cloudformation:*:<AWS::AccountId>:stack/${name}/*]`,
      'A stack ARN ends in its generated stack id; the smoke check reads this one stack outputs (the copy stack lives in a second region).',
    );
  }
  ack(
    policy,
    `${prefix}arn:<AWS::Partition>:ec2:*:<AWS::AccountId>:instance/*]`,
    'Instance ids change when an instance is replaced; SendCommand is limited by condition to instances tagged app=gacha-bot.',
  );
  ack(
    policy,
    `${prefix}arn:<AWS::Partition>:ssm:*:<AWS::AccountId>:document/GachaBot-*]`,
    "Only the bot stacks' own Release/Rollback/Health documents, which are named GachaBot-<env>-<purpose>.",
  );
}
