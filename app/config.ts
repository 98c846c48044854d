/** Bot configuration from the environment, validated at start-up with clear errors. */
import { z } from 'zod';

const configSchema = z.object({
  DISCORD_TOKEN: z.string().min(50, 'DISCORD_TOKEN is missing or too short to be a bot token'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://'),
  /** Seals the fairness server seeds at rest: 32 bytes, base64 (SSM SecureString `fairness-seed-key`). */
  GACHA_FAIRNESS_SEED_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32,
      'GACHA_FAIRNESS_SEED_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
    ),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default('gacha'),
  /** REST base URL; the gateway URL comes from GET /gateway/bot, so this alone redirects the bot. */
  DISCORD_API_BASE: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  METRICS_ENABLED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Without CloudWatch: write each period's metrics to the app log instead (local runs, drills). */
  METRICS_LOG: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Aggregation period; CloudWatch alarms assume the default 60 s. */
  METRICS_PERIOD_SECONDS: z.coerce.number().int().min(1).max(300).default(60),
  GACHA_ENV: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/)
    .default('local'),
  /** Directory for app.log, error.log and access.log; unset = JSON lines on stdout. */
  LOG_DIR: z.string().startsWith('/', 'LOG_DIR must be an absolute path').optional(),
  /** Loopback port of /healthz and /readyz (0 picks a free one). */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(8_081),
  /** Gateway shards of the whole bot: a number, or `auto` (Discord's recommendation from GET /gateway/bot). */
  SHARD_COUNT: z
    .string()
    .regex(/^(auto|[1-9][0-9]{0,3})$/, 'SHARD_COUNT must be `auto` or a whole number from 1 to 9999')
    .optional(),
  /** Shards this process owns: ids and ranges, e.g. `0,1` or `0-1` or `0-3,8`; unset = all of them. */
  SHARD_IDS: z
    .string()
    .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'SHARD_IDS must list shard ids or ranges, e.g. `0,1` or `0-3`')
    .optional(),
  /**
   * MongoDB driver profile: `standalone` (the local mongod, driver defaults), `replica-set` (Atlas or a
   * replica set: retryable writes, majority write concern, secondary reads for stale-tolerant
   * queries), or `auto` (replica-set when the URI is `mongodb+srv://` or names `replicaSet=`).
   */
  MONGODB_PROFILE: z.enum(['auto', 'standalone', 'replica-set']).default('auto'),
});

/** The gateway shards a process runs: the bot's shard count and the ids this process owns. */
export interface ShardPlan {
  readonly count: number | 'auto';
  /** `all`: every shard of `count` (the only choice with `auto`). */
  readonly ids: readonly number[] | 'all';
}

export type BotConfig = z.infer<typeof configSchema> & { readonly sharding: ShardPlan };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // Only names and messages: never echo values, which may be secrets.
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { ...parsed.data, sharding: shardPlan(parsed.data.SHARD_COUNT, parsed.data.SHARD_IDS) };
}

/** Reads SHARD_COUNT and SHARD_IDS together; unset = one shard (0 of 1), as before sharding. */
export function shardPlan(countText: string | undefined, idsText: string | undefined): ShardPlan {
  if (countText === undefined && idsText === undefined) return { count: 1, ids: [0] };
  if (countText === undefined) throw new ConfigError('Invalid configuration:\n  SHARD_IDS needs SHARD_COUNT');
  if (countText === 'auto') {
    if (idsText !== undefined) {
      // Processes sharing the bot must agree on the count, and Discord's recommendation can change
      // between their starts: a process that owns part of the shards needs a fixed count.
      throw new ConfigError('Invalid configuration:\n  SHARD_IDS needs a numeric SHARD_COUNT (not auto)');
    }
    return { count: 'auto', ids: 'all' };
  }
  const count = Number(countText);
  if (idsText === undefined) return { count, ids: 'all' };
  const ids: number[] = [];
  for (const part of idsText.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (from === undefined || to === undefined || to < from) {
      throw new ConfigError(`Invalid configuration:\n  SHARD_IDS: range ${part} runs backwards`);
    }
    if (to >= count) {
      throw new ConfigError(
        `Invalid configuration:\n  SHARD_IDS: shard ${to} does not exist with SHARD_COUNT=${count}`,
      );
    }
    for (let id = from; id <= to; id += 1) {
      if (ids.includes(id)) throw new ConfigError(`Invalid configuration:\n  SHARD_IDS: shard ${id} is listed twice`);
      ids.push(id);
    }
  }
  return { count, ids: ids.sort((a, b) => a - b) };
}
