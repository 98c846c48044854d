/**
 * Monthly cost of one environment, priced from its synthesized CloudFormation template at
 * on-demand list prices. Resources are counted from the template; what a template cannot say
 * (log volume, snapshot growth, how many metric series are active) is an explicit assumption.
 */
import { METRICS, type MetricKey } from '../../app/contracts/metrics';

export const HOURS_PER_MONTH = 730;

export interface RegionPrices {
  readonly region: string;
  /** USD per instance-hour, Linux on-demand. */
  readonly instanceHour: Readonly<Record<string, number>>;
  readonly gp3GbMonth: number;
  readonly publicIpv4Hour: number;
  readonly snapshotGbMonth: number;
  readonly s3GbMonth: number;
  readonly logsIngestGb: number;
  readonly logsStoreGbMonth: number;
  readonly metricMonth: number;
  readonly alarmMonth: number;
  readonly dashboardMonth: number;
  /** Inter-region transfer (snapshot copies), USD per GB. */
  readonly interRegionGb: number;
}

/** AWS on-demand list prices (USD), checked against the public price pages in 2026. */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': {
    region: 'us-east-1',
    instanceHour: { 't3.micro': 0.0104, 't3.small': 0.0208, 't4g.micro': 0.0084 },
    gp3GbMonth: 0.08,
    publicIpv4Hour: 0.005,
    snapshotGbMonth: 0.05,
    s3GbMonth: 0.023,
    logsIngestGb: 0.5,
    logsStoreGbMonth: 0.03,
    metricMonth: 0.3,
    alarmMonth: 0.1,
    dashboardMonth: 3,
    interRegionGb: 0.02,
  },
  'ap-northeast-1': {
    region: 'ap-northeast-1',
    instanceHour: { 't3.micro': 0.0136, 't3.small': 0.0272, 't4g.micro': 0.0108 },
    gp3GbMonth: 0.096,
    publicIpv4Hour: 0.005,
    snapshotGbMonth: 0.05,
    s3GbMonth: 0.025,
    logsIngestGb: 0.76,
    logsStoreGbMonth: 0.033,
    metricMonth: 0.3,
    alarmMonth: 0.1,
    dashboardMonth: 3,
    interRegionGb: 0.09,
  },
};

/** What the template cannot tell. */
export interface UsageAssumptions {
  /** Interactions per day (roadmap phase 1: 20,000 users). */
  readonly interactionsPerDay: number;
  /** Bytes of log per interaction (access line + share of app log). */
  readonly logBytesPerInteraction: number;
  /** Other log volume (mongod, backups, start-up), MB per day. */
  readonly otherLogMbPerDay: number;
  /** Distinct commands in use in a typical hour (each is a CommandLatency series). */
  readonly activeCommands: number;
  /** Used blocks of the root volume (first full snapshot), GB. */
  readonly snapshotBaseGb: number;
  /** Changed blocks per day (incremental snapshots), GB. */
  readonly snapshotDailyChangeGb: number;
  /** Size of one compressed logical dump, GB. */
  readonly dumpGb: number;
}

export const DEFAULT_USAGE: UsageAssumptions = {
  interactionsPerDay: 50_000,
  logBytesPerInteraction: 450,
  otherLogMbPerDay: 5,
  activeCommands: 8,
  snapshotBaseGb: 3,
  snapshotDailyChangeGb: 0.2,
  dumpGb: 0.05,
};

/**
 * Share of the month's hours in which each bot metric series receives data (CloudWatch bills a
 * custom metric per hour it is published). Typed over every MetricKey, so a new metric must be
 * priced here.
 */
export const METRIC_ACTIVITY: Readonly<Record<MetricKey, { series: 'one' | 'perCommand' | number; share: number }>> = {
  commandLatency: { series: 'perCommand', share: 1 },
  errors: { series: 2, share: 0.05 },
  errorsTotal: { series: 'one', share: 0.05 },
  pulls: { series: 'one', share: 1 },
  rest429: { series: 'one', share: 0.02 },
  rateLimitHeadroom: { series: 'one', share: 1 },
  globalRateLimitHits: { series: 'one', share: 0 },
  invalidRequests: { series: 'one', share: 0.02 },
  gatewayLatency: { series: 'one', share: 1 },
  gatewayReconnects: { series: 'one', share: 0.05 },
  databaseLatency: { series: 'one', share: 1 },
  projectionLag: { series: 'one', share: 1 },
  backupSucceeded: { series: 'one', share: 1 / 24 },
  backupFailed: { series: 'one', share: 0 },
  backupAge: { series: 'one', share: 1 / 24 },
  heartbeat: { series: 'one', share: 1 },
};

/** CloudWatch agent series: mem, swap (InstanceId); disk and diskio (full dimensions + the InstanceId aggregate). */
export const AGENT_SERIES = 6;

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly usd: number;
}

function ofType(template: CfnTemplate, type: string): CfnResource[] {
  return Object.values(template.Resources).filter((r) => r.Type === type);
}

function retentionDays(template: CfnTemplate): number {
  const groups = ofType(template, 'AWS::Logs::LogGroup');
  const days = groups.map((g) => Number(g.Properties?.RetentionInDays ?? 0));
  return days.length > 0 ? Math.max(...days) : 0;
}

interface BackupRule {
  Lifecycle?: { DeleteAfterDays?: number };
  CopyActions?: unknown[];
}

export function priceTemplate(template: CfnTemplate, prices: RegionPrices, usage = DEFAULT_USAGE): CostLine[] {
  const lines: CostLine[] = [];
  const instances = ofType(template, 'AWS::EC2::Instance');
  for (const instance of instances) {
    const type = String(instance.Properties?.InstanceType);
    const hourly = prices.instanceHour[type];
    if (hourly === undefined) throw new Error(`no price for instance type ${type} in ${prices.region}`);
    lines.push({ item: `EC2 ${type} (on-demand)`, quantity: `${HOURS_PER_MONTH} h`, usd: hourly * HOURS_PER_MONTH });
    const devices = (instance.Properties?.BlockDeviceMappings ?? []) as {
      Ebs?: { VolumeSize?: number; VolumeType?: string };
    }[];
    for (const device of devices) {
      const size = device.Ebs?.VolumeSize ?? 0;
      lines.push({
        item: `EBS ${device.Ebs?.VolumeType ?? 'gp3'} volume`,
        quantity: `${size} GB`,
        usd: size * prices.gp3GbMonth,
      });
    }
  }
  for (const volume of ofType(template, 'AWS::EC2::Volume')) {
    const size = Number(volume.Properties?.Size ?? 0);
    lines.push({
      item: `EBS ${typeof volume.Properties?.VolumeType === 'string' ? volume.Properties.VolumeType : 'gp3'} data volume`,
      quantity: `${size} GB`,
      usd: size * prices.gp3GbMonth,
    });
  }
  const publicSubnet = ofType(template, 'AWS::EC2::Subnet').some((s) => s.Properties?.MapPublicIpOnLaunch === true);
  if (publicSubnet && instances.length > 0) {
    lines.push({
      item: 'Public IPv4 address',
      quantity: `${instances.length} × ${HOURS_PER_MONTH} h`,
      usd: instances.length * prices.publicIpv4Hour * HOURS_PER_MONTH,
    });
  }
  const botSeries = (Object.keys(METRICS) as MetricKey[]).reduce((sum, key) => {
    const activity = METRIC_ACTIVITY[key];
    const series =
      activity.series === 'one' ? 1 : activity.series === 'perCommand' ? usage.activeCommands : activity.series;
    return sum + series * activity.share;
  }, 0);
  const metricSeries = botSeries + AGENT_SERIES;
  lines.push({
    item: 'CloudWatch custom metrics (bot + agent)',
    quantity: `${metricSeries.toFixed(1)} metric-months`,
    usd: metricSeries * prices.metricMonth,
  });
  const alarms = ofType(template, 'AWS::CloudWatch::Alarm').length;
  lines.push({ item: 'CloudWatch alarms (standard)', quantity: `${alarms}`, usd: alarms * prices.alarmMonth });
  const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard').length;
  lines.push({ item: 'CloudWatch dashboard', quantity: `${dashboards}`, usd: dashboards * prices.dashboardMonth });
  const ingestGb =
    ((usage.interactionsPerDay * usage.logBytesPerInteraction) / 1e9 + usage.otherLogMbPerDay / 1e3) * 30;
  const storedGb = ingestGb * (retentionDays(template) / 30);
  lines.push({
    item: 'CloudWatch Logs ingestion + storage',
    quantity: `${ingestGb.toFixed(2)} GB in, ${storedGb.toFixed(2)} GB kept`,
    usd: ingestGb * prices.logsIngestGb + storedGb * prices.logsStoreGbMonth,
  });
  for (const plan of ofType(template, 'AWS::Backup::BackupPlan')) {
    const rules = (plan.Properties?.BackupPlan as { BackupPlanRule?: BackupRule[] }).BackupPlanRule ?? [];
    for (const rule of rules) {
      const days = rule.Lifecycle?.DeleteAfterDays ?? 0;
      const gb = usage.snapshotBaseGb + usage.snapshotDailyChangeGb * days;
      lines.push({
        item: 'AWS Backup instance snapshots',
        quantity: `${gb.toFixed(1)} GB (${days} days)`,
        usd: gb * prices.snapshotGbMonth,
      });
      const copies = rule.CopyActions?.length ?? 0;
      if (copies > 0) {
        const transferGb = usage.snapshotBaseGb + usage.snapshotDailyChangeGb * 30;
        lines.push({
          item: 'Cross-region snapshot copy (storage + transfer)',
          quantity: `${gb.toFixed(1)} GB kept, ${transferGb.toFixed(1)} GB moved`,
          usd: copies * (gb * prices.snapshotGbMonth + transferGb * prices.interRegionGb),
        });
      }
    }
  }
  for (const bucket of ofType(template, 'AWS::S3::Bucket')) {
    const rules = ((
      bucket.Properties?.LifecycleConfiguration as { Rules?: { ExpirationInDays?: number }[] } | undefined
    )?.Rules ?? []) as { ExpirationInDays?: number }[];
    const days = Math.max(0, ...rules.map((r) => r.ExpirationInDays ?? 0));
    const gb = usage.dumpGb * days;
    lines.push({
      item: 'S3 logical dumps',
      quantity: `${gb.toFixed(2)} GB (${days} days)`,
      usd: gb * prices.s3GbMonth,
    });
  }
  lines.push({
    item: 'SSM Parameter Store (standard), State Manager, Run Command, SNS e-mail, webhook Lambda',
    quantity: 'free tier / negligible',
    usd: 0,
  });
  return lines;
}

export function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}
