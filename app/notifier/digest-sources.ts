/**
 * Reads the figures of the operator's digest from AWS: CloudWatch metrics (the bot's contract
 * metrics — command latency p50/p99 from its one histogram series — EC2 and the CloudWatch agent),
 * CloudWatch Logs Insights (active players, the top error messages, and pulls and the lowest
 * rate-limit headroom from the bot's per-period metrics line), SSM Patch Manager's state of each
 * host (patch-states.ts) and, monthly, Cost Explorer.
 * Every source may be empty; a figure with no data stays `undefined`.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  DIMENSION_ENVIRONMENT,
  DIMENSION_KIND,
  METRICS,
  METRICS_NAMESPACE,
  METRICS_PERIOD_LOG_MESSAGE,
} from '../contracts/metrics';
import { type CountByLabel, type DigestData, type DigestKind, digestPeriod } from './digest-data';
import { readPatchStates } from './patch-states';

export interface DigestSourceConfig {
  readonly environment: string;
  /** The host whose EC2 and agent metrics the digest reads (the first one). */
  readonly instanceId: string;
  /** Every host of the environment, for their OS update state. */
  readonly instanceIds: readonly string[];
  readonly accessLogGroup: string;
  readonly errorLogGroup: string;
  readonly appLogGroup: string;
  /** Cost allocation tag that marks this environment's resources; none = the whole account. */
  readonly costTag?: { readonly key: string; readonly value: string };
  /** `npm run cost`'s monthly estimate for this environment, in USD. */
  readonly estimateUsd?: number;
}

export interface DigestClients {
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  readonly logs: Pick<CloudWatchLogsClient, 'send'>;
  readonly costExplorer: Pick<CostExplorerClient, 'send'>;
  readonly ssm: Pick<SSMClient, 'send'>;
}

export interface DigestReadOptions {
  /** How long a Logs Insights query may run before the digest goes on without it. */
  readonly queryTimeoutMs?: number;
  readonly pollIntervalMs?: number;
}

type Stat = 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' | 'p50' | 'p99';

interface MetricQuery {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: Stat;
  /** `newest` reads the latest hourly value instead of one value for the whole period. */
  readonly newest?: boolean;
}

const INSIGHTS_ACCESS = 'filter ispresent(latencyMs) | stats count_distinct(user) as players';
/** What only the bot's per-period log line carries (pulls; headroom above 50 % is not in CloudWatch). */
const INSIGHTS_PERIODS = `filter msg = '${METRICS_PERIOD_LOG_MESSAGE}' | stats sum(metrics.${METRICS.pulls.name}.sum) as pulls, min(metrics.${METRICS.rateLimitHeadroom.name}.min) as headroom`;
const INSIGHTS_ERRORS = 'filter ispresent(msg) | stats count(*) as n by msg | sort n desc | limit 5';

function periodSeconds(start: Date, end: Date): number {
  return Math.max(60, Math.floor((end.getTime() - start.getTime()) / 60_000) * 60);
}

async function errorKinds(clients: DigestClients, environment: string): Promise<string[]> {
  const kinds = new Set<string>();
  let token: string | undefined;
  do {
    const page = await clients.cloudwatch.send(
      new ListMetricsCommand({
        Namespace: METRICS_NAMESPACE,
        MetricName: METRICS.errors.name,
        Dimensions: [{ Name: DIMENSION_ENVIRONMENT, Value: environment }],
        NextToken: token,
      }),
    );
    for (const metric of page.Metrics ?? []) {
      const kind = metric.Dimensions?.find((d) => d.Name === DIMENSION_KIND)?.Value;
      if (kind) kinds.add(kind);
    }
    token = page.NextToken;
  } while (token);
  return [...kinds].sort();
}

async function readMetrics(
  clients: DigestClients,
  queries: readonly MetricQuery[],
  start: Date,
  end: Date,
): Promise<Map<string, number>> {
  const whole = periodSeconds(start, end);
  const values = new Map<string, number>();
  for (let i = 0; i < queries.length; i += 500) {
    const batch: MetricDataQuery[] = queries.slice(i, i + 500).map((q) => ({
      Id: q.id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.name,
          Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: q.newest ? 3_600 : whole,
        Stat: q.stat,
      },
    }));
    let token: string | undefined;
    do {
      const page = await clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: batch,
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampDescending',
          NextToken: token,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const query = queries.find((q) => q.id === result.Id);
        const points = result.Values ?? [];
        if (!query || points.length === 0 || values.has(query.id)) continue;
        // Newest first: the latest value, or the aggregate over every returned period.
        const value = query.newest
          ? points[0]
          : query.stat === 'Sum' || query.stat === 'SampleCount'
            ? points.reduce((a, b) => a + b, 0)
            : query.stat === 'p50' || query.stat === 'p99'
              ? points[0] // one value for the whole period
              : query.stat === 'Minimum'
                ? Math.min(...points)
                : Math.max(...points);
        if (value !== undefined) values.set(query.id, value);
      }
      token = page.NextToken;
    } while (token);
  }
  return values;
}

async function insights(
  clients: DigestClients,
  logGroup: string,
  query: string,
  start: Date,
  end: Date,
  options: DigestReadOptions,
): Promise<ResultField[][]> {
  const started = await clients.logs.send(
    new StartQueryCommand({
      logGroupName: logGroup,
      queryString: query,
      startTime: Math.floor(start.getTime() / 1000),
      endTime: Math.floor(end.getTime() / 1000),
      limit: 10,
    }),
  );
  if (!started.queryId) return [];
  const deadline = Date.now() + (options.queryTimeoutMs ?? 60_000);
  for (;;) {
    const out = await clients.logs.send(new GetQueryResultsCommand({ queryId: started.queryId }));
    if (out.status === 'Complete') return out.results ?? [];
    if (out.status === 'Failed' || out.status === 'Cancelled' || out.status === 'Timeout') {
      throw new Error(`Logs Insights query on ${logGroup} ended ${out.status}`);
    }
    if (Date.now() > deadline) throw new Error(`Logs Insights query on ${logGroup} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
  }
}

function field(row: readonly ResultField[] | undefined, name: string): number | undefined {
  const raw = row?.find((f) => f.field === name)?.value;
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

async function lastMonthCost(
  clients: DigestClients,
  config: DigestSourceConfig,
  start: Date,
  end: Date,
): Promise<number | undefined> {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const out = await clients.costExplorer.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: day(start), End: day(end) },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      ...(config.costTag ? { Filter: { Tags: { Key: config.costTag.key, Values: [config.costTag.value] } } } : {}),
    }),
  );
  const amount = out.ResultsByTime?.[0]?.Total?.UnblendedCost?.Amount;
  return amount === undefined ? undefined : Number(amount);
}

/** Reads every figure of the digest for the period that ends at `now`. */
export async function readDigest(
  clients: DigestClients,
  config: DigestSourceConfig,
  kind: DigestKind,
  now: Date,
  options: DigestReadOptions = {},
): Promise<DigestData> {
  const { start, end } = digestPeriod(kind, now);
  const env = { [DIMENSION_ENVIRONMENT]: config.environment };
  const host = { InstanceId: config.instanceId };
  const kinds = await errorKinds(clients, config.environment);
  const bot = (id: string, name: string, stat: Stat, newest = false): MetricQuery => ({
    id,
    namespace: METRICS_NAMESPACE,
    name,
    dimensions: env,
    stat,
    newest,
  });
  const queries: MetricQuery[] = [
    bot('errors', METRICS.errorsTotal.name, 'Sum'),
    // All commands' latency is one series with a histogram: percentiles over the whole period.
    bot('interactions', METRICS.commandLatency.name, 'SampleCount'),
    bot('p50', METRICS.commandLatency.name, 'p50'),
    bot('p99', METRICS.commandLatency.name, 'p99'),
    bot('rest429', METRICS.rest429.name, 'Sum'),
    bot('backupOk', METRICS.backupSucceeded.name, 'Sum'),
    bot('backupFailed', METRICS.backupFailed.name, 'Sum'),
    bot('backupAge', METRICS.backupAge.name, 'Minimum', true),
    { id: 'credits', namespace: 'AWS/EC2', name: 'CPUCreditBalance', dimensions: host, stat: 'Minimum' },
    { id: 'memory', namespace: 'CWAgent', name: 'mem_used_percent', dimensions: host, stat: 'Maximum' },
    { id: 'disk', namespace: 'CWAgent', name: 'disk_used_percent', dimensions: host, stat: 'Maximum' },
    ...kinds.map((k, i) => ({
      id: `kind${i}`,
      namespace: METRICS_NAMESPACE,
      name: METRICS.errors.name,
      dimensions: { ...env, [DIMENSION_KIND]: k },
      stat: 'Sum' as const,
    })),
  ];
  const [metrics, access, periods, errors, osUpdates, actualUsd] = await Promise.all([
    readMetrics(clients, queries, start, end),
    insights(clients, config.accessLogGroup, INSIGHTS_ACCESS, start, end, options),
    insights(clients, config.appLogGroup, INSIGHTS_PERIODS, start, end, options),
    insights(clients, config.errorLogGroup, INSIGHTS_ERRORS, start, end, options),
    readPatchStates(clients.ssm, config.instanceIds),
    kind === 'monthly' ? lastMonthCost(clients, config, start, end) : Promise.resolve(undefined),
  ]);
  const byKind: CountByLabel[] = kinds
    .map((label, i) => ({ label, count: metrics.get(`kind${i}`) ?? 0 }))
    .filter((k) => k.count > 0)
    .sort((a, b) => b.count - a.count);
  const topMessages: CountByLabel[] = errors
    .map((row) => ({ label: row.find((f) => f.field === 'msg')?.value ?? '', count: field(row, 'n') ?? 0 }))
    .filter((m) => m.label !== '' && m.count > 0);
  return {
    kind,
    environment: config.environment,
    start,
    end,
    errors: { total: metrics.get('errors'), byKind, topMessages },
    usage: {
      interactions: metrics.get('interactions'),
      latencyP50Ms: metrics.get('p50'),
      latencyP99Ms: metrics.get('p99'),
      pulls: field(periods[0], 'pulls'),
      activePlayers: field(access[0], 'players'),
    },
    discord: { minHeadroomPercent: field(periods[0], 'headroom'), rest429: metrics.get('rest429') },
    host: {
      minCpuCreditBalance: metrics.get('credits'),
      maxMemoryPercent: metrics.get('memory'),
      maxDiskPercent: metrics.get('disk'),
      osUpdates,
    },
    backup: {
      successes: metrics.get('backupOk'),
      failures: metrics.get('backupFailed'),
      ageHours: metrics.get('backupAge'),
    },
    ...(kind === 'monthly'
      ? { cost: { month: start.toISOString().slice(0, 7), actualUsd, estimateUsd: config.estimateUsd } }
      : {}),
  };
}
