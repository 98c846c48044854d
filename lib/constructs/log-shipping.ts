/**
 * What the CloudWatch agent on the host needs: a log group (with retention) for every file it
 * ships, its configuration as an SSM parameter (named so CloudWatch's convention finds it), and
 * the host role's permission to publish metrics to the bot/agent namespaces and write those groups.
 *
 * The log groups have generated names (see the stack outputs): in prod they are retained when the
 * stack is deleted, and a retained resource with a fixed name would block re-creating the stack.
 */
import { RemovalPolicy, aws_iam as iam, aws_logs as logs, aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { agentConfigParameterName } from '../../app/contracts/host';
import {
  GATEWAY_SHARDS_LOG_MESSAGE,
  METRICS,
  METRICS_NAMESPACE,
  METRICS_PERIOD_LOG_MESSAGE,
} from '../../app/contracts/metrics';
import { AGENT_NAMESPACE, SHIPPED_LOGS, type ShippedLog, agentConfig } from './cloudwatch-agent-config';

/**
 * Logs Insights queries saved in the console: per-command latency from the access log (one line
 * per interaction), and the figures the bot writes only to its `metrics period` log line.
 */
export const SAVED_QUERIES: Readonly<
  Record<string, { readonly group: ShippedLog; readonly query: logs.QueryStringProps }>
> = {
  'command-latency': {
    group: 'access',
    query: {
      filterStatements: ['ispresent(latencyMs)'],
      statsStatements: [
        'count(*) as interactions, pct(latencyMs, 50) as p50, pct(latencyMs, 99) as p99, max(latencyMs) as worst by command',
      ],
      sort: 'interactions desc',
    },
  },
  'metrics-per-hour': {
    group: 'app',
    query: {
      filterStatements: [`msg = '${METRICS_PERIOD_LOG_MESSAGE}'`],
      statsStatements: [
        'sum(metrics.Pulls.sum) as pulls, max(metrics.DatabaseLatency.max) as dbMaxMs, max(metrics.GatewayHeartbeatLatency.max) as gatewayMaxMs, min(metrics.DiscordRateLimitHeadroom.min) as minHeadroom by bin(1h)',
      ],
    },
  },
};

/**
 * Per-host tables for an environment of several hosts (the dashboard's): each host ships its app
 * log to the stream named by its instance id, so `by @logStream` splits the bot's own per-period
 * lines by process — its figures, and each owned shard's status, worst heartbeat latency and
 * reconnects — without a billed metric series per host or shard (app/metrics/bot-metrics.ts).
 * `shardsPerHost` is the most shards one host owns: the logged `shards` array is read by position.
 */
export function perHostQueries(
  shardsPerHost: number,
): Record<string, { readonly group: ShippedLog; readonly query: logs.QueryStringProps }> {
  const m = (key: keyof typeof METRICS) => `metrics.${METRICS[key].name}`;
  const positions = Array.from({ length: shardsPerHost }, (_, p) => p);
  return {
    'per-host': {
      group: 'app',
      query: {
        filterStatements: [`msg = '${METRICS_PERIOD_LOG_MESSAGE}'`],
        statsStatements: [
          `count(*) as periods, sum(${m('pulls')}.sum) as pulls, sum(${m('commandLatency')}.count) as interactions, ` +
            `max(${m('commandLatency')}.max) as worstMs, sum(${m('errorsTotal')}.sum) as errors, ` +
            `max(${m('gatewayLatency')}.max) as gatewayMaxMs, sum(${m('gatewayReconnects')}.sum) as reconnects, ` +
            `max(${m('databaseLatency')}.max) as dbMaxMs, min(${m('rateLimitHeadroom')}.min) as minHeadroom by @logStream`,
        ],
      },
    },
    ...(shardsPerHost > 1
      ? {
          'shards-per-host': {
            group: 'app' as const,
            query: {
              filterStatements: [`msg = '${GATEWAY_SHARDS_LOG_MESSAGE}'`],
              statsStatements: [
                positions
                  .map(
                    (p) =>
                      `latest(shards.${p}.id) as shard${p}, latest(shards.${p}.status) as status${p}, ` +
                      `max(shards.${p}.pingMs) as worstPingMs${p}, sum(shards.${p}.reconnects) as reconnects${p}`,
                  )
                  .join(', ') + ' by @logStream',
              ],
            },
          },
        }
      : {}),
  };
}

export interface LogShippingProps {
  readonly environment: string;
  readonly hostRole: iam.IRole;
  readonly logRetention: logs.RetentionDays;
  /** Keep the log groups when the stack is deleted (prod). */
  readonly retainLogs: boolean;
}

export class LogShipping extends Construct {
  readonly logGroups: Readonly<Record<ShippedLog, logs.LogGroup>>;
  readonly agentConfigParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    const removalPolicy = props.retainLogs ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
    const keys = Object.keys(SHIPPED_LOGS) as ShippedLog[];
    const groups = Object.fromEntries(
      keys.map((key) => [
        key,
        new logs.LogGroup(this, `${key[0]?.toUpperCase() ?? ''}${key.slice(1)}Logs`, {
          retention: props.logRetention,
          removalPolicy,
        }),
      ]),
    ) as Record<ShippedLog, logs.LogGroup>;
    this.logGroups = groups;
    const groupNames = Object.fromEntries(keys.map((k) => [k, groups[k].logGroupName])) as Record<ShippedLog, string>;
    this.agentConfigParameter = new ssm.StringParameter(this, 'AgentConfig', {
      parameterName: agentConfigParameterName(props.environment),
      description: 'CloudWatch agent configuration of the gacha bot host',
      stringValue: JSON.stringify(agentConfig(groupNames)),
    });
    this.grant(props.hostRole);
    // Saved Logs Insights queries (free to keep; a query costs 0.005 USD per GB it scans): what
    // CloudWatch metrics no longer carry per command or at all.
    for (const [name, query] of Object.entries(SAVED_QUERIES)) {
      new logs.QueryDefinition(this, `Query${name.replace(/[^A-Za-z]/g, '')}`, {
        queryDefinitionName: `gacha-bot-${props.environment}/${name}`,
        queryString: new logs.QueryString({ ...query.query }),
        logGroups: [groups[query.group]],
      });
    }
  }

  /** What the agent and the bot need: publish metrics to their namespaces, write their log groups. */
  private grant(role: iam.IRole): void {
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
}
