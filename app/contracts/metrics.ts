/**
 * The metric contract between the bot and the infrastructure: namespace, names, units and
 * dimensions are defined here once; the bot publishes them and the CDK alarms import them.
 */
export const METRICS_NAMESPACE = 'GachaBot';

/** Every metric carries the environment; errors also carry their kind. */
export const DIMENSION_ENVIRONMENT = 'Environment';
export const DIMENSION_KIND = 'Kind';

export type MetricUnit = 'Milliseconds' | 'Seconds' | 'Count' | 'Percent' | 'None';

/**
 * Where a metric goes. Every CloudWatch series costs 0.30 USD a month (billed per hour it gets
 * data), so CloudWatch gets only what an alarm or a percentile needs; the bot's log gets every
 * metric of every period (one `metrics period` line), where the weekly digest and Logs Insights
 * read the rest.
 * - `always`: every period that has data;
 * - `nonZero`: only periods whose maximum is above 0 (missing data = 0);
 * - `below`: only periods whose minimum is below `publishBelow` (missing data = at or above it);
 * - `log`: the log line only.
 */
export type MetricPublishing = 'always' | 'nonZero' | 'below' | 'log';

export interface MetricDefinition {
  readonly name: string;
  readonly unit: MetricUnit;
  /** Extra dimension beyond Environment, if any. */
  readonly dimension?: typeof DIMENSION_KIND;
  readonly publish: MetricPublishing;
  /** With `below`: the threshold under which a period is published. */
  readonly publishBelow?: number;
  /** Sent as a histogram (values and counts), so CloudWatch can answer percentiles (p50, p99). */
  readonly percentiles?: true;
  readonly description: string;
}

export const METRICS = {
  commandLatency: {
    name: 'CommandLatency',
    unit: 'Milliseconds',
    publish: 'always',
    percentiles: true,
    description:
      'Time from receiving an interaction to answering it, all commands in one series (p50/p99 from its histogram); its SampleCount is the number of interactions. Per command: the access log (Logs Insights).',
  },
  errors: {
    name: 'Errors',
    unit: 'Count',
    publish: 'always',
    dimension: DIMENSION_KIND,
    description: 'Failures by kind (command, recovery, metrics-dropped…); rejected player input is not an error.',
  },
  errorsTotal: {
    name: 'ErrorsTotal',
    unit: 'Count',
    publish: 'always',
    description: 'All failures of any kind (what the error alarm watches).',
  },
  pulls: { name: 'Pulls', unit: 'Count', publish: 'log', description: 'Items drawn (a 10-pull counts 10).' },
  rest429: {
    name: 'DiscordRest429',
    unit: 'Count',
    publish: 'always',
    description: 'HTTP 429 answers from Discord REST.',
  },
  rateLimitHeadroom: {
    name: 'DiscordRateLimitHeadroom',
    unit: 'Percent',
    publish: 'below',
    publishBelow: 50,
    description:
      'Lowest remaining/limit seen across Discord REST buckets in the period (100 = untouched); in CloudWatch only below 50 (the alarm fires below 10).',
  },
  globalRateLimitHits: {
    name: 'DiscordGlobalRateLimitHits',
    unit: 'Count',
    publish: 'always',
    description: 'Global rate limits hit (429 with the global flag).',
  },
  invalidRequests: {
    name: 'DiscordInvalidRequests',
    unit: 'Count',
    publish: 'always',
    description: '401/403/429 answers; Discord bans an IP at 10,000 per 10 minutes.',
  },
  gatewayLatency: {
    name: 'GatewayHeartbeatLatency',
    unit: 'Milliseconds',
    publish: 'log',
    description: 'Gateway heartbeat round trip.',
  },
  gatewayReconnects: {
    name: 'GatewayReconnects',
    unit: 'Count',
    publish: 'always',
    description: 'Gateway reconnects and resumes.',
  },
  databaseLatency: {
    name: 'DatabaseLatency',
    unit: 'Milliseconds',
    publish: 'log',
    description: 'Duration of committed player changes (pull, daily, spark…), exactly-once write included.',
  },
  projectionLag: {
    name: 'ProjectionLag',
    unit: 'Seconds',
    publish: 'nonZero',
    description:
      'Age of the oldest committed change whose history and read model are not yet written (0 = caught up), sampled every 5 s; its Maximum is the worst lag of the period. In CloudWatch only when above 0 (missing data = caught up).',
  },
  backupSucceeded: {
    name: 'BackupSucceeded',
    unit: 'Count',
    publish: 'always',
    description: 'Published by the daily backup: 1 when a verified dump reached S3.',
  },
  backupFailed: {
    name: 'BackupFailed',
    unit: 'Count',
    publish: 'always',
    description: 'Published by the daily backup: 1 when the dump or its upload failed.',
  },
  backupAge: {
    name: 'BackupAgeHours',
    unit: 'None',
    publish: 'always',
    description: 'Hours since the last good backup, published by every backup run.',
  },
  heartbeat: {
    name: 'Heartbeat',
    unit: 'Count',
    publish: 'always',
    description: 'Emitted once per period while the bot runs; missing data means the bot is down.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/**
 * The message of the bot's per-period log line (app log): `{"metrics":{"<Name>[<Kind>]":{"sum",
 * "count","min","max"}}}` with every metric of the period, also those CloudWatch does not get.
 */
export const METRICS_PERIOD_LOG_MESSAGE = 'metrics period';

/**
 * The message of the per-period gateway line (app log) of a process that owns more than one
 * shard: `{"shards":[{"id","status","pingMs","reconnects"}, …]}`, ordered by shard id.
 */
export const GATEWAY_SHARDS_LOG_MESSAGE = 'gateway shards';

/** Seconds per aggregation and publishing period. */
export const METRICS_PERIOD_SECONDS = 60;
