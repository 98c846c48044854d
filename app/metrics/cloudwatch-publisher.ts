/**
 * Publishes the recorder's aggregates to CloudWatch once per period with PutMetricData, off the
 * hot path: only what each metric's publishing rule in the contract sends (every CloudWatch series
 * is billed), percentile metrics as a histogram (values and counts). With `logPeriods`, every
 * metric of the period (also those CloudWatch does not get) goes to one `metrics period` log line. CloudWatch unreachable → retries with exponential backoff, then keeps the data in a
 * bounded buffer (oldest dropped first, drops counted and logged) for the next period. Never
 * throws into the bot; flushes on stop.
 */
import type { MetricDatum, PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DIMENSION_ENVIRONMENT,
  METRICS,
  METRICS_NAMESPACE,
  METRICS_PERIOD_LOG_MESSAGE,
  METRICS_PERIOD_SECONDS,
  type MetricDefinition,
} from '../contracts/metrics';
import type { Logger } from '../observability/logger';
import type { AggregatedMetric, MetricsRecorder } from './metrics-recorder';

export interface PublisherOptions {
  readonly environment: string;
  /** Datums per PutMetricData call (the API takes up to 1,000 and 1 MB). */
  readonly batchSize?: number;
  /** Datums kept while CloudWatch is unreachable. */
  readonly maxBufferedDatums?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly periodMs?: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Samples read-style values (gateway latency) just before each period closes. */
  readonly beforeFlush?: () => void;
  /** Log every period's metrics (all of them) as one `metrics period` line. */
  readonly logPeriods?: boolean;
}

/** PutMetricData takes at most 150 distinct values per datum. */
const MAX_HISTOGRAM_VALUES = 150;

/** Whether CloudWatch gets this period of the metric (its publishing rule in the contract). */
export function sentToCloudWatch(metric: AggregatedMetric): boolean {
  const definition: MetricDefinition = METRICS[metric.key];
  switch (definition.publish) {
    case 'log':
      return false;
    case 'nonZero':
      return metric.stats.maximum > 0;
    case 'below':
      return metric.stats.minimum < (definition.publishBelow ?? 0);
    default:
      return true;
  }
}

export function toDatum(metric: AggregatedMetric, environment: string, timestamp: Date): MetricDatum {
  const definition = METRICS[metric.key];
  const dimensions = [{ Name: DIMENSION_ENVIRONMENT, Value: environment }];
  if ('dimension' in definition && metric.dimensionValue !== undefined) {
    dimensions.push({ Name: definition.dimension, Value: metric.dimensionValue.slice(0, 255) });
  }
  const s = metric.stats;
  const base = { MetricName: definition.name, Unit: definition.unit, Timestamp: timestamp, Dimensions: dimensions };
  if (s.histogram && s.histogram.size <= MAX_HISTOGRAM_VALUES) {
    const buckets = [...s.histogram.entries()].sort((a, b) => a[0] - b[0]);
    return { ...base, Values: buckets.map(([value]) => value), Counts: buckets.map(([, count]) => count) };
  }
  return {
    ...base,
    StatisticValues: { SampleCount: s.sampleCount, Sum: s.sum, Minimum: s.minimum, Maximum: s.maximum },
  };
}

/**
 * One line per metric series for the log sink (METRICS_LOG): `Name[Dimension]` → sum, count,
 * min and max of the period.
 */
export function summarizeMetricData(
  data: readonly MetricDatum[],
): Record<string, { sum: number; count: number; min: number; max: number }> {
  const out: Record<string, { sum: number; count: number; min: number; max: number }> = {};
  for (const datum of data) {
    const extra = (datum.Dimensions ?? []).filter((d) => d.Name !== DIMENSION_ENVIRONMENT).map((d) => d.Value);
    const key = extra.length > 0 ? `${datum.MetricName ?? '?'}[${extra.join(',')}]` : (datum.MetricName ?? '?');
    const values = datum.Values ?? [];
    const counts = datum.Counts ?? values.map(() => 1);
    const s =
      values.length > 0
        ? {
            Sum: values.reduce((sum, v, i) => sum + v * (counts[i] ?? 1), 0),
            SampleCount: counts.reduce((sum, c) => sum + c, 0),
            Minimum: Math.min(...values),
            Maximum: Math.max(...values),
          }
        : datum.StatisticValues;
    const previous = out[key];
    const next = {
      sum: (previous?.sum ?? 0) + (s?.Sum ?? datum.Value ?? 0),
      count: (previous?.count ?? 0) + (s?.SampleCount ?? 1),
      min: Math.min(previous?.min ?? Number.POSITIVE_INFINITY, s?.Minimum ?? datum.Value ?? 0),
      max: Math.max(previous?.max ?? Number.NEGATIVE_INFINITY, s?.Maximum ?? datum.Value ?? 0),
    };
    out[key] = next;
  }
  return out;
}

export class CloudWatchPublisher {
  private buffer: MetricDatum[] = [];
  private timer: NodeJS.Timeout | undefined;
  private publishing: Promise<void> = Promise.resolve();
  /** Datums dropped because the buffer was full. */
  dropped = 0;
  lastSuccessAt: Date | undefined;
  private readonly batchSize: number;
  private readonly maxBufferedDatums: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly periodMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  /**
   * `putMetricData` is the one AWS call (the SDK client's PutMetricData), passed in so the SDK is
   * loaded only when metrics are on.
   */
  constructor(
    private readonly putMetricData: (input: PutMetricDataCommandInput) => Promise<unknown>,
    private readonly recorder: MetricsRecorder,
    private readonly log: Logger,
    private readonly options: PublisherOptions,
  ) {
    this.batchSize = Math.min(options.batchSize ?? 500, 1000);
    this.maxBufferedDatums = options.maxBufferedDatums ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.periodMs = options.periodMs ?? METRICS_PERIOD_SECONDS * 1000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get bufferedDatums(): number {
    return this.buffer.length;
  }

  start(): void {
    this.timer = setInterval(() => {
      void this.flush();
    }, this.periodMs);
    this.timer.unref();
  }

  /** Closes the period: heartbeat, aggregates into the buffer, then sends what it can. */
  flush(): Promise<void> {
    this.publishing = this.publishing.then(() => this.flushNow());
    return this.publishing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async flushNow(): Promise<void> {
    this.options.beforeFlush?.();
    this.recorder.count('heartbeat');
    if (this.recorder.droppedSeries > 0) {
      this.recorder.countError('metrics-series-limit', this.recorder.droppedSeries);
      this.recorder.droppedSeries = 0;
    }
    const timestamp = this.now();
    const period = this.recorder.drain();
    if (this.options.logPeriods) {
      // Exact figures (not the histogram's buckets) for the log line.
      const exact = period.map((m) =>
        toDatum({ ...m, stats: { ...m.stats, histogram: undefined } }, this.options.environment, timestamp),
      );
      this.log.info({ metrics: summarizeMetricData(exact) }, METRICS_PERIOD_LOG_MESSAGE);
    }
    this.buffer.push(...period.filter(sentToCloudWatch).map((m) => toDatum(m, this.options.environment, timestamp)));
    const overflow = this.buffer.length - this.maxBufferedDatums;
    if (overflow > 0) {
      this.buffer.splice(0, overflow);
      this.dropped += overflow;
      this.recorder.countError('metrics-dropped', overflow);
      this.log.warn({ dropped: overflow, totalDropped: this.dropped }, 'metrics buffer full: oldest data dropped');
    }
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.batchSize);
      if (!(await this.send(batch))) return;
      this.buffer.splice(0, batch.length);
      this.lastSuccessAt = this.now();
    }
  }

  private async send(batch: MetricDatum[]): Promise<boolean> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.putMetricData({ Namespace: METRICS_NAMESPACE, MetricData: batch });
        return true;
      } catch (error) {
        if (attempt === this.maxAttempts) {
          this.log.warn(
            { err: error, buffered: this.buffer.length },
            'CloudWatch unreachable: metrics kept for the next period',
          );
          return false;
        }
        await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
      }
    }
    return false;
  }
}
