/**
 * The contract between the bot and the host the infrastructure builds: SSM parameter paths, file
 * locations, health ports and S3 prefixes. Defined once; the bot, the backup command, the host
 * scripts' generator and the CDK constructs all import it.
 */

/** Every environment's parameters live under `/gacha-bot/<env>/`. */
export const SSM_ROOT = '/gacha-bot';

/** SecureString parameters the operator writes with `npm run secrets:put` (CloudFormation cannot). */
export const SECRET_NAMES = {
  discordToken: 'discord-token',
  mongodbAdminPassword: 'mongodb-admin-password',
  mongodbBotPassword: 'mongodb-bot-password',
  mongodbBackupPassword: 'mongodb-backup-password',
  alarmWebhookUrl: 'alarm-webhook-url',
  /** `database: 'external'` only: the whole connection string (EXTERNAL_DATABASE_URI_SECRET). */
  mongodbUri: 'mongodb-uri',
  /**
   * Seals the fairness server seeds at rest (AES-256-GCM key, 32 bytes base64; the bot's
   * GACHA_FAIRNESS_SEED_KEY). Written once with `--generate`: replacing it would leave every
   * unrevealed seed unopenable, so `secrets:put` refuses to overwrite it.
   */
  fairnessSeedKey: 'fairness-seed-key',
} as const;

export type SecretKey = keyof typeof SECRET_NAMES;
export type SecretName = (typeof SECRET_NAMES)[SecretKey];

/** Secrets without which the host cannot start the bot (the webhook URL is optional). */
export const REQUIRED_SECRETS: readonly SecretName[] = [
  SECRET_NAMES.discordToken,
  SECRET_NAMES.mongodbAdminPassword,
  SECRET_NAMES.mongodbBotPassword,
  SECRET_NAMES.mongodbBackupPassword,
  SECRET_NAMES.fairnessSeedKey,
];

export function ssmPrefix(environment: string): string {
  assertEnvironmentName(environment);
  return `${SSM_ROOT}/${environment}/`;
}

export function secretParameterName(environment: string, secret: SecretName): string {
  return `${ssmPrefix(environment)}${secret}`;
}

/** CloudWatchAgentServerPolicy-style name for the agent's configuration parameter. */
export function agentConfigParameterName(environment: string): string {
  assertEnvironmentName(environment);
  return `AmazonCloudWatch-gacha-bot-${environment}`;
}

export function assertEnvironmentName(environment: string): void {
  if (!/^[a-z0-9-]{1,20}$/.test(environment)) {
    throw new Error(`invalid environment name: ${JSON.stringify(environment)}`);
  }
}

/** MongoDB on the instance: database and users the host creates. */
export const DATABASE = {
  name: 'gacha',
  host: '127.0.0.1',
  port: 27_017,
  adminUser: 'gacha-admin',
  botUser: 'gacha-bot',
  backupUser: 'gacha-backup',
} as const;

/** Where things live on the instance. */
export const HOST_PATHS = {
  root: '/opt/gacha-bot',
  releases: '/opt/gacha-bot/releases',
  slots: '/opt/gacha-bot/slots',
  logDir: '/var/log/gacha-bot',
  configDir: '/etc/gacha-bot',
  runtimeDir: '/run/gacha-bot',
  backupStateDir: '/var/lib/gacha-bot-backup',
  mongodLog: '/var/log/mongodb/mongod.log',
} as const;

/** Log files the bot (and the backup command) write under LOG_DIR and the agent ships. */
export const LOG_FILES = {
  app: 'app.log',
  error: 'error.log',
  access: 'access.log',
  backup: 'backup.log',
} as const;

export type LogFileKey = keyof typeof LOG_FILES;

/**
 * Two systemd slots (`gacha-bot@blue`, `gacha-bot@green`) let a release start the new process
 * before the old one drains; each slot has its own loopback health port.
 */
export const RELEASE_SLOTS = { blue: 8_081, green: 8_082 } as const;
export type ReleaseSlot = keyof typeof RELEASE_SLOTS;

/** S3 key prefix for logical database dumps in the environment's backup bucket. */
export const DUMP_PREFIX = 'dumps/';

/** Name of a dump object: `dumps/2026/11/29/gacha-20261129T031500Z.archive.gz`. */
export function dumpKey(database: string, at: Date): string {
  const iso = at.toISOString();
  const stamp = iso.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${DUMP_PREFIX}${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${database}-${stamp}.gbdump.gz`;
}

/**
 * MongoDB's data lives on its own EBS volume, not the root volume, so the instance can be
 * replaced or its root disk rebuilt without touching player data, and the data disk can grow in
 * place. The CDK attaches the volume as `deviceName` (on Nitro instances AL2023's udev rules link
 * it to the NVMe device, also reachable as /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<id
 * without the dash>); the release document passes its id to the host as `DATA_VOLUME_ID` in
 * host.env. The host set-up formats it once (only if it carries no filesystem), mounts it at
 * `mountPoint` (mongod's dbPath, so mongod.conf is unchanged) by filesystem label with `nofail`,
 * before mongod starts, and grows the filesystem when the volume grew (`xfs_growfs`).
 */
export const DATA_VOLUME = {
  deviceName: '/dev/sdf',
  mountPoint: '/var/lib/mongo',
  fsType: 'xfs',
  label: 'gacha-data',
  hostEnvVariable: 'DATA_VOLUME_ID',
} as const;

/**
 * The stable device path of an attached EBS volume on a Nitro instance (what AL2023's udev rules
 * create): `vol-0123abcd` → `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123abcd`.
 */
export const EBS_BY_ID_PREFIX = '/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_';

export function ebsDevicePath(volumeId: string): string {
  if (!/^vol-[0-9a-f]{8,17}$/.test(volumeId)) throw new Error(`not an EBS volume id: ${JSON.stringify(volumeId)}`);
  return `${EBS_BY_ID_PREFIX}${volumeId.replace('-', '')}`;
}

/**
 * Growth path (`database: external`): the MongoDB connection string (Atlas `mongodb+srv://…` or a
 * replica set `mongodb://…?replicaSet=…`, credentials included) is one SecureString the operator
 * writes with `npm run secrets:put`; the host passes it to the bot as MONGODB_URI instead of
 * building a local URI from the bot user's password. The three mongod passwords are then unused.
 */
export const EXTERNAL_DATABASE_URI_SECRET = SECRET_NAMES.mongodbUri;

export function externalDatabaseUriParameterName(environment: string): string {
  return `${ssmPrefix(environment)}${EXTERNAL_DATABASE_URI_SECRET}`;
}

/** Where the environment's MongoDB runs (lib/config/environments.ts `database`). */
export type DatabaseLocation = 'local' | 'external';

/**
 * The secrets a host cannot start the bot without: with `external`, the Discord token and the
 * MongoDB URI (no mongod, so none of its passwords).
 */
export function requiredSecrets(database: DatabaseLocation): readonly string[] {
  return database === 'local'
    ? REQUIRED_SECRETS
    : [SECRET_NAMES.discordToken, EXTERNAL_DATABASE_URI_SECRET, SECRET_NAMES.fairnessSeedKey];
}

/**
 * host.env variables of the growth path, written only when they differ from the single local
 * host: `DATABASE_MODE=external`; the gateway plan `SHARD_COUNT` and `SHARD_RANGES`
 * (`<instance id>:<shard ids>` per instance, comma-separated; each host's env script picks its own
 * by its instance id from IMDSv2); `BACKUP_INSTANCE`, the one instance whose timer runs the daily
 * dump of the shared database.
 */
export const GROWTH_HOST_ENV = {
  databaseMode: 'DATABASE_MODE',
  shardCount: 'SHARD_COUNT',
  shardRanges: 'SHARD_RANGES',
  backupInstance: 'BACKUP_INSTANCE',
} as const;

/**
 * Bot environment variables for gateway sharding that the host writes per instance: the bot's
 * shard count (the same on every instance) and the shard ids this instance's process owns.
 */
export const BOT_SHARDING_ENV = {
  shardCount: 'SHARD_COUNT',
  shardIds: 'SHARD_IDS',
  mongodbProfile: 'MONGODB_PROFILE',
} as const;
