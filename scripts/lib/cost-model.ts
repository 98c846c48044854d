/**
 * Monthly cost of one environment, priced from its synthesized CloudFormation template at
 * on-demand list prices, with and without CloudWatch's always-free tier (per account: 10 custom
 * metrics, 10 alarms, 3 dashboards, 5 GB of log data). Resources are counted from the template
 * (instances, volumes, alarms, dashboards, log groups, backup rules, the stop schedule, the
 * CloudWatch agent's configuration as the agent emits it); bot metric series from the metric
 * contract; what a template cannot say (log volume, snapshot growth, active commands, staging's
 * running hours) is an explicit assumption.
 */
import { METRICS, type MetricDefinition, type MetricKey } from '../../app/contracts/metrics';

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
  /** 1-year EC2 Instance Savings Plan / standard reserved instance, no upfront, USD per hour (approximate). */
  readonly instanceHourOneYear: Readonly<Record<string, number>>;
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
    instanceHourOneYear: { 't3.micro': 0.0065, 't3.small': 0.013, 't4g.micro': 0.0053 },
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
    instanceHourOneYear: { 't3.micro': 0.0085, 't3.small': 0.017, 't4g.micro': 0.0068 },
  },
};

/** Monthly targets in us-east-1, list prices (issue 15): `npm run cost -- --check` and the cost test. */
export const TARGETS: Readonly<Record<string, { freeTier?: number; noFreeTier: number }>> = {
  prod: { freeTier: 13.5, noFreeTier: 16 },
  staging: { noFreeTier: 3 },
};

/** What the template cannot tell. */
export interface UsageAssumptions {
  /** Interactions per day (roadmap phase 1: 20,000 users). */
  readonly interactionsPerDay: number;
  /** Bytes of log per interaction (access line + share of app log). */
  readonly logBytesPerInteraction: number;
  /** Other log volume (mongod, backups, start-up), MB per day. */
  readonly otherLogMbPerDay: number;
  /** The bot's `metrics period` line (every metric, once a minute, ~1.2 KB), MB per day. */
  readonly metricsLogMbPerDay: number;
  /** Used blocks of the root volume (first full snapshot), GB. */
  readonly snapshotBaseGb: number;
  /** Changed blocks per day (incremental snapshots), GB. */
  readonly snapshotDailyChangeGb: number;
  /** Size of one compressed logical dump, GB. */
  readonly dumpGb: number;
  /**
   * Hours a month an instance with a stop schedule runs (staging: ~20 pipeline deploys of ~30 min
   * plus ~20 hours of test windows).
   */
  readonly scheduledRunHours: number;
  /** Block devices diskio reports on (root disk with its 3 partitions, the data volume). */
  readonly diskIoDevices: number;
}

export const DEFAULT_USAGE: UsageAssumptions = {
  interactionsPerDay: 50_000,
  logBytesPerInteraction: 450,
  otherLogMbPerDay: 5,
  metricsLogMbPerDay: 1.7,
  snapshotBaseGb: 3,
  snapshotDailyChangeGb: 0.2,
  dumpGb: 0.05,
  scheduledRunHours: 30,
  diskIoDevices: 5,
};

/** CloudWatch's always-free tier, per account and region. */
export const FREE_TIER = { metrics: 10, alarms: 10, dashboards: 3, logsGb: 5 } as const;

/**
 * Share of the month's hours in which each bot metric's CloudWatch series receive data (CloudWatch
 * bills a custom metric per hour it is published), and how many series it has. Typed over every
 * MetricKey, so a new metric must be priced here; a metric the contract publishes only to the log
 * (`publish: 'log'`) costs no series whatever this says, and one published only when non-zero or
 * below a threshold gets the share of hours in which that happens.
 */
export const METRIC_ACTIVITY: Readonly<Record<MetricKey, { series: number; share: number }>> = {
  commandLatency: { series: 1, share: 1 },
  errors: { series: 2, share: 0.05 },
  errorsTotal: { series: 1, share: 0.05 },
  pulls: { series: 1, share: 1 },
  rest429: { series: 1, share: 0.02 },
  // Published only in periods below 50 % headroom.
  rateLimitHeadroom: { series: 1, share: 0.02 },
  globalRateLimitHits: { series: 1, share: 0 },
  invalidRequests: { series: 1, share: 0.02 },
  gatewayLatency: { series: 1, share: 1 },
  gatewayReconnects: { series: 1, share: 0.05 },
  databaseLatency: { series: 1, share: 1 },
  // Published only while the projections lag.
  projectionLag: { series: 1, share: 0.02 },
  backupSucceeded: { series: 1, share: 1 / 24 },
  backupFailed: { series: 1, share: 0 },
  backupAge: { series: 1, share: 1 / 24 },
  heartbeat: { series: 1, share: 1 },
};

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

/** What the free tier can absorb a line of. */
export type FreeTierKind = 'metrics' | 'alarms' | 'dashboards' | 'logsGb';

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  /** List price, no free tier. */
  readonly usd: number;
  /** With the account's CloudWatch free tier (set by priceTemplate). */
  readonly usdFreeTier: number;
}

interface DraftLine {
  readonly item: string;
  readonly quantity: string;
  readonly usd: number;
  /** Units the free tier counts, and the price per unit. */
  readonly free?: { readonly kind: FreeTierKind; readonly units: number; readonly unitUsd: number };
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

/** The instance runs only part of the month when the template has a schedule that stops it. */
export function runningHours(template: CfnTemplate, usage = DEFAULT_USAGE): number {
  const stops = ofType(template, 'AWS::Scheduler::Schedule').some((s) =>
    JSON.stringify(s.Properties?.Target ?? {}).includes('aws-sdk:ec2:stopInstances'),
  );
  return stops ? usage.scheduledRunHours : HOURS_PER_MONTH;
}

interface AgentMetrics {
  readonly metrics_collected: Record<
    string,
    { measurement: string[]; resources?: string[]; drop_original_metrics?: string[] }
  >;
  readonly aggregation_dimensions?: string[][];
}

/** The CloudWatch agent's configuration as the template stores it (tokens rendered as placeholders). */
export function agentConfigOf(template: CfnTemplate): { metrics?: AgentMetrics } | undefined {
  for (const param of ofType(template, 'AWS::SSM::Parameter')) {
    const name = param.Properties?.Name;
    if (typeof name !== 'string' || !name.startsWith('AmazonCloudWatch-')) continue;
    const value = param.Properties?.Value;
    const text =
      typeof value === 'string'
        ? value
        : (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
            .map((p) => (typeof p === 'string' ? p : '<token>'))
            .join('');
    return JSON.parse(text) as { metrics?: AgentMetrics };
  }
  return undefined;
}

/**
 * Metric series the agent emits with this configuration: one per measurement and resource (disk:
 * per mount; diskio: per block device), plus the InstanceId aggregate where it differs (mem and
 * swap carry only InstanceId, so their aggregate is the same series); a measurement listed in
 * `drop_original_metrics` sends only its aggregate.
 */
export function agentSeries(
  config: { metrics?: AgentMetrics } | undefined,
  usage = DEFAULT_USAGE,
): Record<string, number> {
  const collected = config?.metrics?.metrics_collected ?? {};
  const aggregated = (config?.metrics?.aggregation_dimensions ?? []).length > 0;
  const out: Record<string, number> = {};
  for (const [section, spec] of Object.entries(collected)) {
    const perResource =
      section === 'diskio'
        ? spec.resources?.includes('*')
          ? usage.diskIoDevices
          : (spec.resources?.length ?? 1)
        : section === 'disk'
          ? (spec.resources?.length ?? 1)
          : 0;
    for (const measurement of spec.measurement) {
      const name = measurement.startsWith(`${section}_`) ? measurement : `${section}_${measurement}`;
      // drop_original_metrics: only the aggregate is sent.
      const dropped = aggregated && (spec.drop_original_metrics ?? []).includes(measurement);
      out[name] = perResource === 0 ? 1 : dropped ? 1 : perResource + (aggregated ? 1 : 0);
    }
  }
  return out;
}

/**
 * Bot metric series in CloudWatch, from the metric contract (log-only metrics have none) and how
 * often each receives data.
 */
export function botSeries(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    const definition: MetricDefinition = METRICS[key];
    if (definition.publish === 'log') continue;
    const activity = METRIC_ACTIVITY[key];
    out[definition.name] = activity.series * activity.share;
  }
  return out;
}

function applyFreeTier(drafts: readonly DraftLine[]): CostLine[] {
  const left: Record<FreeTierKind, number> = { ...FREE_TIER };
  return drafts.map((d) => {
    if (!d.free) return { item: d.item, quantity: d.quantity, usd: d.usd, usdFreeTier: d.usd };
    const covered = Math.min(left[d.free.kind], d.free.units);
    left[d.free.kind] -= covered;
    return {
      item: d.item,
      quantity: d.quantity,
      usd: d.usd,
      usdFreeTier: Math.max(0, d.usd - covered * d.free.unitUsd),
    };
  });
}

export function priceTemplate(template: CfnTemplate, prices: RegionPrices, usage = DEFAULT_USAGE): CostLine[] {
  const lines: DraftLine[] = [];
  const hours = runningHours(template, usage);
  const runShare = hours / HOURS_PER_MONTH;
  const instances = ofType(template, 'AWS::EC2::Instance');
  for (const instance of instances) {
    const type = String(instance.Properties?.InstanceType);
    const hourly = prices.instanceHour[type];
    if (hourly === undefined) throw new Error(`no price for instance type ${type} in ${prices.region}`);
    lines.push({ item: `EC2 ${type} (on-demand)`, quantity: `${hours} h`, usd: hourly * hours });
    const devices = (instance.Properties?.BlockDeviceMappings ?? []) as {
      Ebs?: { VolumeSize?: number; VolumeType?: string };
    }[];
    for (const device of devices) {
      const size = device.Ebs?.VolumeSize ?? 0;
      lines.push({
        item: `EBS ${device.Ebs?.VolumeType ?? 'gp3'} root volume`,
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
  // An auto-assigned public IPv4 address is billed while the instance runs; an Elastic IP all month.
  const eips = ofType(template, 'AWS::EC2::EIP').length;
  const publicSubnet = ofType(template, 'AWS::EC2::Subnet').some((s) => s.Properties?.MapPublicIpOnLaunch === true);
  if (eips > 0 || (publicSubnet && instances.length > 0)) {
    const ipHours = eips > 0 ? eips * HOURS_PER_MONTH : instances.length * hours;
    lines.push({
      item: eips > 0 ? 'Elastic IP (public IPv4)' : 'Public IPv4 address (auto-assigned)',
      quantity: `${ipHours} h`,
      usd: ipHours * prices.publicIpv4Hour,
    });
  }
  const series = [
    ...Object.entries(botSeries()).map(([name, n]) => [`GachaBot/${name}`, n * runShare] as const),
    // Every host runs the agent, and its InstanceId dimension makes each host's series its own.
    ...Object.entries(agentSeries(agentConfigOf(template), usage)).map(
      ([name, n]) => [`CWAgent/${name}`, n * instances.length * runShare] as const,
    ),
  ];
  for (const [name, n] of series) {
    lines.push({
      item: `metric ${name}`,
      quantity: `${n.toFixed(2)} series-months`,
      usd: n * prices.metricMonth,
      free: { kind: 'metrics', units: n, unitUsd: prices.metricMonth },
    });
  }
  const alarms = ofType(template, 'AWS::CloudWatch::Alarm').length;
  lines.push({
    item: 'CloudWatch alarms (standard)',
    quantity: `${alarms}`,
    usd: alarms * prices.alarmMonth,
    free: { kind: 'alarms', units: alarms, unitUsd: prices.alarmMonth },
  });
  const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard').length;
  lines.push({
    item: 'CloudWatch dashboards',
    quantity: `${dashboards}`,
    usd: dashboards * prices.dashboardMonth,
    free: { kind: 'dashboards', units: dashboards, unitUsd: prices.dashboardMonth },
  });
  const ingestGb =
    ((usage.interactionsPerDay * usage.logBytesPerInteraction) / 1e9 +
      (usage.otherLogMbPerDay + usage.metricsLogMbPerDay) / 1e3) *
    30 *
    runShare;
  const storedGb = ingestGb * (retentionDays(template) / 30);
  lines.push({
    item: 'CloudWatch Logs ingestion',
    quantity: `${ingestGb.toFixed(2)} GB`,
    usd: ingestGb * prices.logsIngestGb,
    free: { kind: 'logsGb', units: ingestGb, unitUsd: prices.logsIngestGb },
  });
  lines.push({
    item: `CloudWatch Logs storage (${retentionDays(template)} days)`,
    quantity: `${storedGb.toFixed(2)} GB`,
    usd: storedGb * prices.logsStoreGbMonth,
    free: { kind: 'logsGb', units: storedGb, unitUsd: prices.logsStoreGbMonth },
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
        // Each daily copy is incremental to the previous copy still in the vault: a month moves
        // 30 days of changed blocks (the full base crosses once, at the first copy).
        const transferGb = usage.snapshotDailyChangeGb * 30;
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
  const functions = ofType(template, 'AWS::Lambda::Function').length;
  const schedules = ofType(template, 'AWS::Scheduler::Schedule').length;
  const keys = ofType(template, 'AWS::KMS::Key').length;
  const patching = ofType(template, 'AWS::SSM::Association').some(
    (a) => a.Properties?.Name === 'AWS-RunPatchBaselineWithHooks',
  );
  lines.push({
    item: `Lambda, SNS, EventBridge Scheduler, KMS (AWS-managed keys), SSM${patching ? ' (Patch Manager: free for EC2)' : ''}`,
    quantity: `${functions} functions, ${schedules} schedules, ${keys} customer keys; < 1,000 calls`,
    usd: keys * 1,
  });
  return applyFreeTier(lines);
}

export function total(lines: readonly CostLine[], freeTier = false): number {
  return lines.reduce((sum, line) => sum + (freeTier ? line.usdFreeTier : line.usd), 0);
}

/** The instance on a 1-year Savings Plan / reservation, for the note. */
export function oneYearInstance(template: CfnTemplate, prices: RegionPrices): { type: string; usd: number }[] {
  return ofType(template, 'AWS::EC2::Instance').map((i) => {
    const type = String(i.Properties?.InstanceType);
    return { type, usd: (prices.instanceHourOneYear[type] ?? Number.NaN) * runningHours(template) };
  });
}
