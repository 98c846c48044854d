/**
 * Watching the host and the bot, composed of three parts with one concern each: log shipping
 * (log groups, the agent's configuration and its permissions), the alarms, and (where configured)
 * the dashboard.
 */
import { aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AlarmThresholds } from '../config/environments';
import { Alarms } from './alarms';
import { BotMetricFactory } from './bot-metric-factory';
import { BotDashboard } from './dashboard';
import { LogShipping, SAVED_QUERIES } from './log-shipping';

export interface MonitoringProps {
  readonly environment: string;
  /** The first host: its metrics feed the dashboard. */
  readonly instance: ec2.Instance;
  /** Every host (the first included); each gets its own CPU, credit, memory, disk and status alarms. */
  readonly instances?: readonly ec2.Instance[];
  readonly hostRole: iam.IRole;
  readonly topic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  readonly retainLogs: boolean;
  readonly thresholds: AlarmThresholds;
  readonly dashboard: boolean;
  readonly notifier?: lambda.IFunction;
  /** The instance is stopped on a schedule (staging): missing data is not an alarm. */
  readonly stoppedOnSchedule?: boolean;
}

export class Monitoring extends Construct {
  readonly logs: LogShipping;
  readonly alarms: Alarms;
  readonly dashboard?: BotDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.logs = new LogShipping(this, 'Logs', {
      environment: props.environment,
      hostRole: props.hostRole,
      logRetention: props.logRetention,
      retainLogs: props.retainLogs,
    });
    const metrics = new BotMetricFactory(props.environment, props.instance.instanceId);
    this.alarms = new Alarms(this, 'Alarms', {
      environment: props.environment,
      metrics,
      moreHosts: (props.instances ?? [props.instance])
        .filter((i) => i !== props.instance)
        .map((i) => new BotMetricFactory(props.environment, i.instanceId)),
      topic: props.topic,
      thresholds: props.thresholds,
      stoppedOnSchedule: props.stoppedOnSchedule ?? false,
      ...(props.notifier !== undefined ? { notifier: props.notifier } : {}),
    });
    if (props.dashboard) {
      this.dashboard = new BotDashboard(this, 'Dashboard', {
        metrics,
        alarms: this.alarms.all(),
        queries: Object.entries(SAVED_QUERIES).map(([title, q]) => ({
          title,
          logGroupName: this.logs.logGroups[q.group].logGroupName,
          queryString: new logs.QueryString(q.query).toString(),
        })),
      });
    }
  }
}
