/** The environment's CloudWatch dashboard: alarm states, then host and bot metrics side by side. */
import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { BotMetricFactory } from './bot-metric-factory';

export interface BotDashboardProps {
  readonly metrics: BotMetricFactory;
  readonly alarms: readonly cloudwatch.IAlarm[];
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
    dashboard.addWidgets(
      graph(
        'CPU % and credits',
        [m.ec2('CPUUtilization', 'Average', Duration.minutes(5))],
        [m.ec2('CPUCreditBalance', 'Minimum', Duration.minutes(5))],
      ),
      graph('Memory and swap %', [m.agent('memoryUsedPercent'), m.agent('swapUsedPercent')]),
      graph('Disk % (fuller of root and data volume)', [m.agent('diskUsedPercent')]),
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
    this.dashboard = dashboard;
  }
}
