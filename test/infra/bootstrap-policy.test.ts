import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type PolicyDocument, bootstrapExecutionPolicy } from '../../scripts/lib/bootstrap-policy';
import type { CfnTemplate } from '../../scripts/lib/cost-model';
import { buildApp } from './synth-fixture';

const glob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

describe('cdk bootstrap execution policy (scoped, instead of AdministratorAccess)', () => {
  const { built } = buildApp();
  const templates = [...built.stacks, ...built.copyStacks, ...built.deployAccess].map(
    (s) => Template.fromStack(s).toJSON() as CfnTemplate,
  );
  const policy = bootstrapExecutionPolicy(templates, '123456789012');

  it('covers every resource type of every stack and fails on an unknown one', () => {
    expect(policy.Statement.length).toBeGreaterThan(0);
    expect(() => bootstrapExecutionPolicy([{ Resources: { X: { Type: 'AWS::RDS::DBInstance' } } }])).toThrow(
      /no execution-policy rule for AWS::RDS::DBInstance/,
    );
  });

  it('grants no "*" action and no IAM or SSM on every resource', () => {
    for (const s of policy.Statement) {
      expect(s.Action).not.toContain('*');
      if (s.Resource.includes('*')) {
        for (const action of s.Action) expect(action).not.toMatch(/^iam:/);
        expect(s.Action).not.toContain('ssm:*');
        for (const action of s.Action) expect(action).not.toMatch(/^ssm:(\*|Get|Put|Delete)/);
      }
    }
  });

  it("lets CloudFormation manage exactly the app's named IAM and SSM resources", () => {
    const iam = policy.Statement.find((s) => s.Sid === 'OwnRolesProfilesAndGithubProvider');
    const ssm = policy.Statement.find((s) => s.Sid === 'OwnDocumentsAssociationsAndAgentConfig');
    const covered = (resources: string[] | undefined, arn: string) => (resources ?? []).some((r) => glob(r, arn));
    for (const t of templates) {
      for (const r of Object.values(t.Resources)) {
        const props = (r as { Properties?: Record<string, unknown> }).Properties ?? {};
        if (r.Type === 'AWS::IAM::Role' && typeof props.RoleName === 'string') {
          expect(covered(iam?.Resource, `arn:aws:iam::123456789012:role/${props.RoleName}`)).toBe(true);
        }
        if (r.Type === 'AWS::SSM::Document') {
          expect(covered(ssm?.Resource, `arn:aws:ssm:us-east-1:123456789012:document/${String(props.Name)}`)).toBe(
            true,
          );
        }
        if (r.Type === 'AWS::SSM::Parameter') {
          expect(covered(ssm?.Resource, `arn:aws:ssm:us-east-1:123456789012:parameter/${String(props.Name)}`)).toBe(
            true,
          );
        }
      }
    }
    // Generated role names start with the stack name (GachaBot-<env>-…).
    expect(covered(iam?.Resource, 'arn:aws:iam::123456789012:role/GachaBot-prod-HostRole3A2B-1A2B3C4D5E6F')).toBe(true);
    expect(covered(iam?.Resource, 'arn:aws:iam::123456789012:role/Admin')).toBe(false);
  });

  it('is written by npm run bootstrap:policy', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'policy.json');
    execFileSync(
      'npx',
      ['--no-install', 'tsx', 'scripts/bootstrap-policy.ts', '--account', '123456789012', '--out', out],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        stdio: 'pipe',
      },
    );
    const written = JSON.parse(readFileSync(out, 'utf8')) as PolicyDocument;
    expect(written).toEqual(policy);
  }, 120_000);
});
