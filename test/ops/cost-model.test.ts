import { DATA_VOLUME } from '../../app/contracts/host';
import { METRICS, type MetricDefinition } from '../../app/contracts/metrics';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { agentConfig } from '../../lib/constructs/cloudwatch-agent-config';
import {
  type CfnTemplate,
  DEFAULT_USAGE,
  FREE_TIER,
  HOURS_PER_MONTH,
  PRICES,
  TARGETS,
  agentConfigOf,
  agentSeries,
  botSeries,
  priceTemplate,
  runningHours,
  total,
} from '../../scripts/lib/cost-model';
import { templateFor } from '../infra/synth-fixture';

const usEast = PRICES['us-east-1'];

describe('cost model', () => {
  if (!usEast) throw new Error('no us-east-1 prices');
  const stagingTemplate = templateFor('staging').toJSON() as CfnTemplate;
  const prodTemplate = templateFor('prod').toJSON() as CfnTemplate;
  const staging = priceTemplate(stagingTemplate, usEast);
  const prod = priceTemplate(prodTemplate, usEast);
  const line = (lines: typeof staging, prefix: string) => lines.find((l) => l.item.startsWith(prefix));

  it('prices the instance, its volumes and its public IPv4 address from the template', () => {
    expect(line(prod, 'EC2 t3.micro')?.usd).toBeCloseTo(0.0104 * HOURS_PER_MONTH, 5);
    expect(line(prod, 'EBS gp3 root')?.usd).toBeCloseTo(8 * 0.08, 5);
    expect(line(prod, 'EBS gp3 data volume')?.usd).toBeCloseTo(ENVIRONMENTS.prod.dataVolumeGiB * 0.08, 5);
    expect(line(prod, 'Public IPv4')?.usd).toBeCloseTo(0.005 * HOURS_PER_MONTH, 5);
  });

  it('bills staging instance hours and its auto-assigned IPv4 only while its stop schedule lets it run', () => {
    expect(runningHours(stagingTemplate)).toBe(DEFAULT_USAGE.scheduledRunHours);
    expect(runningHours(prodTemplate)).toBe(HOURS_PER_MONTH);
    expect(line(staging, 'EC2 t3.micro')?.usd).toBeCloseTo(0.0104 * DEFAULT_USAGE.scheduledRunHours, 5);
    expect(line(staging, 'Public IPv4')?.usd).toBeCloseTo(0.005 * DEFAULT_USAGE.scheduledRunHours, 5);
    // Volumes bill all month, running or not.
    expect(line(staging, 'EBS gp3 root')?.usd).toBeCloseTo(8 * 0.08, 5);
  });

  it('counts the agent series as the agent emits them: disk per mount plus the aggregate', () => {
    const fromTemplate = agentSeries(agentConfigOf(prodTemplate));
    const fromSource = agentSeries(agentConfig({ app: 'a', error: 'e', access: 'x', backup: 'b', mongod: 'm' }));
    expect(fromTemplate).toEqual(fromSource);
    // Memory, and disk as ONE series (the per-mount originals are dropped; the aggregate remains).
    expect(fromTemplate).toEqual({ mem_used_percent: 1, disk_used_percent: 1 });
    expect(
      agentSeries({
        metrics: {
          metrics_collected: { disk: { measurement: ['used_percent'], resources: ['/', '/data'] } },
          aggregation_dimensions: [['InstanceId']],
        },
      }),
    ).toEqual({ disk_used_percent: 3 });
    expect(agentConfig({ app: 'a', error: 'e', access: 'x', backup: 'b', mongod: 'm' })).toMatchObject({
      metrics: { metrics_collected: { disk: { resources: ['/', DATA_VOLUME.mountPoint] } } },
    });
    // Per-device disk I/O would be a series per block device.
    expect(
      agentSeries({
        metrics: {
          metrics_collected: { diskio: { measurement: ['io_time'], resources: ['*'] } },
          aggregation_dimensions: [['InstanceId']],
        },
      }),
    ).toEqual({ diskio_io_time: DEFAULT_USAGE.diskIoDevices + 1 });
  });

  it('prices one line per bot metric CloudWatch gets (from the contract) and per agent series', () => {
    const inCloudWatch = Object.values(METRICS).filter((m: MetricDefinition) => m.publish !== 'log');
    expect(Object.keys(botSeries())).toEqual(inCloudWatch.map((m) => m.name));
    for (const metric of Object.values(METRICS)) {
      const priced = line(prod, `metric GachaBot/${metric.name}`);
      if ((metric as MetricDefinition).publish === 'log') expect(priced).toBeUndefined();
      else expect(priced).toBeDefined();
    }
    // All commands' latency is ONE series (percentiles from its histogram), not one per command.
    expect(line(prod, `metric GachaBot/${METRICS.commandLatency.name}`)?.usd).toBeCloseTo(0.3, 5);
    expect(line(prod, 'metric CWAgent/disk_used_percent')?.usd).toBeCloseTo(0.3, 5);
  });

  it('counts alarms and dashboards from the template and applies the free tier per account', () => {
    const alarms = Object.values(prodTemplate.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length;
    expect(line(prod, 'CloudWatch alarms')?.quantity).toBe(String(alarms));
    expect(line(prod, 'CloudWatch alarms')?.usdFreeTier).toBeCloseTo(Math.max(0, alarms - FREE_TIER.alarms) * 0.1, 5);
    // Prod has no dashboard by default; one (enabled per environment) costs 3 USD beyond the free three.
    expect(line(prod, 'CloudWatch dashboards')?.usd).toBe(0);
    const dashboard = priceTemplate({ Resources: { D: { Type: 'AWS::CloudWatch::Dashboard' } } }, usEast);
    expect(line(dashboard, 'CloudWatch dashboards')?.usd).toBe(3);
    expect(line(dashboard, 'CloudWatch dashboards')?.usdFreeTier).toBe(0);
    expect(line(staging, 'CloudWatch dashboards')?.usd).toBe(0);
    const metricSeries = prod.filter((l) => l.item.startsWith('metric ')).reduce((s, l) => s + l.usd / 0.3, 0);
    const billedFree = prod.filter((l) => l.item.startsWith('metric ')).reduce((s, l) => s + l.usdFreeTier, 0);
    expect(billedFree).toBeCloseTo(Math.max(0, metricSeries - FREE_TIER.metrics) * 0.3, 5);
    expect(line(staging, 'Cross-region')).toBeUndefined();
    expect(line(prod, 'Cross-region')?.usd).toBeGreaterThan(0);
    expect(total(prod, true)).toBeLessThan(total(prod));
  });

  it('meets the targets in us-east-1: prod ≤ 13.50 with its own free tier and ≤ 16.00 without, staging ≤ 3.00', () => {
    expect(TARGETS.prod).toEqual({ freeTier: 13.5, noFreeTier: 16 });
    expect(TARGETS.staging).toEqual({ noFreeTier: 3 });
    expect(total(prod, true)).toBeLessThanOrEqual(13.5);
    expect(total(prod)).toBeLessThanOrEqual(16);
    expect(total(staging)).toBeLessThanOrEqual(3);
    // Above the floor of 11.88 (instance, its IPv4 address, 8 GB root) plus prod's data volume.
    const floor = ['EC2 t3.micro', 'Public IPv4', 'EBS gp3 root'].reduce(
      (sum, p) => sum + (line(prod, p)?.usd ?? 0),
      0,
    );
    expect(floor).toBeCloseTo(11.88, 1);
  });

  it('counts the snapshot copy transfer as 30 days of changed blocks (copies are incremental)', () => {
    expect(line(prod, 'Cross-region')?.quantity).toContain(
      `${(DEFAULT_USAGE.snapshotDailyChangeGb * 30).toFixed(1)} GB moved`,
    );
  });

  it('fails loudly on an instance type it has no price for', () => {
    const template: CfnTemplate = {
      Resources: { I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 'x9.huge' } } },
    };
    expect(() => priceTemplate(template, usEast)).toThrow(/no price for instance type x9.huge/);
  });
});
