/**
 * The environment's CloudWatch dashboard (optional: 3 USD a month beyond an account's first three):
 * alarm states, host and bot metrics, and Logs Insights widgets for what only the logs carry
 * (per-command latency, pulls, database and gateway latency). With several hosts every host gets
 * its own row of CPU, memory and disk graphs, and Logs Insights tables split the bot's figures and
 * its gateway shards by host (the bot's CloudWatch series stay per environment).
 */
import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { BotMetricFactory } from './bot-metric-factory';

/** One host's graphs: its metrics, and a title prefix when there are several hosts. */
export interface DashboardHost {
  readonly metrics: BotMetricFactory;
  /** e.g. `Host 2 (shards 2-3, i-0abc…)`; undefined for a single host (titles as they always were). */
  readonly label?: string;
}

export interface BotDashboardProps {
  /** The environment-wide bot metrics. */
  readonly metrics: BotMetricFactory;
  /** Every host, the first one first. */
  readonly hosts: readonly DashboardHost[];
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Logs Insights tables (the saved queries of log-shipping.ts). */
  readonly queries: readonly { readonly title: string; readonly logGroupName: string; readonly queryString: string }[];
}

export class BotDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BotDashboardProps) {
    super(scope, id);
    const m = props.metrics;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }),
    );
    for (const host of props.hosts) {
      const h = host.metrics;
      const title = (what: string) => (host.label === undefined ? what : `${host.label}: ${what}`);
      dashboard.addWidgets(
        graph(
          title('CPU % and credits'),
          [h.ec2('CPUUtilization', 'Average', Duration.minutes(5))],
          [h.ec2('CPUCreditBalance', 'Minimum', Duration.minutes(5))],
        ),
        graph(title('Memory %'), [h.agent('memoryUsedPercent')]),
        graph(title('Disk % (fuller of root and data volume)'), [h.agent('diskUsedPercent')]),
      );
    }
    dashboard.addWidgets(
      graph('Command latency p50 / p99 (ms), all commands', [
        m.bot('commandLatency', 'p50'),
        m.bot('commandLatency', 'p99'),
      ]),
      graph('Interactions and errors', [m.bot('commandLatency', 'SampleCount')], [m.bot('errorsTotal', 'Sum')]),
      graph(
        'Discord rate limits (headroom only when below 50 %)',
        [m.bot('rateLimitHeadroom', 'Minimum')],
        [m.bot('rest429', 'Sum'), m.bot('invalidRequests', 'Sum')],
      ),
    );
    dashboard.addWidgets(
      ...props.queries.map(
        (q) =>
          new cloudwatch.LogQueryWidget({
            title: q.title,
            logGroupNames: [q.logGroupName],
            queryString: q.queryString,
            view: cloudwatch.LogQueryVisualizationType.TABLE,
            width: 12,
            height: 6,
          }),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Heartbeat and projection lag (s, only when behind)',
        [m.bot('heartbeat', 'SampleCount')],
        [m.bot('projectionLag', 'Maximum')],
      ),
      graph('Backups', [m.bot('backupSucceeded', 'Sum', Duration.hours(1))], [m.bot('backupAge', 'Maximum')]),
    );
    this.dashboard = dashboard;
  }
}
