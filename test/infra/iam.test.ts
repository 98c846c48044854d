import type { Template } from 'aws-cdk-lib/assertions';
import { REQUIRED_SECRETS, SECRET_NAMES, agentConfigParameterName } from '../../app/contracts/host';
import { PARAMETER_READ_ACTIONS } from '../../lib/constructs/host';
import { templateFor } from './synth-fixture';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, unknown>;
}

/** Renders a template ARN (Fn::Join of pseudo parameters) for one account/region. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    if ('Fn::Join' in value) {
      const [sep, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Ref' in value) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': 'us-east-1',
        'AWS::AccountId': '123456789012',
      };
      return pseudo[value.Ref as string] ?? `<${String(value.Ref)}>`;
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const glob = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(arn);

/**
 * Whether the host may read a parameter, as IAM decides it: AmazonSSMManagedInstanceCore allows
 * ssm:GetParameter on *, so only an explicit Deny in the host's own policy can stop it.
 */
function hostMayRead(statements: Statement[], parameter: string): boolean {
  const arn = `arn:aws:ssm:us-east-1:123456789012:parameter${parameter}`;
  const denied = statements.some((s) => {
    if (s.Effect !== 'Deny' || !actions(s).includes('ssm:GetParameter')) return false;
    if (s.NotResource !== undefined) return !list(s.NotResource).some((r) => glob(render(r), arn));
    return list(s.Resource).some((r) => glob(render(r), arn));
  });
  return !denied;
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

      it('is granted exactly its own secrets', () => {
        const s = bySid(statements, 'ReadOwnSecrets');
        expect(actions(s).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
        expect(list(s.Resource).map(render).sort()).toEqual(
          REQUIRED_SECRETS.map((n) => `arn:aws:ssm:us-east-1:123456789012:parameter/gacha-bot/${env}/${n}`).sort(),
        );
        const other = env === 'prod' ? 'staging' : 'prod';
        expect(json(statements)).not.toContain(`/gacha-bot/${other}/`);
      });

      it("cannot read another environment's parameters despite AmazonSSMManagedInstanceCore (explicit Deny)", () => {
        const other = env === 'prod' ? 'staging' : 'prod';
        for (const name of Object.values(SECRET_NAMES)) {
          expect(hostMayRead(statements, `/gacha-bot/${other}/${name}`)).toBe(false);
        }
        expect(hostMayRead(statements, '/gacha-bot/shared-anything')).toBe(false);
        expect(hostMayRead(statements, '/some/other/app/secret')).toBe(false);
        expect(hostMayRead(statements, `/gacha-bot/${env}/${SECRET_NAMES.discordToken}`)).toBe(true);
        expect(hostMayRead(statements, `/gacha-bot/${env}/${SECRET_NAMES.fairnessSeedKey}`)).toBe(true);
        expect(hostMayRead(statements, `/${agentConfigParameterName(env)}`)).toBe(true);
        const deny = bySid(statements, 'DenyOtherParameters');
        expect(actions(deny).sort()).toEqual([...PARAMETER_READ_ACTIONS].sort());
      });

      it('has no KMS permission of its own (SecureStrings decrypt through SSM only, for what it may read)', () => {
        for (const s of statements) for (const action of actions(s)) expect(action).not.toMatch(/^kms:/);
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
        for (const s of statements.filter((x) => x.Effect === 'Allow')) {
          for (const action of actions(s)) expect(action).not.toMatch(/\*/);
          if (s.Resource === '*') expect(s.Condition).toBeDefined();
        }
      });
    });
  }
});
