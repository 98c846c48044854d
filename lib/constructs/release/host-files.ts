/**
 * The files the release document installs on the instance, rendered from `files/` with the values
 * of the host contract (paths, ports, users, secret names), so the scripts cannot drift from the
 * bot or the CDK constructs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DATABASE,
  DATA_VOLUME,
  EBS_BY_ID_PREFIX,
  EXTERNAL_DATABASE_URI_SECRET,
  HOST_PATHS,
  SECRET_NAMES,
} from '../../../app/contracts/host';

export interface HostFile {
  /** Absolute path on the instance. */
  readonly path: string;
  readonly mode: '0644' | '0755';
  readonly content: string;
}

export interface HostTuning {
  /** WiredTiger cache in GB (mongod). */
  readonly mongoCacheGb: number;
  /** V8 old-space limit of the bot in MB. */
  readonly botHeapMb: number;
  /**
   * V8 young-generation semi-space limit of the bot in MB. Node's default (16) lets the young
   * generation take tens of MB that RSS never gives back; 2 kept the bot ~25 MiB smaller under the
   * load benchmark, for 10–30 % more bot CPU at 100 interactions/s (docs/benchmarks.md).
   */
  readonly botSemiSpaceMb: number;
  /** systemd MemoryHigh / MemoryMax of one bot slot, in MB. */
  readonly botMemoryHighMb: number;
  readonly botMemoryMaxMb: number;
}

export type HostPaths = { readonly [K in keyof typeof HOST_PATHS]: string };

/**
 * systemd units (and drop-ins for packages' units) the host set-up installs under
 * /etc/systemd/system, by their path there. They ship in the config directory first; `.ci/run`
 * renders them the same way and runs `systemd-analyze verify` and `security` on them.
 */
export const SYSTEMD_UNITS = [
  'gacha-bot@.service',
  'gacha-bot-backup.service',
  'gacha-bot-backup.timer',
  'mongod.service.d/40-gacha-data-volume.conf',
  'mongod.service.d/50-gacha-hardening.conf',
] as const;
export type SystemdUnitPath = (typeof SYSTEMD_UNITS)[number];

/** The source file of a unit under `files/` (drop-ins are named after their unit). */
function unitSource(unit: SystemdUnitPath): string {
  return unit.replace(/^([^/]+)\.d\/\d+-gacha-(.+)$/, '$1-$2');
}

function unitFiles(): { source: string; target: (p: HostPaths) => string; mode: HostFile['mode'] }[] {
  return SYSTEMD_UNITS.map((unit) => ({
    source: unitSource(unit),
    target: (p: HostPaths) => `${p.configDir}/units/${unit}`,
    mode: '0644' as const,
  }));
}

/**
 * The operating system's own locations the set-up writes (systemd, /etc, the swap file). Only
 * tests move them, by rendering with a sandbox `root`; on the instance the prefix is empty.
 */
export interface SystemRoot {
  readonly root: string;
}

const FILES: readonly { source: string; target: (p: HostPaths) => string; mode: HostFile['mode'] }[] = [
  { source: 'gacha-bot-host-setup.sh', target: () => '/usr/local/sbin/gacha-bot-host-setup', mode: '0755' },
  { source: 'gacha-bot-release.sh', target: () => '/usr/local/sbin/gacha-bot-release', mode: '0755' },
  { source: 'gacha-bot-env.sh', target: () => '/usr/local/sbin/gacha-bot-env', mode: '0755' },
  { source: 'ensure-users.js', target: (p) => `${p.configDir}/ensure-users.js`, mode: '0644' },
  { source: 'mongod.conf', target: (p) => `${p.configDir}/mongod.conf`, mode: '0644' },
  { source: 'logrotate.conf', target: (p) => `${p.configDir}/logrotate.conf`, mode: '0644' },
  ...unitFiles(),
];

export function placeholderValues(
  tuning: HostTuning,
  paths: HostPaths = HOST_PATHS,
  system: SystemRoot = { root: '' },
): Record<string, string> {
  return {
    SYSROOT: system.root,
    SYSTEMD_UNITS: SYSTEMD_UNITS.join(' '),
    MONGO_DB_PATH: DATA_VOLUME.mountPoint,
    DATA_DEVICE_NAME: DATA_VOLUME.deviceName,
    DATA_FS_TYPE: DATA_VOLUME.fsType,
    DATA_FS_LABEL: DATA_VOLUME.label,
    EBS_BY_ID_PREFIX,
    ROOT: paths.root,
    RELEASES: paths.releases,
    SLOTS: paths.slots,
    LOG_DIR: paths.logDir,
    CONFIG_DIR: paths.configDir,
    RUNTIME_DIR: paths.runtimeDir,
    BACKUP_STATE_DIR: paths.backupStateDir,
    MONGOD_LOG: paths.mongodLog,
    DB_HOST: DATABASE.host,
    DB_PORT: String(DATABASE.port),
    DB_NAME: DATABASE.name,
    DB_ADMIN_USER: DATABASE.adminUser,
    DB_BOT_USER: DATABASE.botUser,
    DB_BACKUP_USER: DATABASE.backupUser,
    SECRET_TOKEN: SECRET_NAMES.discordToken,
    SECRET_ADMIN: SECRET_NAMES.mongodbAdminPassword,
    SECRET_BOT: SECRET_NAMES.mongodbBotPassword,
    SECRET_BACKUP: SECRET_NAMES.mongodbBackupPassword,
    SECRET_MONGODB_URI: EXTERNAL_DATABASE_URI_SECRET,
    SECRET_SEED_KEY: SECRET_NAMES.fairnessSeedKey,
    MONGO_CACHE_GB: String(tuning.mongoCacheGb),
    BOT_NODE_FLAGS: botNodeFlags(tuning).join(' '),
    BOT_MALLOC_ENV: Object.entries(BOT_MALLOC_ENV)
      .map(([name, value]) => `${name}=${value}`)
      .join(' '),
    BOT_MEMORY_HIGH: `${tuning.botMemoryHighMb}M`,
    BOT_MEMORY_MAX: `${tuning.botMemoryMaxMb}M`,
  };
}

/** The V8 flags the bot runs with on the instance (the load benchmark uses the same). */
export function botNodeFlags(tuning: HostTuning): string[] {
  return [`--max-old-space-size=${tuning.botHeapMb}`, `--max-semi-space-size=${tuning.botSemiSpaceMb}`];
}

/**
 * glibc malloc settings of the bot process (read once at start, so they are set by the unit).
 * The pull-image renderer (@napi-rs/canvas) allocates pixel and JPEG buffers of 140 KB to 1.6 MB
 * per render, partly on libuv's threads: with glibc's defaults each thread gets its own arena and
 * the mmap threshold rises to the largest freed block, so those buffers come from the arenas and
 * their freed memory stays in RSS. Two arenas and a fixed 64 KiB mmap threshold hand large buffers
 * back to the kernel when freed: measured with scripts/render-rss.ts, 1,600 renders with 50 art
 * images grew RSS by 47.7 MiB with only MALLOC_ARENA_MAX=2 and by 17.7 MiB with all three
 * (docs/benchmarks.md, "Pull images").
 */
export const BOT_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '65536',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

export function renderTemplate(text: string, values: Readonly<Record<string, string>>, name: string): string {
  return text.replace(/@@([A-Z0-9_]+)@@/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}: unknown placeholder @@${key}@@`);
    return value;
  });
}

export function renderHostFiles(
  tuning: HostTuning,
  paths: HostPaths = HOST_PATHS,
  system: SystemRoot = { root: '' },
): HostFile[] {
  const values = placeholderValues(tuning, paths, system);
  return FILES.map((file) => ({
    path: file.target(paths),
    mode: file.mode,
    content: renderTemplate(readFileSync(path.join(__dirname, 'files', file.source), 'utf8'), values, file.source),
  }));
}
