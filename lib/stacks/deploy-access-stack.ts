/**
 * The small bootstrap stack for CI/CD: GitHub's OIDC identity provider and the role the deploy
 * workflow assumes. The role trusts only this repository's deploy jobs in the `staging` and
 * `prod` GitHub environments (no long-lived keys) and may only do what `cdk deploy` and the
 * release smoke check need: assume the CDK bootstrap roles, read the stacks' outputs and run the
 * bot's health/rollback documents on the bot's instance.
 */
import { Duration, Stack, type StackProps, Tags, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployAccessConfig } from '../config/deploy-access';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface DeployAccessStackProps extends StackProps {
  readonly access: DeployAccessConfig;
  /** Stack names the pipeline deploys (their outputs name the documents and instance). */
  readonly botStackNames: readonly string[];
}

export class DeployAccessStack extends Stack {
  readonly role: iam.Role;
  readonly botStackNames: readonly string[];

  constructor(scope: Construct, id: string, props: DeployAccessStackProps) {
    super(scope, id, props);
    this.botStackNames = props.botStackNames;
    Tags.of(this).add('app', 'gacha-bot');
    const provider = new iam.OidcProviderNative(this, 'GitHubOidc', {
      url: GITHUB_OIDC_URL,
      clientIds: ['sts.amazonaws.com'],
    });
    const subjects = props.access.environments.map((e) => `repo:${props.access.repository}:environment:${e}`);
    this.role = new iam.Role(this, 'DeployRole', {
      roleName: props.access.roleName,
      description: `GitHub Actions deploys of ${props.access.repository} (environments ${props.access.environments.join(', ')})`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: subjects,
        },
      }),
    });
    const q = props.access.bootstrapQualifier;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: ['deploy', 'file-publishing', 'lookup'].map(
          (kind) => `arn:${this.partition}:iam::${this.account}:role/cdk-${q}-${kind}-role-${this.account}-*`,
        ),
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBotStackOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: props.botStackNames.map((name) =>
          this.formatArn({ service: 'cloudformation', region: '*', resource: 'stack', resourceName: `${name}/*` }),
        ),
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunReleaseDocumentsOnBotInstance',
        actions: ['ssm:SendCommand'],
        resources: [this.formatArn({ service: 'ec2', region: '*', resource: 'instance', resourceName: '*' })],
        conditions: { StringEquals: { 'ssm:resourceTag/app': 'gacha-bot' } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunOnlyBotDocuments',
        actions: ['ssm:SendCommand'],
        resources: [this.formatArn({ service: 'ssm', region: '*', resource: 'document', resourceName: 'GachaBot-*' })],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCommandResults',
        actions: ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations'],
        resources: ['*'],
      }),
    );
  }
}
