import type { Template } from 'aws-cdk-lib/assertions';
import { templateFor } from './synth-fixture';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

function hostStatements(t: Template): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: { Ref: string }[] } }
  >;
  const host = Object.values(policies).find((p) => p.Properties.Roles.some((r) => r.Ref.startsWith('HostRole')));
  if (!host) throw new Error('no host role policy');
  return host.Properties.PolicyDocument.Statement;
}

function bySid(statements: Statement[], sid: string): Statement {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const json = (value: unknown): string => JSON.stringify(value);

describe('host role (least privilege)', () => {
  for (const env of ['staging', 'prod'] as const) {
    describe(env, () => {
      const statements = hostStatements(templateFor(env));

      it('reads SSM parameters under its own environment path only', () => {
        const s = bySid(statements, 'ReadOwnParameters');
        expect(actions(s).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
        expect(json(s.Resource)).toContain(`:parameter/gacha-bot/${env}/*`);
        const other = env === 'prod' ? 'staging' : 'prod';
        expect(json(statements)).not.toContain(`/gacha-bot/${other}/`);
      });

      it('reaches S3 only under the dump prefix of its own bucket and the exact release object', () => {
        const dumps = bySid(statements, 'DumpObjects');
        expect(actions(dumps).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
        expect(json(dumps.Resource)).toMatch(/BackupsDumpBucket.*\/dumps\/\*/);
        const list = bySid(statements, 'ListDumps');
        expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['dumps/*'] } });
        const release = bySid(statements, 'ReadReleaseBundle');
        expect(actions(release)).toEqual(['s3:GetObject']);
        expect(json(release.Resource)).toMatch(/\/[0-9a-f]{64}\.zip"/);
      });

      it('publishes metrics only to the bot and agent namespaces and writes only its log groups', () => {
        const metrics = bySid(statements, 'PublishMetrics');
        expect(metrics.Condition).toEqual({
          StringEquals: { 'cloudwatch:namespace': ['GachaBot', 'CWAgent'] },
        });
        const logs = bySid(statements, 'ShipLogs');
        expect(json(logs.Resource)).not.toContain('"*"');
        expect((logs.Resource as unknown[]).length).toBe(5);
      });

      it('has no wildcard action and no unconditioned wildcard resource', () => {
        for (const s of statements) {
          for (const action of actions(s)) expect(action).not.toMatch(/\*/);
          if (s.Resource === '*') expect(s.Condition).toBeDefined();
        }
      });
    });
  }
});
