import { Match, Template } from 'aws-cdk-lib/assertions';
import { DATA_VOLUME } from '../../app/contracts/host';
import { METRICS, METRICS_NAMESPACE } from '../../app/contracts/metrics';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { AGENT_METRICS, AGENT_NAMESPACE, SHIPPED_LOGS } from '../../lib/constructs/cloudwatch-agent-config';
import { ALARM_NAMES } from '../../lib/constructs/alarms';
import { SAVED_QUERIES } from '../../lib/constructs/log-shipping';
import { buildApp, onlyResource, resourcesOfType, stackNamed, templateFor } from './synth-fixture';

const BACKUP_MAX_AGE_HOURS = ENVIRONMENTS.prod.alarms.backupMaxAgeHours;

interface AlarmProps {
  AlarmName: string;
  Namespace: string;
  MetricName: string;
  Statistic: string;
  Period: number;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData: string;
  Dimensions: { Name: string; Value: unknown }[];
  AlarmActions: unknown[];
  OKActions: unknown[];
}

function alarms(t: Template): Map<string, AlarmProps> {
  const found = t.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: AlarmProps }>;
  return new Map(
    Object.values(found).map((a) => [a.Properties.AlarmName.replace(/^gacha-bot-[a-z]+-/, ''), a.Properties]),
  );
}

function alarm(t: Template, name: string): AlarmProps {
  const found = alarms(t).get(name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
}

const topicRef = { Ref: Match.stringLikeRegexp('^NotificationsAlarmTopic') };
const instanceDims = [{ Name: 'InstanceId', Value: { Ref: Match.stringLikeRegexp('^HostInstance') } }];

describe('monitoring', () => {
  const t = templateFor('prod');
  const all = alarms(t);

  it('defines the alarms the roadmap asks for, all notifying the alarm topic on ALARM and OK', () => {
    expect([...all.keys()].sort()).toEqual(
      [
        'backup-stale',
        'bot-errors',
        'cpu-credits-low',
        'cpu-high',
        'discord-429',
        'discord-invalid-requests',
        'disk-high',
        'heartbeat-missing',
        'instance-status-failed',
        'memory-high',
        'notifier-errors',
        'projection-lag',
        'rate-limit-headroom-low',
      ].sort(),
    );
    expect([...alarms(templateFor('staging')).keys()].sort()).toEqual(
      Object.values(ALARM_NAMES)
        .filter((n) => n !== 'notifier-errors' && n !== 'projection-lag')
        .sort(),
    );
    for (const [name] of all) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `gacha-bot-prod-${name}`,
        AlarmActions: Match.arrayWith([topicRef]),
        OKActions: [topicRef],
      });
    }
  });

  it('watches host CPU, memory and disk at the configured thresholds with the dimensions the agent publishes', () => {
    const thresholds = ENVIRONMENTS.prod.alarms;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'gacha-bot-prod-cpu-high',
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Threshold: thresholds.cpuPercent,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: instanceDims,
    });
    for (const [name, metric, threshold] of [
      ['memory-high', AGENT_METRICS.memoryUsedPercent, thresholds.memoryPercent],
      ['disk-high', AGENT_METRICS.diskUsedPercent, thresholds.diskPercent],
    ] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `gacha-bot-prod-${name}`,
        Namespace: AGENT_NAMESPACE,
        MetricName: metric,
        Statistic: 'Maximum',
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: instanceDims,
      });
    }
    // The agent appends exactly InstanceId and aggregates to it, so those alarms get data.
    const param = onlyResource(t, 'AWS::SSM::Parameter').properties.Value as { 'Fn::Join': [string, unknown[]] };
    const rendered = param['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : '<token>')).join('');
    const config = JSON.parse(rendered) as {
      metrics: { append_dimensions: object; aggregation_dimensions: string[][]; metrics_collected: object };
    };
    expect(config.metrics.append_dimensions).toEqual({ InstanceId: '${aws:InstanceId}' });
    expect(config.metrics.aggregation_dimensions).toEqual([['InstanceId']]);
    expect(Object.keys(config.metrics.metrics_collected).sort()).toEqual(['disk', 'mem']);
    // One disk series (the InstanceId aggregate): the per-mount originals are dropped.
    expect(
      (config.metrics.metrics_collected as { disk: { drop_original_metrics: string[] } }).disk.drop_original_metrics,
    ).toEqual(['used_percent']);
    // Both the root and the data volume (MongoDB) are watched.
    expect((config.metrics.metrics_collected as { disk: { resources: string[] } }).disk.resources).toEqual([
      '/',
      DATA_VOLUME.mountPoint,
    ]);
  });

  it('sees a t3 out of CPU credits (throttled to baseline, never at the CPU threshold)', () => {
    const credits = alarm(t, 'cpu-credits-low');
    expect([credits.Namespace, credits.MetricName, credits.Statistic]).toEqual([
      'AWS/EC2',
      'CPUCreditBalance',
      'Minimum',
    ]);
    expect(credits.Threshold).toBe(ENVIRONMENTS.prod.alarms.minCpuCreditBalance);
    expect(credits.ComparisonOperator).toBe('LessThanThreshold');
    expect(JSON.stringify(credits.Dimensions)).toMatch(
      /^\[\{"Name":"InstanceId","Value":\{"Ref":"HostInstance[^"]*"\}\}\]$/,
    );
  });

  it('does not go blind when the CloudWatch agent dies: missing agent data breaches memory and disk', () => {
    for (const name of ['memory-high', 'disk-high']) {
      const a = alarm(t, name);
      expect(a.TreatMissingData).toBe('breaching');
      expect(a.EvaluationPeriods * a.Period).toBe(5 * 60);
    }
  });

  it('alarms when the Discord notifier Lambda fails (prod)', () => {
    const errors = alarm(t, 'notifier-errors');
    expect([errors.Namespace, errors.MetricName, errors.Statistic]).toEqual(['AWS/Lambda', 'Errors', 'Sum']);
    expect(errors.Threshold).toBe(ENVIRONMENTS.prod.alarms.notifierErrorsPer5Min);
    expect(JSON.stringify(errors.Dimensions)).toContain('NotificationsWebhookFunction');
  });

  it('takes every threshold from the environment config', () => {
    const strict = {
      ...ENVIRONMENTS.staging,
      alarms: {
        ...ENVIRONMENTS.staging.alarms,
        cpuPercent: 61,
        minCpuCreditBalance: 7,
        memoryPercent: 62,
        diskPercent: 63,
        heartbeatMissingMinutes: 5,
        backupMaxAgeHours: 30,
      },
    };
    const custom = alarms(Template.fromStack(stackNamed(buildApp({ configs: [strict] }).built, 'staging')));
    const get = (name: string) => custom.get(name) as AlarmProps;
    expect(get('cpu-high').Threshold).toBe(61);
    expect(get('cpu-credits-low').Threshold).toBe(7);
    expect(get('memory-high').Threshold).toBe(62);
    expect(get('disk-high').Threshold).toBe(63);
    expect(get('heartbeat-missing').EvaluationPeriods).toBe(5);
    expect(get('backup-stale').EvaluationPeriods).toBe(30);
  });

  it('watches the bot metrics by the names and dimension of the shared contract', () => {
    const thresholds = ENVIRONMENTS.prod.alarms;
    const expectations: [string, keyof typeof METRICS, string, number, string][] = [
      ['bot-errors', 'errorsTotal', 'Sum', thresholds.errorsPer5Min, 'GreaterThanOrEqualToThreshold'],
      ['discord-429', 'rest429', 'Sum', thresholds.rest429Per5Min, 'GreaterThanOrEqualToThreshold'],
      [
        'rate-limit-headroom-low',
        'rateLimitHeadroom',
        'Minimum',
        thresholds.minRateLimitHeadroomPercent,
        'LessThanThreshold',
      ],
      [
        'discord-invalid-requests',
        'invalidRequests',
        'Sum',
        thresholds.invalidRequestsPer10Min,
        'GreaterThanOrEqualToThreshold',
      ],
      ['heartbeat-missing', 'heartbeat', 'SampleCount', 1, 'LessThanThreshold'],
      ['backup-stale', 'backupSucceeded', 'Sum', 1, 'LessThanThreshold'],
    ];
    for (const [name, key, statistic, threshold, operator] of expectations) {
      const a = alarm(t, name);
      expect(a.Namespace).toBe(METRICS_NAMESPACE);
      expect(a.MetricName).toBe(METRICS[key].name);
      expect(a.Dimensions).toEqual([{ Name: 'Environment', Value: 'prod' }]);
      expect([a.Statistic, a.Threshold, a.ComparisonOperator]).toEqual([statistic, threshold, operator]);
    }
    expect(thresholds.invalidRequestsPer10Min).toBeLessThan(10_000);
    expect(alarm(t, 'discord-invalid-requests').Period).toBe(600);
  });

  it('staging (stopped on its schedule most of the time) treats no missing data as breaching; prod does', () => {
    const staging = alarms(templateFor('staging'));
    for (const name of ['heartbeat-missing', 'memory-high', 'disk-high', 'backup-stale']) {
      expect(staging.get(name)?.TreatMissingData).toBe('notBreaching');
      expect(alarm(t, name).TreatMissingData).toBe('breaching');
    }
    expect([...staging.values()].every((a) => a.TreatMissingData === 'notBreaching')).toBe(true);
    expect(ENVIRONMENTS.staging.stopSchedule).toBeDefined();
    expect(ENVIRONMENTS.prod.stopSchedule).toBeUndefined();
  });

  it('treats a silent bot and a missing backup as breaching', () => {
    expect(alarm(t, 'heartbeat-missing').TreatMissingData).toBe('breaching');
    const backup = alarm(t, 'backup-stale');
    expect(backup.TreatMissingData).toBe('breaching');
    expect(backup.Period).toBe(3600);
    expect(backup.EvaluationPeriods).toBe(BACKUP_MAX_AGE_HOURS);
    expect(backup.DatapointsToAlarm).toBe(BACKUP_MAX_AGE_HOURS);
    expect(alarm(t, 'bot-errors').TreatMissingData).toBe('notBreaching');
  });

  it('reboots the instance on instance check failure; EC2 automatic recovery handles system checks', () => {
    expect(JSON.stringify(alarm(t, 'instance-status-failed').AlarmActions)).toContain('ec2:reboot');
    expect(all.has('system-status-failed')).toBe(false);
    // (AWS::EC2::Instance has no MaintenanceOptions property: EC2's simplified automatic recovery is its default for t3.)
    expect(onlyResource(t, 'AWS::EC2::Instance').properties.MaintenanceOptions).toBeUndefined();
  });

  it('ships every log file to its own log group with the environment retention', () => {
    for (const [env, days] of [
      ['staging', ENVIRONMENTS.staging.logRetentionDays],
      ['prod', ENVIRONMENTS.prod.logRetentionDays],
    ] as const) {
      const groups = templateFor(env).findResources('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: days },
      });
      const shipped = Object.keys(groups).filter((id) => id.startsWith('MonitoringLogs'));
      expect(shipped).toHaveLength(Object.keys(SHIPPED_LOGS).length);
      // The agent config names each group by reference (generated names: see the stack outputs).
      const param = JSON.stringify(onlyResource(templateFor(env), 'AWS::SSM::Parameter').properties.Value);
      for (const id of shipped) expect(param).toContain(`{"Ref":"${id}"}`);
    }
    expect(Object.keys(SHIPPED_LOGS)).toEqual(expect.arrayContaining(['app', 'error', 'access', 'backup']));
  });

  it('has no dashboard by default (3 USD/month): saved Logs Insights queries instead; optional per environment', () => {
    templateFor('staging').resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    const queries = Object.values(resourcesOfType(t, 'AWS::Logs::QueryDefinition')).map((q) => q.Properties ?? {});
    expect(queries.map((q) => q.Name).sort()).toEqual(
      Object.keys(SAVED_QUERIES)
        .map((n) => `gacha-bot-prod/${n}`)
        .sort(),
    );
    const latency = queries.find((q) => q.Name === 'gacha-bot-prod/command-latency');
    expect(latency?.QueryString).toMatch(/pct\(latencyMs, 50\).*pct\(latencyMs, 99\).* by command/);
    const withDashboard = Template.fromStack(
      stackNamed(buildApp({ configs: [{ ...ENVIRONMENTS.prod, dashboard: true }] }).built, 'prod'),
    );
    const body = JSON.stringify(onlyResource(withDashboard, 'AWS::CloudWatch::Dashboard').properties.DashboardBody);
    for (const name of [
      'CPUUtilization',
      AGENT_METRICS.memoryUsedPercent,
      METRICS.commandLatency.name,
      'p99',
      METRICS.rateLimitHeadroom.name,
      'pct(latencyMs, 99)',
    ]) {
      expect(body).toContain(name);
    }
  });
});

describe('projection lag alarm', () => {
  it('watches the worst ProjectionLag of each minute in prod, 120 s for 5 minutes', () => {
    const lag = alarms(templateFor('prod')).get('projection-lag');
    expect(lag).toMatchObject({
      MetricName: 'ProjectionLag',
      Namespace: 'GachaBot',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 120,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});
