/** Bot configuration from the environment, validated at start-up with clear errors. */
import { z } from 'zod';

const configSchema = z.object({
  DISCORD_TOKEN: z.string().min(50, 'DISCORD_TOKEN is missing or too short to be a bot token'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://'),
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
});

export type BotConfig = z.infer<typeof configSchema>;

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
  return parsed.data;
}
