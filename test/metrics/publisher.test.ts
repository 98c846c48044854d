import { CloudWatchClient, PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import pino from 'pino';
import { METRICS, METRICS_NAMESPACE } from '../../app/contracts/metrics';
import { CloudWatchPublisher } from '../../app/metrics/cloudwatch-publisher';
import { MetricsRecorder } from '../../app/metrics/metrics-recorder';

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
    for (const ms of [12, 3, 40]) recorder.record('commandLatency', ms, 'gacha');
    recorder.record('commandLatency', 7, 'daily');
    recorder.count('pulls', undefined, 10);
    recorder.count('pulls');
    recorder.record('rateLimitHeadroom', 80);
    recorder.record('rateLimitHeadroom', 0);
    const drained = recorder.drain();
    const gacha = drained.find((m) => m.key === 'commandLatency' && m.dimensionValue === 'gacha');
    expect(gacha?.stats).toEqual({ sampleCount: 3, sum: 55, minimum: 3, maximum: 40 });
    expect(drained.find((m) => m.key === 'pulls')?.stats.sum).toBe(11);
    expect(drained.find((m) => m.key === 'rateLimitHeadroom')?.stats.minimum).toBe(0);
    expect(recorder.drain()).toEqual([]);
  });
});

describe('CloudWatchPublisher', () => {
  it('sends statistic sets with the Environment dimension, batched within the API limit', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const recorder = new MetricsRecorder();
    for (let i = 0; i < 250; i++) recorder.record('commandLatency', i, `cmd-${i}`);
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
    for (let i = 0; i < 4; i++) recorder.record('commandLatency', 1, `a-${i}`);
    await expect(p.flush()).resolves.toBeUndefined();
    expect(delays).toEqual([100, 200]);
    expect(p.bufferedDatums).toBe(5); // 4 series + heartbeat
    for (let i = 0; i < 4; i++) recorder.record('commandLatency', 1, `b-${i}`);
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
    recorder.count('pulls', undefined, 10);
    await p.stop();
    const sent = sentInputs().flatMap((i) => i.MetricData ?? []);
    expect(sent.find((d) => d.MetricName === METRICS.pulls.name)?.StatisticValues?.Sum).toBe(10);
  });
});
