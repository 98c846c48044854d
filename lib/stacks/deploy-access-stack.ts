/**
 * CI/CD access for ONE environment: GitHub's OIDC identity provider (created here or reused) and
 * the role that environment's deploy jobs assume. The role trusts only this repository's jobs in
 * the matching GitHub environment (no long-lived keys; prod's role cannot be assumed from a job
 * that skipped prod's approval gate) and may only do what `npm run deploy` and the smoke check
 * need: assume the CDK bootstrap deploy/file-publishing roles in this environment's regions, read
 * and clean up the change sets of this environment's stacks, read their outputs, and run this
 * environment's health/rollback documents on its instance.
 */
import { CfnOutput, Duration, Stack, type StackProps, Tags, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CHANGE_SET_PREFIX, type DeployAccessConfig, type EnvironmentDeployAccess } from '../config/deploy-access';
import type { AcceptedWildcard } from '../nag-findings';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** CDK bootstrap roles `cdk deploy` assumes (no lookups: the app needs no context). */
export const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing'] as const;

export interface DeployedStack {
  readonly stackName: string;
  /** Region of the stack; undefined = this stack's region. */
  readonly region?: string;
}

export interface DeployAccessStackProps extends StackProps {
  readonly environment: string;
  readonly access: Pick<DeployAccessConfig, 'repository' | 'bootstrapQualifier'>;
  readonly role: EnvironmentDeployAccess;
  /** The environment's stacks the pipeline deploys, in deploy order. */
  readonly botStacks: readonly DeployedStack[];
  /** SSM documents the pipeline runs on the instance (health check, rollback). */
  readonly documentNames: readonly string[];
}

export class DeployAccessStack extends Stack {
  readonly role: iam.Role;
  readonly oidcProviderArn: string;
  /** Wildcard resources granted on purpose, with the reason (acknowledged for cdk-nag). */
  readonly acceptedWildcards: AcceptedWildcard[] = [];

  constructor(scope: Construct, id: string, props: DeployAccessStackProps) {
    super(scope, id, props);
    Tags.of(this).add('app', 'gacha-bot');
    Tags.of(this).add('environment', props.environment);
    this.oidcProviderArn = this.providerArn(props.role);
    const subject = `repo:${props.access.repository}:environment:${props.role.githubEnvironment}`;
    this.role = new iam.Role(this, 'DeployRole', {
      roleName: props.role.roleName,
      description: `GitHub Actions deploys of ${props.access.repository} to ${props.environment} (GitHub environment ${props.role.githubEnvironment} only)`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(this.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: subject,
        },
      }),
    });

    new CfnOutput(this, 'DeployRoleArn', {
      value: this.role.roleArn,
      description: `Set as the AWS_DEPLOY_ROLE_ARN variable of the GitHub environment ${props.role.githubEnvironment}`,
    });

    const regions = [...new Set([this.region, ...props.botStacks.map((s) => s.region ?? this.region)])];
    const q = props.access.bootstrapQualifier;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: regions.flatMap((region) =>
          BOOTSTRAP_ROLE_KINDS.map(
            (kind) => `arn:${this.partition}:iam::${this.account}:role/cdk-${q}-${kind}-role-${this.account}-${region}`,
          ),
        ),
      }),
    );
    const stackArns = props.botStacks.map((s) =>
      this.formatArn({
        service: 'cloudformation',
        ...(s.region !== undefined ? { region: s.region } : {}),
        resource: 'stack',
        resourceName: `${s.stackName}/*`,
      }),
    );
    // Change set actions are authorized on the stack and on the change set itself.
    const changeSetArns = [...new Set(props.botStacks.map((s) => s.region))].map((region) =>
      this.formatArn({
        service: 'cloudformation',
        ...(region !== undefined ? { region } : {}),
        resource: 'changeSet',
        resourceName: `${CHANGE_SET_PREFIX}*/*`,
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InspectChangeSetsAndOutputs',
        actions: [
          'cloudformation:DescribeStacks',
          'cloudformation:DescribeChangeSet',
          'cloudformation:ListChangeSets',
          'cloudformation:DeleteChangeSet',
        ],
        resources: [...stackArns, ...changeSetArns],
      }),
    );
    for (const arn of [...stackArns, ...changeSetArns]) {
      this.acceptedWildcards.push({
        resource: arn,
        reason:
          "Stack and change set ARNs end in generated ids; the deploy guard reads and deletes the gacha-deploy-* change sets of this environment's own stacks only.",
      });
    }
    const instances = this.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunDocumentsOnOwnInstance',
        actions: ['ssm:SendCommand'],
        resources: [instances],
        conditions: {
          StringEquals: { 'ssm:resourceTag/app': 'gacha-bot', 'ssm:resourceTag/environment': props.environment },
        },
      }),
    );
    this.acceptedWildcards.push({
      resource: instances,
      reason: `Instance ids change when an instance is replaced; SendCommand, StartInstances and StopInstances are limited by condition to instances tagged app=gacha-bot, environment=${props.environment}.`,
    });
    // npm run staging:start / staging:stop (the pipeline starts a stopped instance before a deploy).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartStopOwnInstance',
        actions: ['ec2:StartInstances', 'ec2:StopInstances'],
        resources: [instances],
        conditions: {
          StringEquals: { 'aws:ResourceTag/app': 'gacha-bot', 'aws:ResourceTag/environment': props.environment },
        },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunOnlyOwnDocuments',
        actions: ['ssm:SendCommand'],
        resources: props.documentNames.map((name) =>
          this.formatArn({ service: 'ssm', resource: 'document', resourceName: name }),
        ),
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCommandResults',
        actions: ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ec2:DescribeInstances'],
        resources: ['*'],
      }),
    );
    this.acceptedWildcards.push({
      resource: '*',
      reason:
        'ssm:GetCommandInvocation, ListCommandInvocations and ec2:DescribeInstances have no resource-level permissions; they only read command results and instance states.',
    });
  }

  private providerArn(role: EnvironmentDeployAccess): string {
    const choice = role.githubOidcProvider;
    if (choice === 'create') {
      return new iam.OidcProviderNative(this, 'GitHubOidc', { url: GITHUB_OIDC_URL, clientIds: ['sts.amazonaws.com'] })
        .oidcProviderArn;
    }
    if (choice === 'existing') return `arn:${this.partition}:iam::${this.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
    if (!/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(choice.arn)) {
      throw new Error(`not a GitHub OIDC provider ARN: ${choice.arn}`);
    }
    return choice.arn;
  }
}
