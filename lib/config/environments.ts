/**
 * Typed per-environment settings for the CDK app.
 *
 * **One AWS account per environment** (recommended): set `account` (and `region`) on each
 * environment below. The stacks are then pinned to that account, the synth stays offline (no
 * context lookups), and no staging credential can touch prod. Left unset, an environment deploys
 * to the account and region of the CLI's credentials (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`);
 * both environments may then share one account, and their instances are still kept apart by IAM
 * (each reads only its own `/gacha-bot/<env>/` parameters).
 */
import { aws_logs as logs } from 'aws-cdk-lib';
import type { HostTuning } from '../constructs/release/host-files';

export type EnvironmentName = 'staging' | 'prod';

/**
 * Where MongoDB runs: `local` = mongod on the instance with its own data volume (one instance);
 * `external` = a MongoDB URI (Atlas or a replica set) in the SecureString
 * `/gacha-bot/<env>/mongodb-uri` (app/contracts/host.ts): no mongod and no data volume on the
 * instances, which may then be several, each owning a range of the gateway shards.
 */
export type DatabaseMode = 'local' | 'external';

/** The instance sizes the memory budgets are written for (hostTuning). */
export type InstanceSize = 't3.micro' | 't3.small' | 't3.medium';

/** Every alarm threshold, per environment (lib/constructs/alarms.ts reads nothing else). */
export interface AlarmThresholds {
  /** Average CPU (percent, 5-minute periods) held for 15 minutes. */
  readonly cpuPercent: number;
  /**
   * CPU credits left (t3 standard mode). At zero the instance is throttled to its 10 % baseline
   * and the CPU alarm can never fire, so this alarm watches the credits themselves.
   */
  readonly minCpuCreditBalance: number;
  /** Memory and root/data disk use (percent) held for 5 minutes. */
  readonly memoryPercent: number;
  readonly diskPercent: number;
  /** Hours without a successful backup. */
  readonly backupMaxAgeHours: number;
  /** Minutes without a bot heartbeat (the bot is down or cannot publish). */
  readonly heartbeatMissingMinutes: number;
  /** Failed runs of the alarm → Discord webhook Lambda per 5 minutes. */
  readonly notifierErrorsPer5Min: number;
  /** Bot errors (all kinds) per 5 minutes that raise the alarm. */
  readonly errorsPer5Min: number;
  /** Discord REST 429 answers per 5 minutes. */
  readonly rest429Per5Min: number;
  /** Lowest rate-limit headroom (percent) tolerated for 3 consecutive minutes. */
  readonly minRateLimitHeadroomPercent: number;
  /** Invalid requests (401/403/429) per 10 minutes; Discord bans the IP at 10,000. */
  readonly invalidRequestsPer10Min: number;
  /**
   * Seconds the history/read-model projections may lag the ledger (worst of each minute) for 5
   * minutes; undefined = no alarm (staging: no players, and each alarm costs 0.10 USD/month).
   */
  readonly projectionLagSeconds?: number;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Stack name as the operator deploys it: `cdk deploy GachaBot-prod`. */
  readonly stackName: string;
  readonly vpcCidr: string;
  /** CIDR allowed to reach SSH; undefined means no SSH at all (administration via SSM Session Manager). */
  readonly sshCidr?: string;
  /** EC2 instance type; the product is sized for t3.micro, t3.small/medium are the growth steps. */
  readonly instanceType: InstanceSize;
  /** `local` (mongod on the instance, as the product started) or `external` (URI in SSM). */
  readonly database: DatabaseMode;
  /** Bot instances (each one process); more than one only with `database: 'external'`. */
  readonly instanceCount: number;
  /**
   * Discord gateway shards in total (SHARD_COUNT on every instance); instance i owns the i-th
   * contiguous range (shardRanges). 1 = no sharding, the bot's default.
   */
  readonly shardCount: number;
  /** AWS account of this environment (12 digits); undefined = the CLI credentials' account. */
  readonly account?: string;
  /** Region of this environment; undefined = the CLI's region. */
  readonly region?: string;
  /**
   * Root volume (gp3, encrypted) in GiB: OS, packages, releases, logs. Changing it REPLACES the
   * instance (CloudFormation cannot resize an instance's block device mapping); `npm run deploy`
   * refuses that. The data lives on the data volume.
   */
  readonly rootVolumeGiB: number;
  /**
   * MongoDB's own EBS volume (gp3, encrypted, retained) in GiB. Growing it is an in-place EBS
   * modification (no replacement, no downtime); shrinking is refused by EC2.
   */
  readonly dataVolumeGiB: number;
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
  /**
   * Stop the instance on this schedule (EventBridge Scheduler; staging only): the pipeline starts
   * it before a deploy and stops it after the smoke check, `npm run staging:start`/`stop` around a
   * test window; the schedule stops what was left running. Undefined = always on.
   */
  readonly stopSchedule?: { readonly expression: string; readonly timezone: string };
  /**
   * The operator's weekly and monthly digest (lib/constructs/operator-digest.ts) in these
   * languages; undefined = no digest (staging, stopped most of the time, has none).
   */
  readonly digestLanguages?: readonly ('ja' | 'en')[];
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

/** RAM of each instance size in MiB (EC2's published figures). */
export const INSTANCE_MEMORY_MIB: Readonly<Record<InstanceSize, number>> = {
  't3.micro': 1_024,
  't3.small': 2_048,
  't3.medium': 4_096,
};

/**
 * The memory budget of a host, from its size and where MongoDB runs. t3.micro with local mongod is
 * the measured budget above. The others follow the same rule on their RAM: the OS and the
 * CloudWatch agent keep ~150 MB; with local mongod its WiredTiger cache takes about a quarter of
 * the RAM (MongoDB's default is half of RAM − 1 GB, too much beside the bot) and ~100 MB more
 * resident; the bot slot's MemoryMax takes about a third of what is left for it (two slots overlap
 * during a release, and the 1 GiB swap file absorbs that peak), MemoryHigh is 80 % of it and the V8
 * old space 60 % (the rest is young generation, code and native buffers, measured ~70–130 MB).
 * Without mongod (`external`) the bot gets the room mongod had. mongoCacheGb is unused then
 * (mongod is not installed; mongod.conf is rendered but never read).
 */
export function hostTuning(size: InstanceSize, database: DatabaseMode): HostTuning {
  if (size === 't3.micro' && database === 'local') return T3_MICRO_TUNING;
  const ram = INSTANCE_MEMORY_MIB[size];
  const mongoCacheGb = database === 'local' ? Math.round((ram / 4 / 1024) * 4) / 4 : 0.25;
  const mongoResident = database === 'local' ? mongoCacheGb * 1024 + 100 : 0;
  const forBot = ram - 150 - mongoResident;
  const botMemoryMaxMb = Math.floor(forBot / 2 / 10) * 10;
  return {
    mongoCacheGb,
    botHeapMb: Math.floor((botMemoryMaxMb * 0.6) / 16) * 16,
    botSemiSpaceMb: 2,
    botMemoryHighMb: Math.floor((botMemoryMaxMb * 0.8) / 10) * 10,
    botMemoryMaxMb,
  };
}

/**
 * The shard ids each instance owns (SHARD_IDS), in contiguous ranges as even as possible:
 * 4 shards on 2 instances → ['0-1', '2-3']. One instance owning every shard → [`0-${n - 1}`].
 */
export function shardRanges(shardCount: number, instanceCount: number): string[] {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error(`shardCount must be ≥ 1, got ${shardCount}`);
  if (!Number.isInteger(instanceCount) || instanceCount < 1)
    throw new Error(`instanceCount must be ≥ 1, got ${instanceCount}`);
  if (instanceCount > shardCount)
    throw new Error(`${instanceCount} instances need at least as many shards (shardCount ${shardCount})`);
  const ranges: string[] = [];
  let next = 0;
  for (let i = 0; i < instanceCount; i++) {
    const size = Math.floor(shardCount / instanceCount) + (i < shardCount % instanceCount ? 1 : 0);
    const last = next + size - 1;
    ranges.push(size === 1 ? `${next}` : `${next}-${last}`);
    next = last + 1;
  }
  return ranges;
}

/** Refuses settings that cannot work together (called for every environment the app builds). */
export function validateEnvironment(config: EnvironmentConfig): void {
  if (config.database === 'local' && config.instanceCount !== 1) {
    throw new Error(
      `${config.name}: instanceCount ${config.instanceCount} needs database 'external' (a local mongod lives on one instance)`,
    );
  }
  shardRanges(config.shardCount, config.instanceCount);
}

const DEFAULT_ALARMS: AlarmThresholds = {
  cpuPercent: 80,
  // A t3.micro earns 12 credits/hour and holds at most 288; 30 is ~2.5 hours of earning.
  minCpuCreditBalance: 30,
  memoryPercent: 80,
  diskPercent: 80,
  backupMaxAgeHours: 26,
  heartbeatMissingMinutes: 3,
  notifierErrorsPer5Min: 1,
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
    database: 'local',
    instanceCount: 1,
    shardCount: 1,
    rootVolumeGiB: 8,
    dataVolumeGiB: 2,
    discordAlarmWebhook: false,
    logRetentionDays: logs.RetentionDays.TWO_WEEKS,
    // Staging's data is test data; the daily dump in S3 is its restore path.
    snapshotRetentionDays: 1,
    dumpRetentionDays: 14,
    alarms: DEFAULT_ALARMS,
    dashboard: false,
    // Every evening (a forgotten test window never runs through the night).
    stopSchedule: { expression: 'cron(0 21 * * ? *)', timezone: 'Asia/Tokyo' },
    tuning: T3_MICRO_TUNING,
  },
  prod: {
    name: 'prod',
    stackName: 'GachaBot-prod',
    vpcCidr: '10.41.0.0/24',
    instanceType: 't3.micro',
    database: 'local',
    instanceCount: 1,
    shardCount: 1,
    rootVolumeGiB: 8,
    dataVolumeGiB: 4,
    discordAlarmWebhook: true,
    logRetentionDays: logs.RetentionDays.THREE_MONTHS,
    // A week of daily snapshots here and in the copy region; the daily dump (90 days) is the primary restore path.
    snapshotRetentionDays: 7,
    dumpRetentionDays: 90,
    backupCopyRegion: 'ap-northeast-3',
    alarms: { ...DEFAULT_ALARMS, projectionLagSeconds: 120 },
    // Off: 3 USD/month without a free tier (prod's target is 16). Logs Insights queries are saved instead.
    dashboard: false,
    digestLanguages: ['ja', 'en'],
    tuning: T3_MICRO_TUNING,
  },
};

/**
 * The roadmap's third phase as an example, NEVER deployed by bin/ (tests synthesize it): prod's
 * settings grown to two t3.small instances with the database on Atlas (M10) or another replica
 * set, four gateway shards (0-1 on the first instance, 2-3 on the second). To grow prod, copy
 * these fields into ENVIRONMENTS.prod after the migration (README "Growing beyond one t3.micro").
 */
export const GROWTH_EXAMPLE: EnvironmentConfig = {
  ...ENVIRONMENTS.prod,
  stackName: 'GachaBot-prod-growth',
  instanceType: 't3.small',
  database: 'external',
  instanceCount: 2,
  shardCount: 4,
  tuning: hostTuning('t3.small', 'external'),
};

/** The CDK environment of a stack: the configured account/region, else the CLI's, else env-agnostic. */
export function stackEnvironment(
  config: Pick<EnvironmentConfig, 'account' | 'region'>,
  defaults: { readonly account?: string; readonly region?: string } = {},
): { account: string; region: string } | undefined {
  const account = config.account ?? nonEmpty(defaults.account);
  const region = config.region ?? nonEmpty(defaults.region);
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new Error(`account must be 12 digits, got ${account}`);
  return account !== undefined && region !== undefined ? { account, region } : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The operator sets the alarm address per deployment: `ALARM_EMAIL_PROD=ops@example.com`. */
export function withOperatorSettings(config: EnvironmentConfig, env: NodeJS.ProcessEnv): EnvironmentConfig {
  const email = env[`ALARM_EMAIL_${config.name.toUpperCase()}`] ?? env.ALARM_EMAIL;
  if (email === undefined || email === '') return config;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`alarm e-mail is not an address: ${email}`);
  return { ...config, alarmEmail: email };
}
