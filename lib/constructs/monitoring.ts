/**
 * Watching the host and the bot: log groups with retention for every file the agent ships, the
 * agent's configuration (an SSM parameter named so CloudWatch's convention finds it), the alarms
 * (each one notifies the alarm topic; a failed system status check also recovers the instance),
 * and a dashboard with the host and bot metrics side by side.
 */
import {
  Duration,
  RemovalPolicy,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_logs as logs,
  aws_sns as sns,
  aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { agentConfigParameterName } from '../../app/contracts/host';
import { METRICS_NAMESPACE } from '../../app/contracts/metrics';
import type { AlarmThresholds } from '../config/environments';
import { BotMetricFactory } from './bot-metric-factory';
import { AGENT_NAMESPACE, SHIPPED_LOGS, type ShippedLog, agentConfig } from './cloudwatch-agent-config';

export interface MonitoringProps {
  readonly environment: string;
  readonly instance: ec2.Instance;
  readonly hostRole: iam.IRole;
  readonly topic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  readonly retainLogs: boolean;
  readonly thresholds: AlarmThresholds;
  readonly dashboard: boolean;
}

/** Hours without a good backup before the backup alarm fires. */
export const BACKUP_MAX_AGE_HOURS = 26;

export class Monitoring extends Construct {
  readonly logGroups: Readonly<Record<ShippedLog, logs.LogGroup>>;
  readonly agentConfigParameter: ssm.StringParameter;
  readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const env = props.environment;
    const removalPolicy = props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const groups = {} as Record<ShippedLog, logs.LogGroup>;
    for (const key of Object.keys(SHIPPED_LOGS) as ShippedLog[]) {
      groups[key] = new logs.LogGroup(this, `${key[0]?.toUpperCase() ?? ''}${key.slice(1)}Logs`, {
        logGroupName: `/gacha-bot/${env}/${key}`,
        retention: props.logRetention,
        removalPolicy,
      });
    }
    this.logGroups = groups;
    const groupNames = Object.fromEntries(
      (Object.keys(groups) as ShippedLog[]).map((k) => [k, groups[k].logGroupName]),
    ) as Record<ShippedLog, string>;
    this.agentConfigParameter = new ssm.StringParameter(this, 'AgentConfig', {
      parameterName: agentConfigParameterName(env),
      description: 'CloudWatch agent configuration of the gacha bot host',
      stringValue: JSON.stringify(agentConfig(groupNames)),
    });
    this.grantAgent(props.hostRole);

    const m = new BotMetricFactory(env, props.instance.instanceId);
    const notify = new actions.SnsAction(props.topic);
    const alarm = (
      name: string,
      description: string,
      options: Omit<cloudwatch.CreateAlarmOptions, 'alarmDescription'> & { metric: cloudwatch.IMetric },
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, name, {
        alarmName: `gacha-bot-${env}-${name}`,
        alarmDescription: description,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      return created;
    };
    const t = props.thresholds;
    const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const created: Record<string, cloudwatch.Alarm> = {
      cpu: alarm('cpu-high', 'CPU above 80% for 15 minutes (t3.micro credits burn above 10%).', {
        metric: m.ec2('CPUUtilization', 'Average', Duration.minutes(5)),
        threshold: 80,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      }),
      memory: alarm('memory-high', 'Memory above 80% for 5 minutes (mongod and the bot share 1 GiB).', {
        metric: m.agent('memoryUsedPercent'),
        threshold: 80,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      }),
      disk: alarm('disk-high', 'Root disk above 80% (MongoDB data and logs live there).', {
        metric: m.agent('diskUsedPercent'),
        threshold: 80,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      }),
      errors: alarm('bot-errors', `${t.errorsPer5Min}+ bot errors in 5 minutes (see the error log group).`, {
        metric: m.bot('errorsTotal', 'Sum', Duration.minutes(5)),
        threshold: t.errorsPer5Min,
        comparisonOperator: gte,
        evaluationPeriods: 1,
      }),
      headroom: alarm(
        'rate-limit-headroom-low',
        `Discord rate-limit headroom below ${t.minRateLimitHeadroomPercent}% for 3 minutes.`,
        {
          metric: m.bot('rateLimitHeadroom', 'Minimum'),
          threshold: t.minRateLimitHeadroomPercent,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 3,
        },
      ),
      rest429: alarm('discord-429', `${t.rest429Per5Min}+ HTTP 429 answers from Discord in 5 minutes.`, {
        metric: m.bot('rest429', 'Sum', Duration.minutes(5)),
        threshold: t.rest429Per5Min,
        comparisonOperator: gte,
        evaluationPeriods: 1,
      }),
      invalidRequests: alarm(
        'discord-invalid-requests',
        `${t.invalidRequestsPer10Min}+ invalid Discord requests (401/403/429) in 10 minutes; the IP ban is at 10,000.`,
        {
          metric: m.bot('invalidRequests', 'Sum', Duration.minutes(10)),
          threshold: t.invalidRequestsPer10Min,
          comparisonOperator: gte,
          evaluationPeriods: 1,
        },
      ),
      heartbeat: alarm('heartbeat-missing', 'No bot heartbeat for 3 minutes: the bot is down or cannot publish.', {
        metric: m.bot('heartbeat', 'SampleCount'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      backup: alarm('backup-stale', `No good database backup for ${BACKUP_MAX_AGE_HOURS} hours.`, {
        metric: m.bot('backupSucceeded', 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: BACKUP_MAX_AGE_HOURS,
        datapointsToAlarm: BACKUP_MAX_AGE_HOURS,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      systemStatus: alarm('system-status-failed', 'EC2 system status check failed: the instance is being recovered.', {
        metric: m.ec2('StatusCheckFailed_System', 'Maximum', Duration.minutes(1)),
        threshold: 1,
        comparisonOperator: gte,
        evaluationPeriods: 2,
      }),
      instanceStatus: alarm('instance-status-failed', 'EC2 instance status check failed: the instance is rebooted.', {
        metric: m.ec2('StatusCheckFailed_Instance', 'Maximum', Duration.minutes(1)),
        threshold: 1,
        comparisonOperator: gte,
        evaluationPeriods: 3,
      }),
    };
    created.systemStatus?.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction.RECOVER));
    created.instanceStatus?.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction.REBOOT));
    this.alarms = created;
    if (props.dashboard) this.dashboard = this.buildDashboard(m, Object.values(created));
  }

  /** What the agent and the bot need: publish metrics to their namespaces, write their log groups. */
  private grantAgent(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': [METRICS_NAMESPACE, AGENT_NAMESPACE] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ShipLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: Object.values(this.logGroups).map((g) => g.logGroupArn),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAgentConfig',
        actions: ['ssm:GetParameter'],
        resources: [this.agentConfigParameter.parameterArn],
      }),
    );
  }

  private buildDashboard(m: BotMetricFactory, alarms: readonly cloudwatch.Alarm[]): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: 24, height: 3 }),
    );
    dashboard.addWidgets(
      graph('CPU %', [m.ec2('CPUUtilization', 'Average', Duration.minutes(5))]),
      graph('Memory and swap %', [m.agent('memoryUsedPercent'), m.agent('swapUsedPercent')]),
      graph('Disk % and I/O time', [m.agent('diskUsedPercent')], [m.agent('diskIoTime', 'Sum')]),
    );
    dashboard.addWidgets(
      graph('Command latency, average and max (ms)', [
        m.botPerDimension('commandLatency', 'Average'),
        m.botPerDimension('commandLatency', 'Maximum'),
      ]),
      graph('Commands and pulls', [m.botPerDimension('commandLatency', 'SampleCount')], [m.bot('pulls', 'Sum')]),
      graph('Errors', [m.bot('errorsTotal', 'Sum'), m.botPerDimension('errors', 'Sum')]),
    );
    dashboard.addWidgets(
      graph('Discord rate limits', [m.bot('rateLimitHeadroom', 'Minimum')], [m.bot('rest429', 'Sum')]),
      graph('Invalid requests / global limits', [m.bot('invalidRequests', 'Sum'), m.bot('globalRateLimitHits', 'Sum')]),
      graph('Gateway', [m.bot('gatewayLatency', 'Average')], [m.bot('gatewayReconnects', 'Sum')]),
    );
    dashboard.addWidgets(
      graph('Database latency (ms)', [m.bot('databaseLatency', 'Average'), m.bot('databaseLatency', 'Maximum')]),
      graph('Heartbeat', [m.bot('heartbeat', 'SampleCount')]),
      graph('Backups', [m.bot('backupSucceeded', 'Sum', Duration.hours(1))], [m.bot('backupAge', 'Maximum')]),
    );
    return dashboard;
  }
}
