/** Typed per-environment settings for the CDK app. Account and region come from the CDK environment. */
import { aws_logs as logs } from 'aws-cdk-lib';
import type { HostTuning } from '../constructs/release/host-files';

export type EnvironmentName = 'staging' | 'prod';

export interface AlarmThresholds {
  /** Bot errors (all kinds) per 5 minutes that raise the alarm. */
  readonly errorsPer5Min: number;
  /** Discord REST 429 answers per 5 minutes. */
  readonly rest429Per5Min: number;
  /** Lowest rate-limit headroom (percent) tolerated for 3 consecutive minutes. */
  readonly minRateLimitHeadroomPercent: number;
  /** Invalid requests (401/403/429) per 10 minutes; Discord bans the IP at 10,000. */
  readonly invalidRequestsPer10Min: number;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Stack name as the operator deploys it: `cdk deploy GachaBot-prod`. */
  readonly stackName: string;
  readonly vpcCidr: string;
  /** CIDR allowed to reach SSH; undefined means no SSH at all (administration via SSM Session Manager). */
  readonly sshCidr?: string;
  /** EC2 instance type; the product is sized for t3.micro. */
  readonly instanceType: string;
  /** Root volume (gp3, encrypted) in GiB. */
  readonly rootVolumeGiB: number;
  /** Protects the instance (and its MongoDB data) from an accidental terminate. */
  readonly terminationProtection: boolean;
  /** Alarm notifications by e-mail (SNS subscription, confirmed by the recipient). */
  readonly alarmEmail?: string;
  /** Also post alarm state changes to a Discord webhook (URL read from SSM at run time). */
  readonly discordAlarmWebhook: boolean;
  readonly logRetentionDays: logs.RetentionDays;
  /** Days AWS Backup keeps the daily instance snapshot. */
  readonly snapshotRetentionDays: number;
  /** Days the logical dumps stay in S3 (noncurrent versions expire after the same time). */
  readonly dumpRetentionDays: number;
  /** Region that receives a copy of each snapshot (prod only); undefined = no copy. */
  readonly backupCopyRegion?: string;
  readonly alarms: AlarmThresholds;
  /** A CloudWatch dashboard costs 3 USD/month beyond the account's first three. */
  readonly dashboard: boolean;
  readonly tuning: HostTuning;
}

/**
 * Memory budget of a t3.micro (1 GiB, plus a 1 GiB swap file): mongod's WiredTiger cache 256 MB
 * (~350 MB resident), the active bot slot ≤ 300 MB (two slots overlap only during a release),
 * the OS and the CloudWatch agent ~150 MB.
 */
const T3_MICRO_TUNING: HostTuning = {
  mongoCacheGb: 0.25,
  botHeapMb: 192,
  botSemiSpaceMb: 2,
  botMemoryHighMb: 260,
  botMemoryMaxMb: 320,
};

const DEFAULT_ALARMS: AlarmThresholds = {
  errorsPer5Min: 5,
  rest429Per5Min: 20,
  minRateLimitHeadroomPercent: 10,
  invalidRequestsPer10Min: 1_000,
};

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  staging: {
    name: 'staging',
    stackName: 'GachaBot-staging',
    vpcCidr: '10.40.0.0/24',
    instanceType: 't3.micro',
    rootVolumeGiB: 8,
    terminationProtection: false,
    discordAlarmWebhook: false,
    logRetentionDays: logs.RetentionDays.TWO_WEEKS,
    snapshotRetentionDays: 7,
    dumpRetentionDays: 14,
    alarms: DEFAULT_ALARMS,
    dashboard: false,
    tuning: T3_MICRO_TUNING,
  },
  prod: {
    name: 'prod',
    stackName: 'GachaBot-prod',
    vpcCidr: '10.41.0.0/24',
    instanceType: 't3.micro',
    rootVolumeGiB: 8,
    terminationProtection: true,
    discordAlarmWebhook: true,
    logRetentionDays: logs.RetentionDays.THREE_MONTHS,
    snapshotRetentionDays: 35,
    dumpRetentionDays: 90,
    backupCopyRegion: 'ap-northeast-3',
    alarms: DEFAULT_ALARMS,
    dashboard: true,
    tuning: T3_MICRO_TUNING,
  },
};

/** The operator sets the alarm address per deployment: `ALARM_EMAIL_PROD=ops@example.com`. */
export function withOperatorSettings(config: EnvironmentConfig, env: NodeJS.ProcessEnv): EnvironmentConfig {
  const email = env[`ALARM_EMAIL_${config.name.toUpperCase()}`] ?? env.ALARM_EMAIL;
  if (email === undefined || email === '') return config;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`alarm e-mail is not an address: ${email}`);
  return { ...config, alarmEmail: email };
}
