/**
 * CloudWatch metric objects for the alarms and the dashboard, built from the bot's metric contract
 * (app/contracts/metrics.ts) and the agent's metric names, so names and dimensions cannot drift.
 */
import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { DIMENSION_ENVIRONMENT, METRICS, METRICS_NAMESPACE, type MetricKey } from '../../app/contracts/metrics';
import { AGENT_METRICS, AGENT_NAMESPACE } from './cloudwatch-agent-config';

export class BotMetricFactory {
  constructor(
    private readonly environment: string,
    private readonly instanceId: string,
  ) {}

  /**
   * A bot metric with the Environment dimension (the environment-wide series). No unit filter: an
   * alarm with a unit ignores datapoints published without it.
   */
  bot(key: MetricKey, statistic: string, period: Duration = Duration.minutes(1)): cloudwatch.Metric {
    const definition = METRICS[key];
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: definition.name,
      dimensionsMap: { [DIMENSION_ENVIRONMENT]: this.environment },
      statistic,
      period,
    });
  }

  agent(name: keyof typeof AGENT_METRICS, statistic = 'Maximum'): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: AGENT_NAMESPACE,
      metricName: AGENT_METRICS[name],
      dimensionsMap: { InstanceId: this.instanceId },
      statistic,
      period: Duration.minutes(1),
    });
  }

  ec2(metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/EC2',
      metricName,
      dimensionsMap: { InstanceId: this.instanceId },
      statistic,
      period,
    });
  }
}
