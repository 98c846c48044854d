import { Match, type Template } from 'aws-cdk-lib/assertions';
import { METRICS, METRICS_NAMESPACE } from '../../app/contracts/metrics';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { AGENT_METRICS, AGENT_NAMESPACE, SHIPPED_LOGS } from '../../lib/constructs/cloudwatch-agent-config';
import { BACKUP_MAX_AGE_HOURS } from '../../lib/constructs/monitoring';
import { onlyResource, templateFor } from './synth-fixture';

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
        'cpu-high',
        'discord-429',
        'discord-invalid-requests',
        'disk-high',
        'heartbeat-missing',
        'instance-status-failed',
        'memory-high',
        'rate-limit-headroom-low',
        'system-status-failed',
      ].sort(),
    );
    for (const [name] of all) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `gacha-bot-prod-${name}`,
        AlarmActions: Match.arrayWith([topicRef]),
        OKActions: [topicRef],
      });
    }
  });

  it('watches host CPU, memory and disk above 80% with the dimensions the agent publishes', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'gacha-bot-prod-cpu-high',
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: instanceDims,
    });
    for (const [name, metric] of [
      ['memory-high', AGENT_METRICS.memoryUsedPercent],
      ['disk-high', AGENT_METRICS.diskUsedPercent],
    ] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `gacha-bot-prod-${name}`,
        Namespace: AGENT_NAMESPACE,
        MetricName: metric,
        Threshold: 80,
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
    expect(Object.keys(config.metrics.metrics_collected).sort()).toEqual(['disk', 'diskio', 'mem', 'swap']);
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

  it('treats a silent bot and a missing backup as breaching', () => {
    expect(alarm(t, 'heartbeat-missing').TreatMissingData).toBe('breaching');
    const backup = alarm(t, 'backup-stale');
    expect(backup.TreatMissingData).toBe('breaching');
    expect(backup.Period).toBe(3600);
    expect(backup.EvaluationPeriods).toBe(BACKUP_MAX_AGE_HOURS);
    expect(backup.DatapointsToAlarm).toBe(BACKUP_MAX_AGE_HOURS);
    expect(alarm(t, 'bot-errors').TreatMissingData).toBe('notBreaching');
  });

  it('recovers the instance when the system status check fails and reboots it on instance check failure', () => {
    expect(JSON.stringify(alarm(t, 'system-status-failed').AlarmActions)).toContain(':automate:');
    expect(JSON.stringify(alarm(t, 'system-status-failed').AlarmActions)).toContain('ec2:recover');
    expect(JSON.stringify(alarm(t, 'instance-status-failed').AlarmActions)).toContain('ec2:reboot');
    expect(alarm(t, 'system-status-failed').MetricName).toBe('StatusCheckFailed_System');
  });

  it('ships every log file to its own log group with the environment retention', () => {
    for (const [env, days] of [
      ['staging', ENVIRONMENTS.staging.logRetentionDays],
      ['prod', ENVIRONMENTS.prod.logRetentionDays],
    ] as const) {
      for (const key of Object.keys(SHIPPED_LOGS)) {
        templateFor(env).hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/gacha-bot/${env}/${key}`,
          RetentionInDays: days,
        });
      }
    }
    expect(Object.keys(SHIPPED_LOGS)).toEqual(expect.arrayContaining(['app', 'error', 'access', 'backup']));
  });

  it('has a dashboard with host and bot metrics in prod (staging saves its 3 USD/month)', () => {
    templateFor('staging').resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    const body = JSON.stringify(onlyResource(t, 'AWS::CloudWatch::Dashboard').properties.DashboardBody);
    for (const name of [
      'CPUUtilization',
      AGENT_METRICS.memoryUsedPercent,
      METRICS.commandLatency.name,
      METRICS.rateLimitHeadroom.name,
    ]) {
      expect(body).toContain(name);
    }
  });
});
