import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEPLOY_ACCESS } from '../../lib/config/deploy-access';
import { buildApp } from './synth-fixture';

function template(operatorEnv: NodeJS.ProcessEnv = {}): Template {
  return Template.fromStack(buildApp({ operatorEnv }).built.deployAccess);
}

describe('CI/CD deploy access (OIDC bootstrap stack)', () => {
  const t = template();

  it("registers GitHub's OIDC provider for STS", () => {
    t.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it("trusts only this repository's staging and prod deploy environments, never a branch wildcard", () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: DEPLOY_ACCESS.roleName,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': [
                  `repo:${DEPLOY_ACCESS.repository}:environment:staging`,
                  `repo:${DEPLOY_ACCESS.repository}:environment:prod`,
                ],
              },
            },
          }),
        ],
      },
    });
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toMatch(/StringLike/);
    expect(json).not.toMatch(/repo:[^"]*\*/);
  });

  it('follows DEPLOY_GITHUB_REPOSITORY and rejects malformed names', () => {
    expect(JSON.stringify(template({ DEPLOY_GITHUB_REPOSITORY: 'acme/gacha' }).toJSON())).toContain(
      'repo:acme/gacha:environment:prod',
    );
    expect(() => template({ DEPLOY_GITHUB_REPOSITORY: 'acme/*' })).toThrow(/owner\/name/);
  });

  it('may only assume the CDK bootstrap roles, read bot stacks and run bot documents on bot instances', () => {
    const policies = t.findResources('AWS::IAM::Policy') as Record<
      string,
      {
        Properties: {
          PolicyDocument: { Statement: { Sid: string; Action: string | string[]; Condition?: unknown }[] };
        };
      }
    >;
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect([...new Set(actions)]).toEqual([
      'cloudformation:DescribeStacks',
      'ssm:GetCommandInvocation',
      'ssm:ListCommandInvocations',
      'ssm:SendCommand',
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
    const instanceStatement = statements.find((s) => s.Sid === 'RunReleaseDocumentsOnBotInstance');
    expect(instanceStatement?.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/app': 'gacha-bot' } });
    const json = JSON.stringify(statements);
    expect(json).toContain('cdk-hnb659fds-deploy-role-');
    expect(json).toContain(':document/GachaBot-*');
    expect(json).not.toContain('AdministratorAccess');
  });
});
