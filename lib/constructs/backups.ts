/**
 * Two layers of backup. Primary: the daily logical dump (written by the bot's backup command on
 * the instance) in an S3 bucket that is encrypted, versioned, TLS-only, private and expires old
 * dumps. Secondary: an AWS Backup daily snapshot of the instance (its volume holds MongoDB's
 * journaled files, so the snapshot is crash-consistent), with a cross-region copy where configured.
 */
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_backup as backup,
  aws_ec2 as ec2,
  aws_events as events,
  aws_iam as iam,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DUMP_PREFIX } from '../../app/contracts/host';

export interface BackupsProps {
  readonly environment: string;
  readonly snapshotRetentionDays: number;
  readonly dumpRetentionDays: number;
  /** ARN of a vault in another region that receives a copy of each snapshot. */
  readonly copyVaultArn?: string;
  /**
   * Keep the bucket and vault when the stack is deleted or they would be replaced (prod). A
   * failed first create still deletes them (RetainExceptOnCreate), so a retry starts clean.
   */
  readonly retain: boolean;
  /** Unique per account: AWS Backup plan names are, and both environments may share one. */
  readonly planName: string;
}

export class Backups extends Construct {
  readonly dumpBucket: s3.Bucket;
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
    this.dumpBucket = new s3.Bucket(this, 'DumpBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules: [
        {
          id: 'expire-dumps',
          prefix: DUMP_PREFIX,
          expiration: Duration.days(props.dumpRetentionDays),
          noncurrentVersionExpiration: Duration.days(props.dumpRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.vault = new backup.BackupVault(this, 'Vault', { removalPolicy });
    const copyActions: backup.BackupPlanCopyActionProps[] =
      props.copyVaultArn !== undefined
        ? [
            {
              destinationBackupVault: backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyVaultArn),
              deleteAfter: Duration.days(props.snapshotRetentionDays),
            },
          ]
        : [];
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.planName,
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily-snapshot',
          // 19:00 UTC = 04:00 in Japan, the quietest hour for a Japanese community.
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '19' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: Duration.days(props.snapshotRetentionDays),
          copyActions,
        }),
      ],
    });
  }

  /** Daily snapshots of the instance (an AMI with every attached EBS volume, the data volume included). */
  protect(instance: ec2.Instance): void {
    this.plan.addSelection('Host', { resources: [backup.BackupResource.fromEc2Instance(instance)] });
  }

  /** The host may write and read dumps under its prefix and list that prefix; nothing else. */
  grantDumpAccess(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DumpObjects',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.dumpBucket.arnForObjects(`${DUMP_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListDumps',
        actions: ['s3:ListBucket'],
        resources: [this.dumpBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${DUMP_PREFIX}*`] } },
      }),
    );
  }
}

/** Name of the vault that receives prod's cross-region copies (its own small stack). */
export function copyVaultName(environment: string): string {
  return `gacha-bot-${environment}-copy`;
}

export function copyVaultArn(scope: Construct, region: string, environment: string): string {
  return Stack.of(scope).formatArn({
    service: 'backup',
    region,
    resource: 'backup-vault',
    resourceName: copyVaultName(environment),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
