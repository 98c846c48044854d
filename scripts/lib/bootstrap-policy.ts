/**
 * The policy for `cdk bootstrap --cloudformation-execution-policies`: what CloudFormation may do
 * when it deploys this app's stacks, instead of the AdministratorAccess that bootstrap attaches by
 * default. Generated from the synthesized templates: every resource type must be known here, so
 * a new kind of resource cannot be deployed until this policy (and its review) covers it.
 *
 * Limits, stated plainly: EC2, CloudWatch, Logs, SNS, SQS, Lambda, S3 and AWS Backup are granted
 * per service (their resources carry generated names); IAM is limited to roles, instance profiles
 * and the GitHub OIDC provider of this app (a role the stacks create could still be given broad
 * rights by a malicious template: review changes to lib/ as you would an IAM change).
 */
import type { CfnTemplate } from './cost-model';

/** The service each resource type of the app belongs to; unknown types fail the generation. */
export const RESOURCE_SERVICES: Readonly<Record<string, string>> = {
  'AWS::Backup::BackupPlan': 'backup',
  'AWS::Backup::BackupSelection': 'backup',
  'AWS::Backup::BackupVault': 'backup',
  'AWS::CloudWatch::Alarm': 'cloudwatch',
  'AWS::CloudWatch::Dashboard': 'cloudwatch',
  'AWS::EC2::Instance': 'ec2',
  'AWS::EC2::InternetGateway': 'ec2',
  'AWS::EC2::Route': 'ec2',
  'AWS::EC2::RouteTable': 'ec2',
  'AWS::EC2::SecurityGroup': 'ec2',
  'AWS::EC2::SecurityGroupIngress': 'ec2',
  'AWS::EC2::Subnet': 'ec2',
  'AWS::EC2::SubnetRouteTableAssociation': 'ec2',
  'AWS::EC2::VPC': 'ec2',
  'AWS::EC2::VPCGatewayAttachment': 'ec2',
  'AWS::EC2::Volume': 'ec2',
  'AWS::EC2::VolumeAttachment': 'ec2',
  'AWS::IAM::InstanceProfile': 'iam',
  'AWS::IAM::OIDCProvider': 'iam',
  'AWS::IAM::Policy': 'iam',
  'AWS::IAM::Role': 'iam',
  'AWS::Lambda::EventInvokeConfig': 'lambda',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Lambda::Permission': 'lambda',
  'AWS::Logs::LogGroup': 'logs',
  'AWS::Logs::QueryDefinition': 'logs',
  'AWS::S3::Bucket': 's3',
  'AWS::S3::BucketPolicy': 's3',
  'AWS::SNS::Subscription': 'sns',
  'AWS::SNS::Topic': 'sns',
  'AWS::SNS::TopicPolicy': 'sns',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SQS::QueuePolicy': 'sqs',
  'AWS::SSM::Association': 'ssm',
  'AWS::SSM::Document': 'ssm',
  'AWS::SSM::Parameter': 'ssm',
  'AWS::Scheduler::Schedule': 'scheduler',
  'AWS::CDK::Metadata': 'none',
};

/** Services granted per service (`svc:*`); IAM and SSM get scoped statements instead. */
const PER_SERVICE = new Set(['backup', 'cloudwatch', 'ec2', 'lambda', 'logs', 's3', 'scheduler', 'sns', 'sqs']);

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

export function resourceTypes(templates: readonly CfnTemplate[]): string[] {
  const types = new Set<string>();
  for (const t of templates) for (const r of Object.values(t.Resources)) types.add(r.Type);
  return [...types].sort();
}

export function bootstrapExecutionPolicy(
  templates: readonly CfnTemplate[],
  account = '*',
  partition = 'aws',
): PolicyDocument {
  const types = resourceTypes(templates);
  const unknown = types.filter((t) => RESOURCE_SERVICES[t] === undefined);
  if (unknown.length > 0) {
    throw new Error(`no execution-policy rule for ${unknown.join(', ')}: add it to scripts/lib/bootstrap-policy.ts`);
  }
  const services = new Set(types.map((t) => RESOURCE_SERVICES[t] ?? 'none'));
  const statements: PolicyStatement[] = [];
  const perService = [...services].filter((s) => PER_SERVICE.has(s)).sort();
  if (perService.length > 0) {
    statements.push({
      Sid: 'AppServices',
      Effect: 'Allow',
      Action: [...perService.map((s) => `${s}:*`), ...(services.has('backup') ? ['backup-storage:MountCapsule'] : [])],
      Resource: ['*'],
    });
  }
  if (services.has('ec2') || services.has('backup')) {
    statements.push({
      Sid: 'EncryptedVolumesAndVaultsWithAwsManagedKeys',
      Effect: 'Allow',
      Action: [
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
        'kms:RetireGrant',
      ],
      Resource: ['*'],
      Condition: { StringLike: { 'kms:ViaService': ['ec2.*.amazonaws.com', 'backup.*.amazonaws.com'] } },
    });
  }
  if (services.has('iam')) {
    const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
    statements.push({
      Sid: 'OwnRolesProfilesAndGithubProvider',
      Effect: 'Allow',
      Action: ['iam:*'],
      Resource: [
        iam('role/GachaBot-*'),
        iam('role/gacha-bot-github-deploy-*'),
        iam('instance-profile/GachaBot-*'),
        iam('oidc-provider/token.actions.githubusercontent.com'),
      ],
    });
  }
  if (services.has('ssm')) {
    const ssm = (resource: string) => `arn:${partition}:ssm:*:${account}:${resource}`;
    statements.push(
      {
        Sid: 'OwnDocumentsAssociationsAndAgentConfig',
        Effect: 'Allow',
        Action: ['ssm:*'],
        Resource: [
          ssm('document/GachaBot-*'),
          ssm('association/*'),
          ssm('parameter/AmazonCloudWatch-gacha-bot-*'),
          `arn:${partition}:ec2:*:${account}:instance/*`,
        ],
      },
      {
        Sid: 'ResolvePublicAmiParameter',
        Effect: 'Allow',
        Action: ['ssm:GetParameters', 'ssm:GetParameter'],
        Resource: [`arn:${partition}:ssm:*::parameter/aws/service/*`],
      },
      {
        Sid: 'ListSsm',
        Effect: 'Allow',
        Action: ['ssm:Describe*', 'ssm:List*'],
        Resource: ['*'],
      },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}
