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
import { LogShipping, SAVED_QUERIES, perHostQueries } from './log-shipping';

export interface MonitoringProps {
  readonly environment: string;
  /** The first host. */
  readonly instance: ec2.Instance;
  /**
   * Every host (the first included); each gets its own CPU, credit, memory, disk and status alarms,
   * and its own row of graphs on the dashboard.
   */
  readonly instances?: readonly ec2.Instance[];
  /** The gateway shards each host owns (shardRanges, same order as `instances`): dashboard titles. */
  readonly shardRanges?: readonly string[];
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
    const instances = props.instances ?? [props.instance];
    this.alarms = new Alarms(this, 'Alarms', {
      environment: props.environment,
      metrics,
      moreHosts: instances
        .filter((i) => i !== props.instance)
        .map((i) => new BotMetricFactory(props.environment, i.instanceId)),
      topic: props.topic,
      thresholds: props.thresholds,
      stoppedOnSchedule: props.stoppedOnSchedule ?? false,
      ...(props.notifier !== undefined ? { notifier: props.notifier } : {}),
    });
    if (props.dashboard) {
      const several = instances.length > 1;
      const ranges = props.shardRanges ?? [];
      const hosts = instances.map((instance, i) => ({
        metrics: instance === props.instance ? metrics : new BotMetricFactory(props.environment, instance.instanceId),
        ...(several
          ? {
              label: `Host ${i + 1} (${ranges[i] !== undefined ? `shards ${ranges[i]}, ` : ''}${instance.instanceId})`,
            }
          : {}),
      }));
      // Several hosts: the bot's per-period figures and its shards per host, from the logs.
      const shardsPerHost = Math.max(1, ...ranges.map(rangeSize));
      const queries = { ...SAVED_QUERIES, ...(several ? perHostQueries(shardsPerHost) : {}) };
      this.dashboard = new BotDashboard(this, 'Dashboard', {
        metrics,
        hosts,
        alarms: this.alarms.all(),
        queries: Object.entries(queries).map(([title, q]) => ({
          title,
          logGroupName: this.logs.logGroups[q.group].logGroupName,
          queryString: new logs.QueryString(q.query).toString(),
        })),
      });
    }
  }
}

/** Shards in a range as shardRanges writes it: `3` → 1, `0-1` → 2. */
function rangeSize(range: string): number {
  const [first, last] = range.split('-').map(Number);
  return last === undefined ? 1 : last - (first ?? last) + 1;
}
