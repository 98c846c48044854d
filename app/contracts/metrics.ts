/**
 * The metric contract between the bot and the infrastructure: namespace, names, units and
 * dimensions are defined here once; the bot publishes them and the CDK alarms import them.
 */
export const METRICS_NAMESPACE = 'GachaBot';

/** Every metric carries the environment; per-command metrics also carry the command. */
export const DIMENSION_ENVIRONMENT = 'Environment';
export const DIMENSION_COMMAND = 'Command';
export const DIMENSION_KIND = 'Kind';

export type MetricUnit = 'Milliseconds' | 'Seconds' | 'Count' | 'Percent' | 'None';

export interface MetricDefinition {
  readonly name: string;
  readonly unit: MetricUnit;
  /** Extra dimension beyond Environment, if any. */
  readonly dimension?: typeof DIMENSION_COMMAND | typeof DIMENSION_KIND;
  readonly description: string;
}

export const METRICS = {
  commandLatency: {
    name: 'CommandLatency',
    unit: 'Milliseconds',
    dimension: DIMENSION_COMMAND,
    description:
      'Time from receiving an interaction to answering it, per command. Its SampleCount is the number of interactions per command (no separate count metric: each metric costs 0.30 USD/month).',
  },
  errors: {
    name: 'Errors',
    unit: 'Count',
    dimension: DIMENSION_KIND,
    description: 'Failures by kind (command, recovery, metrics-dropped…); rejected player input is not an error.',
  },
  errorsTotal: {
    name: 'ErrorsTotal',
    unit: 'Count',
    description: 'All failures of any kind (what the error alarm watches).',
  },
  pulls: { name: 'Pulls', unit: 'Count', description: 'Items drawn (a 10-pull counts 10).' },
  rest429: { name: 'DiscordRest429', unit: 'Count', description: 'HTTP 429 answers from Discord REST.' },
  rateLimitHeadroom: {
    name: 'DiscordRateLimitHeadroom',
    unit: 'Percent',
    description: 'Lowest remaining/limit seen across Discord REST buckets in the period (100 = untouched).',
  },
  globalRateLimitHits: {
    name: 'DiscordGlobalRateLimitHits',
    unit: 'Count',
    description: 'Global rate limits hit (429 with the global flag).',
  },
  invalidRequests: {
    name: 'DiscordInvalidRequests',
    unit: 'Count',
    description: '401/403/429 answers; Discord bans an IP at 10,000 per 10 minutes.',
  },
  gatewayLatency: {
    name: 'GatewayHeartbeatLatency',
    unit: 'Milliseconds',
    description: 'Gateway heartbeat round trip.',
  },
  gatewayReconnects: { name: 'GatewayReconnects', unit: 'Count', description: 'Gateway reconnects and resumes.' },
  databaseLatency: {
    name: 'DatabaseLatency',
    unit: 'Milliseconds',
    description: 'Duration of committed player changes (pull, daily, spark…), exactly-once write included.',
  },
  projectionLag: {
    name: 'ProjectionLag',
    unit: 'Seconds',
    description:
      'Age of the oldest committed change whose history and read model are not yet written (0 = caught up), sampled every 5 s; its Maximum is the worst lag of the period.',
  },
  backupSucceeded: {
    name: 'BackupSucceeded',
    unit: 'Count',
    description: 'Published by the daily backup: 1 when a verified dump reached S3.',
  },
  backupFailed: {
    name: 'BackupFailed',
    unit: 'Count',
    description: 'Published by the daily backup: 1 when the dump or its upload failed.',
  },
  backupAge: {
    name: 'BackupAgeHours',
    unit: 'None',
    description: 'Hours since the last good backup, published by every backup run.',
  },
  heartbeat: {
    name: 'Heartbeat',
    unit: 'Count',
    description: 'Emitted once per period while the bot runs; missing data means the bot is down.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** Seconds per aggregation and publishing period. */
export const METRICS_PERIOD_SECONDS = 60;
