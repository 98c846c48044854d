import { CloudWatchClient, PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import pino from 'pino';
import { METRICS, METRICS_NAMESPACE } from '../../app/contracts/metrics';
import { CloudWatchPublisher } from '../../app/metrics/cloudwatch-publisher';
import { MetricsRecorder, histogramBucket } from '../../app/metrics/metrics-recorder';

const cloudwatch = mockClient(CloudWatchClient);
const silent = pino({ level: 'silent' });

function publisher(
  recorder: MetricsRecorder,
  options: Partial<ConstructorParameters<typeof CloudWatchPublisher>[3]> = {},
) {
  const delays: number[] = [];
  const client = new CloudWatchClient({ region: 'ap-northeast-1' });
  const put = (input: PutMetricDataCommandInput) => client.send(new PutMetricDataCommand(input));
  const p = new CloudWatchPublisher(put, recorder, silent, {
    environment: 'staging',
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
  return { p, delays };
}

function sentInputs(): PutMetricDataCommandInput[] {
  return cloudwatch.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  cloudwatch.reset();
});

describe('MetricsRecorder', () => {
  it('aggregates counts, sums, minimum and maximum per metric and dimension, and drains per period', () => {
    const recorder = new MetricsRecorder();
    for (const n of [12, 3, 40]) recorder.count('errors', 'command', n);
    recorder.count('errors', 'recovery', 7);
    recorder.count('pulls', undefined, 10);
    recorder.count('pulls');
    recorder.record('rateLimitHeadroom', 80);
    recorder.record('rateLimitHeadroom', 0);
    const drained = recorder.drain();
    const command = drained.find((m) => m.key === 'errors' && m.dimensionValue === 'command');
    expect(command?.stats).toEqual({ sampleCount: 3, sum: 55, minimum: 3, maximum: 40 });
    expect(drained.find((m) => m.key === 'errors' && m.dimensionValue === 'recovery')?.stats.sum).toBe(7);
    expect(drained.find((m) => m.key === 'pulls')?.stats.sum).toBe(11);
    expect(drained.find((m) => m.key === 'rateLimitHeadroom')?.stats.minimum).toBe(0);
    expect(recorder.drain()).toEqual([]);
  });
});

describe('CloudWatchPublisher', () => {
  it('sends statistic sets with the Environment dimension, batched within the API limit', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const recorder = new MetricsRecorder();
    for (let i = 0; i < 250; i++) recorder.count('errors', `kind-${i}`);
    const { p } = publisher(recorder, { batchSize: 100 });
    await p.flush();
    const inputs = sentInputs();
    expect(inputs.map((i) => i.MetricData?.length)).toEqual([100, 100, 51]); // 250 series + heartbeat
    for (const input of inputs) {
      expect(input.Namespace).toBe(METRICS_NAMESPACE);
      for (const datum of input.MetricData ?? []) {
        expect(datum.Dimensions?.[0]).toEqual({ Name: 'Environment', Value: 'staging' });
        expect(datum.StatisticValues?.SampleCount).toBeGreaterThan(0);
      }
    }
    const heartbeat = inputs.flatMap((i) => i.MetricData ?? []).find((d) => d.MetricName === METRICS.heartbeat.name);
    expect(heartbeat?.StatisticValues?.Sum).toBe(1);
    expect(p.bufferedDatums).toBe(0);
    expect(p.lastSuccessAt).toBeInstanceOf(Date);
  });

  it('retries with exponential backoff, keeps a bounded buffer when CloudWatch is down, and catches up', async () => {
    cloudwatch.on(PutMetricDataCommand).rejects(new Error('network unreachable'));
    const recorder = new MetricsRecorder();
    const { p, delays } = publisher(recorder, { maxBufferedDatums: 5, maxAttempts: 3, baseDelayMs: 100 });
    for (let i = 0; i < 4; i++) recorder.count('errors', `a-${i}`);
    await expect(p.flush()).resolves.toBeUndefined();
    expect(delays).toEqual([100, 200]);
    expect(p.bufferedDatums).toBe(5); // 4 series + heartbeat
    for (let i = 0; i < 4; i++) recorder.count('errors', `b-${i}`);
    await p.flush();
    expect(p.bufferedDatums).toBe(5);
    expect(p.dropped).toBe(5); // 4 new series + heartbeat over the bound; the oldest went
    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).resolves({});
    await p.flush();
    const sent = sentInputs().flatMap((i) => i.MetricData ?? []);
    // The drops themselves are reported as an error metric once CloudWatch answers again.
    expect(
      sent.some((d) => d.MetricName === METRICS.errors.name && d.Dimensions?.[1]?.Value === 'metrics-dropped'),
    ).toBe(true);
    expect(p.bufferedDatums).toBe(0);
  });

  it('flushes what was recorded when stopped', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const recorder = new MetricsRecorder();
    const { p } = publisher(recorder);
    p.start();
    recorder.count('rest429', undefined, 10);
    await p.stop();
    const sent = sentInputs().flatMap((i) => i.MetricData ?? []);
    expect(sent.find((d) => d.MetricName === METRICS.rest429.name)?.StatisticValues?.Sum).toBe(10);
  });
});

describe("what CloudWatch gets (the contract's publishing rules) and the per-period log line", () => {
  function capture() {
    const lines: { metrics?: Record<string, { sum: number; count: number; min: number; max: number }>; msg: string }[] =
      [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[0]) });
    return { log, lines };
  }

  it("sends all commands' latency as ONE histogram series (values and counts), so p50/p99 exist", async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const recorder = new MetricsRecorder();
    for (const ms of [12, 12, 3, 40, 7]) recorder.record('commandLatency', ms, 'ignored-command-name');
    const { p } = publisher(recorder);
    await p.flush();
    const latency = sentInputs()
      .flatMap((i) => i.MetricData ?? [])
      .filter((d) => d.MetricName === METRICS.commandLatency.name);
    expect(latency).toHaveLength(1);
    expect(latency[0]?.Dimensions).toEqual([{ Name: 'Environment', Value: 'staging' }]);
    expect(latency[0]?.StatisticValues).toBeUndefined();
    expect(latency[0]?.Counts?.reduce((a, b) => a + b, 0)).toBe(5);
    const values = latency[0]?.Values ?? [];
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // Buckets 5 % wide on a log scale: each recorded value is within 5 % of its bucket.
    for (const ms of [12, 3, 40, 7]) expect(values.some((v) => Math.abs(v - ms) / ms <= 0.05)).toBe(true);
    expect(latency[0]?.Counts?.[values.findIndex((v) => Math.abs(v - 12) / 12 <= 0.05)]).toBe(2);
  });

  it('keeps log-only metrics out of CloudWatch, lag only when behind, headroom only when below 50 %', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const recorder = new MetricsRecorder();
    const { log, lines } = capture();
    const client = new CloudWatchClient({ region: 'ap-northeast-1' });
    const p = new CloudWatchPublisher((input) => client.send(new PutMetricDataCommand(input)), recorder, log, {
      environment: 'prod',
      logPeriods: true,
    });
    recorder.count('pulls', undefined, 10);
    recorder.record('databaseLatency', 4);
    recorder.record('gatewayLatency', 40);
    recorder.record('projectionLag', 0);
    recorder.record('rateLimitHeadroom', 80);
    await p.flush();
    let sent = sentInputs()
      .flatMap((i) => i.MetricData ?? [])
      .map((d) => d.MetricName);
    expect(sent).toEqual([METRICS.heartbeat.name]);
    // …but the period's log line has every one of them, with exact figures.
    expect(lines.at(-1)?.msg).toBe('metrics period');
    expect(lines.at(-1)?.metrics).toMatchObject({
      Pulls: { sum: 10, count: 1 },
      DatabaseLatency: { sum: 4 },
      GatewayHeartbeatLatency: { max: 40 },
      ProjectionLag: { max: 0 },
      DiscordRateLimitHeadroom: { min: 80 },
      Heartbeat: { sum: 1 },
    });

    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).resolves({});
    recorder.record('projectionLag', 0);
    recorder.record('projectionLag', 130);
    recorder.record('rateLimitHeadroom', 80);
    recorder.record('rateLimitHeadroom', 8);
    recorder.record('commandLatency', 1234);
    await p.flush();
    sent = sentInputs()
      .flatMap((i) => i.MetricData ?? [])
      .map((d) => d.MetricName);
    expect(sent.sort()).toEqual(
      [
        METRICS.heartbeat.name,
        METRICS.projectionLag.name,
        METRICS.rateLimitHeadroom.name,
        METRICS.commandLatency.name,
      ].sort(),
    );
    // The log line keeps the exact latency, not its histogram bucket.
    expect(lines.at(-1)?.metrics?.CommandLatency).toEqual({ sum: 1234, count: 1, min: 1234, max: 1234 });
  });

  it("buckets stay within PutMetricData's 150 values per datum from 0 to 20 minutes", () => {
    const buckets = new Set<number>();
    for (let ms = 0; ms <= 1_200_000; ms += ms < 100 ? 0.5 : ms < 10_000 ? 7 : 997) buckets.add(histogramBucket(ms));
    expect(buckets.size).toBeLessThanOrEqual(150);
    expect(histogramBucket(0)).toBe(0);
  });
});
