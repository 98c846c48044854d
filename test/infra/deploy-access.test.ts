import { Template } from 'aws-cdk-lib/assertions';
import { DEPLOY_ACCESS, type DeployAccessConfig } from '../../lib/config/deploy-access';
import type { DeployAccessStack } from '../../lib/stacks/deploy-access-stack';
import { buildApp } from './synth-fixture';

function accessStacks(operatorEnv: NodeJS.ProcessEnv = {}, deployAccess?: DeployAccessConfig) {
  const { built } = buildApp({ operatorEnv, ...(deployAccess ? { deployAccess } : {}) });
  const byEnv = (env: 'staging' | 'prod'): DeployAccessStack => {
    const stack = built.deployAccess.find((s) => s.stackName === `GachaBot-${env}-deploy-access`);
    if (!stack) throw new Error(`no deploy-access stack for ${env}`);
    return stack;
  };
  return { staging: byEnv('staging'), prod: byEnv('prod') };
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(t: Template): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: Statement[] } } }
  >;
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function trust(t: Template): Statement {
  const roles = t.findResources('AWS::IAM::Role') as Record<
    string,
    { Properties: { AssumeRolePolicyDocument: { Statement: Statement[] } } }
  >;
  const all = Object.values(roles).flatMap((r) => r.Properties.AssumeRolePolicyDocument.Statement);
  expect(all).toHaveLength(1);
  return all[0] as Statement;
}

describe('CI/CD deploy access: one OIDC role per environment', () => {
  const stacks = accessStacks();
  const staging = Template.fromStack(stacks.staging);
  const prod = Template.fromStack(stacks.prod);

  it("prod's role trusts only the prod GitHub environment, staging's only staging (no wildcard, no branch)", () => {
    for (const [t, env] of [
      [staging, 'staging'],
      [prod, 'prod'],
    ] as const) {
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: DEPLOY_ACCESS.environments[env].roleName,
        MaxSessionDuration: 3600,
      });
      const statement = trust(t);
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${DEPLOY_ACCESS.repository}:environment:${env}`,
        },
      });
      const json = JSON.stringify(t.toJSON());
      expect(json).not.toMatch(/StringLike/);
      expect(json).not.toMatch(/repo:[^"]*\*/);
    }
    expect(JSON.stringify(prod.toJSON())).not.toContain('environment:staging');
    prod.hasOutput('DeployRoleArn', {
      Value: { 'Fn::GetAtt': [Object.keys(prod.findResources('AWS::IAM::Role'))[0], 'Arn'] },
    });
    expect(JSON.stringify(staging.toJSON())).not.toContain('environment:prod');
  });

  it("creates GitHub's OIDC provider once and reuses it in a shared account (deployed after its creator)", () => {
    staging.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    prod.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(JSON.stringify(trust(prod))).toContain(':oidc-provider/token.actions.githubusercontent.com');
    expect(stacks.prod.dependencies).toContain(stacks.staging);
  });

  it('reuses a given provider ARN and rejects anything that is not a GitHub OIDC provider', () => {
    const arn = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
    const custom: DeployAccessConfig = {
      ...DEPLOY_ACCESS,
      environments: {
        staging: { ...DEPLOY_ACCESS.environments.staging, githubOidcProvider: { arn } },
        prod: { ...DEPLOY_ACCESS.environments.prod, githubOidcProvider: 'create' },
      },
    };
    const reused = accessStacks({}, custom);
    const t = Template.fromStack(reused.staging);
    t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(JSON.stringify(trust(t))).toContain(arn);
    Template.fromStack(reused.prod).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    const bad: DeployAccessConfig = {
      ...DEPLOY_ACCESS,
      environments: {
        ...DEPLOY_ACCESS.environments,
        staging: { ...DEPLOY_ACCESS.environments.staging, githubOidcProvider: { arn: 'arn:aws:iam::1:role/x' } },
      },
    };
    expect(() => accessStacks({}, bad)).toThrow(/not a GitHub OIDC provider ARN/);
  });

  it('follows DEPLOY_GITHUB_REPOSITORY and rejects malformed names', () => {
    const t = Template.fromStack(accessStacks({ DEPLOY_GITHUB_REPOSITORY: 'acme/gacha' }).prod);
    expect(JSON.stringify(trust(t))).toContain('repo:acme/gacha:environment:prod');
    expect(() => accessStacks({ DEPLOY_GITHUB_REPOSITORY: 'acme/*' })).toThrow(/owner\/name/);
  });

  it("may only assume its regions' CDK deploy/publishing roles, inspect its own stacks and run its own documents", () => {
    const s = statements(prod);
    const actions = [...new Set(s.flatMap((x) => (Array.isArray(x.Action) ? x.Action : [x.Action])))].sort();
    expect(actions).toEqual([
      'cloudformation:DeleteChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:DescribeStacks',
      'cloudformation:ListChangeSets',
      'ec2:DescribeInstances',
      'ec2:StartInstances',
      'ec2:StopInstances',
      'ssm:GetCommandInvocation',
      'ssm:ListCommandInvocations',
      'ssm:SendCommand',
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
    const json = JSON.stringify(s);
    // Prod deploys its backup-copy vault in a second region: that region's bootstrap roles too.
    expect(json).toContain('cdk-hnb659fds-deploy-role-');
    expect(json).toContain('-ap-northeast-3"');
    expect(json).not.toContain('lookup-role');
    expect(json).not.toMatch(/role-[^"]*-\*"/);
    expect(json).toContain('stack/GachaBot-prod/*');
    expect(json).toContain('stack/GachaBot-prod-backup-copy/*');
    expect(json).toContain(':changeSet/gacha-deploy-*/*');
    expect(json).not.toContain('GachaBot-staging');
    expect(json).toContain(':document/GachaBot-prod-Health');
    expect(json).toContain(':document/GachaBot-prod-Rollback');
    expect(json).not.toContain('document/GachaBot-*');
    const onInstances = s.find((x) => x.Sid === 'RunDocumentsOnOwnInstance');
    expect(onInstances?.Condition).toEqual({
      StringEquals: { 'ssm:resourceTag/app': 'gacha-bot', 'ssm:resourceTag/environment': 'prod' },
    });
    // npm run staging:start / stop: only instances tagged with this environment.
    expect(s.find((x) => x.Sid === 'StartStopOwnInstance')?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/app': 'gacha-bot', 'aws:ResourceTag/environment': 'prod' },
    });
    expect(json).not.toContain('AdministratorAccess');
    expect(JSON.stringify(statements(staging))).not.toContain('GachaBot-prod');
  });
});
