import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { copyVaultName } from '../../lib/constructs/backups';
import { buildApp, onlyResource, stackNamed, templateFor } from './synth-fixture';

describe('backups', () => {
  it('keeps dumps in an encrypted, versioned, private, TLS-only bucket that expires them', () => {
    for (const env of ['staging', 'prod'] as const) {
      const t = templateFor(env);
      const days = ENVIRONMENTS[env].dumpRetentionDays;
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              Prefix: 'dumps/',
              ExpirationInDays: days,
              NoncurrentVersionExpiration: { NoncurrentDays: days },
              Status: 'Enabled',
            }),
          ],
        },
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('snapshots the instance daily with per-environment retention; only prod copies cross-region', () => {
    const staging = onlyResource(templateFor('staging'), 'AWS::Backup::BackupPlan').properties;
    const prod = onlyResource(templateFor('prod'), 'AWS::Backup::BackupPlan').properties;
    const rule = (p: Record<string, unknown>) =>
      (p.BackupPlan as { BackupPlanRule: Record<string, unknown>[] }).BackupPlanRule[0] ?? {};
    expect(rule(staging).ScheduleExpression).toBe('cron(0 19 * * ? *)');
    expect(rule(staging).Lifecycle).toEqual({ DeleteAfterDays: ENVIRONMENTS.staging.snapshotRetentionDays });
    expect(rule(prod).Lifecycle).toEqual({ DeleteAfterDays: ENVIRONMENTS.prod.snapshotRetentionDays });
    expect(rule(staging).CopyActions).toEqual([]);
    const copies = rule(prod).CopyActions as { DestinationBackupVaultArn: unknown }[];
    expect(copies).toHaveLength(1);
    expect(JSON.stringify(copies[0]?.DestinationBackupVaultArn)).toContain(
      `:backup:${ENVIRONMENTS.prod.backupCopyRegion ?? ''}:`,
    );
    expect(JSON.stringify(copies[0]?.DestinationBackupVaultArn)).toContain(`backup-vault:${copyVaultName('prod')}`);
    const selection = onlyResource(templateFor('prod'), 'AWS::Backup::BackupSelection').properties;
    expect(JSON.stringify(selection)).toMatch(/:instance\/",\{"Ref":"HostInstance/);
  });

  it('creates the copy vault in its own regional stack, deployed before prod', () => {
    const { built } = buildApp();
    expect(built.copyStacks).toHaveLength(1);
    const copy = built.copyStacks[0];
    if (!copy) throw new Error('no copy stack');
    expect(copy.region).toBe(ENVIRONMENTS.prod.backupCopyRegion);
    Template.fromStack(copy).hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: copyVaultName('prod'),
    });
    expect(stackNamed(built, 'prod').dependencies).toContain(copy);
  });

  it('retains prod data stores on stack deletion (not after a failed first create); staging cleans up', () => {
    templateFor('prod').hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate' });
    templateFor('prod').hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'RetainExceptOnCreate' });
    templateFor('staging').hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });
});

describe('notifications', () => {
  it("lets this environment's CloudWatch alarms and the owner publish to the topic, never without TLS", () => {
    for (const env of ['staging', 'prod'] as const) {
      const t = templateFor(env);
      const topic = onlyResource(t, 'AWS::SNS::Topic');
      expect(topic.properties.KmsMasterKeyId).toBeUndefined();
      const policy = onlyResource(t, 'AWS::SNS::TopicPolicy').properties as {
        PolicyDocument: { Statement: Record<string, unknown>[] };
        Topics: unknown[];
      };
      expect(policy.Topics).toEqual([{ Ref: topic.id }]);
      const statements = policy.PolicyDocument.Statement;
      const deny = statements.filter((s) => s.Effect === 'Deny');
      expect(deny).toEqual([
        expect.objectContaining({
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Principal: '*',
          Action: 'sns:Publish',
        }),
      ]);
      const cloudwatch = statements.find((s) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'));
      expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topic.id } });
      const conditions = cloudwatch?.Condition as Record<string, Record<string, unknown>>;
      expect(conditions.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      const sourceArn = JSON.stringify(conditions.ArnLike?.['aws:SourceArn']);
      expect(sourceArn).toContain(`:alarm:gacha-bot-${env}-*`);
      expect(sourceArn).toContain(':cloudwatch:');
      const owner = statements.find((s) => JSON.stringify(s.Principal).includes(':root'));
      expect(owner).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
      // Every alarm of the stack is covered by the CloudWatch statement's name pattern.
      const alarms = t.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: { AlarmName: string } }>;
      for (const a of Object.values(alarms)) expect(a.Properties.AlarmName.startsWith(`gacha-bot-${env}-`)).toBe(true);
    }
  });

  it('subscribes the operator e-mail when configured', () => {
    const t = templateFor('staging');
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    const { built } = buildApp({ operatorEnv: { ALARM_EMAIL_STAGING: 'ops@example.com' } });
    Template.fromStack(stackNamed(built, 'staging')).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(() => buildApp({ operatorEnv: { ALARM_EMAIL: 'not-an-address' } })).toThrow(/not an address/);
  });

  it('posts to Discord from prod through a Lambda that may read only the webhook parameter', () => {
    const prod = templateFor('prod');
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { WEBHOOK_PARAMETER: '/gacha-bot/prod/alarm-webhook-url' } },
    });
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    prod.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ssm:GetParameter',
            Resource: { 'Fn::Join': ['', Match.arrayWith([':parameter/gacha-bot/prod/alarm-webhook-url'])] },
          }),
        ]),
      },
    });
    templateFor('staging').resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('sends events the webhook Lambda could not deliver to a dead-letter queue after two retries', () => {
    const prod = templateFor('prod');
    const queue = onlyResource(prod, 'AWS::SQS::Queue');
    expect(queue.properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    prod.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue.id, 'Arn'] } } },
    });
    prod.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30 });
  });
});
