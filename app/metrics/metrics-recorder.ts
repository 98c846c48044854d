/**
 * In-process aggregation of metric values into statistic sets (count, sum, min, max) per metric
 * and dimension value. Recording is a map update: it never waits on I/O, so it is safe on the
 * command's hot path. The publisher drains it once per period.
 */
import { METRICS, type MetricDefinition, type MetricKey } from '../contracts/metrics';

export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /**
   * For metrics with percentiles: how many samples fell in each bucket (bucket value → count).
   * Buckets are 5 % wide on a log scale (≤ 150 distinct values from 1 ms to 20 min, PutMetricData's
   * limit per datum), so a percentile is exact to within 5 %.
   */
  histogram?: Map<number, number>;
}

const BUCKET_RATIO = Math.log(1.1);

/** The histogram bucket of a value: 0, or the nearest power of 1.1 (rounded to 0.1). */
export function histogramBucket(value: number): number {
  if (value <= 0) return 0;
  return Math.round(Math.exp(Math.round(Math.log(value) / BUCKET_RATIO) * BUCKET_RATIO) * 10) / 10;
}

export interface AggregatedMetric {
  readonly key: MetricKey;
  /** Value of the metric's extra dimension (command name, error kind), if it has one. */
  readonly dimensionValue: string | undefined;
  readonly stats: StatisticSet;
}

/** Dimension values are bounded so a flood of distinct names cannot grow memory without end. */
const MAX_SERIES = 500;

export class MetricsRecorder {
  private series = new Map<string, AggregatedMetric>();
  /** Values dropped because MAX_SERIES distinct series were already open in this period. */
  droppedSeries = 0;

  record(key: MetricKey, value: number, dimensionValue?: string): void {
    if (!Number.isFinite(value)) return;
    const dimension = 'dimension' in METRICS[key] ? (dimensionValue ?? 'unknown') : undefined;
    const id = `${key}\u0001${dimension ?? ''}`;
    const existing = this.series.get(id);
    if (existing) {
      const s = existing.stats;
      s.sampleCount++;
      s.sum += value;
      if (value < s.minimum) s.minimum = value;
      if (value > s.maximum) s.maximum = value;
      if (s.histogram) {
        const bucket = histogramBucket(value);
        s.histogram.set(bucket, (s.histogram.get(bucket) ?? 0) + 1);
      }
      return;
    }
    if (this.series.size >= MAX_SERIES) {
      this.droppedSeries++;
      return;
    }
    const definition: MetricDefinition = METRICS[key];
    this.series.set(id, {
      key,
      dimensionValue: dimension,
      stats: {
        sampleCount: 1,
        sum: value,
        minimum: value,
        maximum: value,
        ...(definition.percentiles ? { histogram: new Map([[histogramBucket(value), 1]]) } : {}),
      },
    });
  }

  /** Counts one occurrence. */
  count(key: MetricKey, dimensionValue?: string, times = 1): void {
    this.record(key, times, dimensionValue);
  }

  /** Counts a failure under its kind and in the total the error alarm watches. */
  countError(kind: string, times = 1): void {
    this.count('errors', kind, times);
    this.count('errorsTotal', undefined, times);
  }

  /** Returns everything recorded since the last drain and starts a new period. */
  drain(): AggregatedMetric[] {
    const drained = [...this.series.values()];
    this.series = new Map();
    return drained;
  }
}
