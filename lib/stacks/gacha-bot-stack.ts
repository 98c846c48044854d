/** One environment of the bot. Composes constructs; each construct owns one concern. */
import { CfnOutput, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DATA_VOLUME, GROWTH_HOST_ENV, SECRET_NAMES, secretParameterName } from '../../app/contracts/host';
import { type EnvironmentConfig, shardRanges, validateEnvironment } from '../config/environments';
import { Backups, copyVaultArn } from '../constructs/backups';
import { Host } from '../constructs/host';
import { Monitoring } from '../constructs/monitoring';
import { Network } from '../constructs/network';
import { Notifications } from '../constructs/notifications';
import { OperatorDigest } from '../constructs/operator-digest';
import { OsPatching } from '../constructs/os-patching';
import { Release } from '../constructs/release';
import { StopSchedule } from '../constructs/stop-schedule';

export interface GachaBotStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** Directory with the esbuild bundle of the bot (`npm run bundle` → dist/bot). */
  readonly bundleDir: string;
  /** `npm run cost`'s monthly estimate of this stack (lib/gacha-bot-app.ts computes it at synth). */
  readonly costEstimateUsd?: number;
}

export class GachaBotStack extends Stack {
  readonly network: Network;
  readonly notifications: Notifications;
  readonly host: Host;
  readonly backups: Backups;
  readonly monitoring: Monitoring;
  readonly release: Release;
  readonly osPatching: OsPatching;
  readonly stopSchedule?: StopSchedule;
  readonly digest?: OperatorDigest;

  constructor(scope: Construct, id: string, props: GachaBotStackProps) {
    // Stack termination protection stays off: it would make a failed first create impossible to
    // clean up with a plain second `cdk deploy` (the data volume and the deploy guard protect data).
    super(scope, id, { ...props, terminationProtection: false });
    const config = props.config;
    validateEnvironment(config);
    const retain = config.name === 'prod';
    Tags.of(this).add('app', 'gacha-bot');
    Tags.of(this).add('environment', config.name);
    const logRetention = config.logRetentionDays;

    this.network = new Network(this, 'Network', {
      cidr: config.vpcCidr,
      ...(config.sshCidr !== undefined ? { sshCidr: config.sshCidr } : {}),
    });
    this.notifications = new Notifications(this, 'Notifications', {
      environment: config.name,
      ...(config.alarmEmail !== undefined ? { email: config.alarmEmail } : {}),
      discordWebhook: config.discordAlarmWebhook,
      logRetention,
    });
    this.host = new Host(this, 'Host', {
      environment: config.name,
      vpc: this.network.vpc,
      securityGroup: this.network.hostSecurityGroup,
      instanceType: config.instanceType,
      rootVolumeGiB: config.rootVolumeGiB,
      dataVolumeGiB: config.dataVolumeGiB,
      database: config.database,
      instanceCount: config.instanceCount,
    });
    this.backups = new Backups(this, 'Backups', {
      environment: config.name,
      planName: `${this.stackName}-daily`,
      snapshotRetentionDays: config.snapshotRetentionDays,
      dumpRetentionDays: config.dumpRetentionDays,
      retain,
      ...(config.backupCopyRegion !== undefined
        ? { copyVaultArn: copyVaultArn(this, config.backupCopyRegion, config.name) }
        : {}),
    });
    this.backups.protect(this.host.instance);
    this.backups.grantDumpAccess(this.host.role);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      environment: config.name,
      instance: this.host.instance,
      instances: this.host.instances,
      shardRanges: shardRanges(config.shardCount, config.instanceCount),
      hostRole: this.host.role,
      topic: this.notifications.topic,
      logRetention,
      retainLogs: retain,
      thresholds: config.alarms,
      dashboard: config.dashboard,
      stoppedOnSchedule: config.stopSchedule !== undefined,
      ...(this.notifications.webhookFunction !== undefined ? { notifier: this.notifications.webhookFunction } : {}),
    });
    this.release = new Release(this, 'Release', {
      environment: config.name,
      instance: this.host.instance,
      instances: this.host.instances,
      hostRole: this.host.role,
      bundleDir: props.bundleDir,
      tuning: config.tuning,
      agentConfigParameterName: this.monitoring.logs.agentConfigParameter.parameterName,
      dumpBucketName: this.backups.dumpBucket.bucketName,
      extraHostEnv: this.hostEnv(config),
    });
    // The host set-up mounts the data volume before mongod starts: it must be attached first.
    if (this.host.dataVolumeAttachment) this.release.association.node.addDependency(this.host.dataVolumeAttachment);
    // Weekly OS updates by SSM Patch Manager, draining and resuming the bot with the release tool
    // the release association installs.
    this.osPatching = new OsPatching(this, 'OsPatching', {
      instances: this.host.instances,
      hostRole: this.host.role,
    });
    this.osPatching.association.node.addDependency(this.release.association);

    if (config.stopSchedule !== undefined) {
      this.stopSchedule = new StopSchedule(this, 'StopSchedule', {
        instance: this.host.instance,
        ...config.stopSchedule,
      });
    }

    if (config.digestLanguages !== undefined) {
      const groups = this.monitoring.logs.logGroups;
      this.digest = new OperatorDigest(this, 'OperatorDigest', {
        environment: config.name,
        instanceId: this.host.instance.instanceId,
        instanceIds: this.host.instances.map((i) => i.instanceId),
        logGroups: { access: groups.access, error: groups.error, app: groups.app },
        topic: this.notifications.topic,
        languages: config.digestLanguages,
        ...(config.discordAlarmWebhook
          ? { webhookParameter: secretParameterName(config.name, SECRET_NAMES.alarmWebhookUrl) }
          : {}),
        logRetention,
        ...(props.costEstimateUsd !== undefined ? { costEstimateUsd: props.costEstimateUsd } : {}),
      });
    }

    // What the operator and the deploy pipeline need (names, not secrets).
    const outputs: Record<string, string> = {
      InstanceId: this.host.instance.instanceId,
      ...(this.host.dataVolume ? { DataVolumeId: this.host.dataVolume.volumeId } : {}),
      ...Object.fromEntries(this.host.instances.slice(1).map((i, n) => [`InstanceId${n + 2}`, i.instanceId])),
      ReleaseDocument: this.release.releaseDocument.ref,
      RollbackDocument: this.release.rollbackDocument.ref,
      HealthDocument: this.release.healthDocument.ref,
      PatchAssociationId: this.osPatching.association.attrAssociationId,
      DumpBucket: this.backups.dumpBucket.bucketName,
      AlarmTopic: this.notifications.topic.topicArn,
      AppLogGroup: this.monitoring.logs.logGroups.app.logGroupName,
      ErrorLogGroup: this.monitoring.logs.logGroups.error.logGroupName,
      BackupLogGroup: this.monitoring.logs.logGroups.backup.logGroupName,
    };
    for (const [key, value] of Object.entries(outputs)) new CfnOutput(this, key, { value });
  }

  /**
   * host.env lines beyond the common ones: the data volume of a local database; with an external
   * one its mode, the gateway plan (each instance's shard range by its instance id) and the one
   * instance that runs the daily dump. A single local host with one shard gets exactly the lines
   * it always had.
   */
  private hostEnv(config: EnvironmentConfig): string[] {
    const lines: string[] = [];
    if (this.host.dataVolume) lines.push(`${DATA_VOLUME.hostEnvVariable}=${this.host.dataVolume.volumeId}`);
    if (config.database === 'external') lines.push(`${GROWTH_HOST_ENV.databaseMode}=external`);
    if (config.shardCount > 1 || config.instanceCount > 1) {
      const ranges = shardRanges(config.shardCount, config.instanceCount);
      const byInstance = this.host.instances.map((instance, i) => `${instance.instanceId}:${ranges[i] ?? ''}`);
      lines.push(`${GROWTH_HOST_ENV.shardCount}=${config.shardCount}`);
      lines.push(`${GROWTH_HOST_ENV.shardRanges}=${byInstance.join(',')}`);
    }
    if (config.instanceCount > 1) lines.push(`${GROWTH_HOST_ENV.backupInstance}=${this.host.instance.instanceId}`);
    return lines;
  }

  /**
   * Two availability zones without a context lookup, also when the stack is pinned to an
   * account/region (the default would ask the CLI to look them up with credentials).
   */
  override get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
