/**
 * The operator's review, automated: the digest Lambda (app/notifier/weekly-digest.ts) run by two
 * EventBridge schedules — weekly (Monday 09:00 Asia/Tokyo) and monthly (the 1st, with the actual
 * cost next to the estimate). It needs no alarm of its own: a failed run counts as
 * `Errors{Kind=digest}` and `ErrorsTotal`, which the existing `bot-errors` alarm watches.
 * Least privilege: read metrics (no resource-level permissions), query exactly the three log groups,
 * Cost Explorer, SSM Patch Manager's patch summary of the hosts (their ids are passed in
 * INSTANCE_IDS, so no ec2:DescribeInstances), publish to the alarm topic, read the webhook
 * parameter when there is one, and PutMetricData only into the GachaBot namespace.
 */
import path from 'node:path';
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../app/contracts/metrics';

export interface OperatorDigestProps {
  readonly environment: string;
  /** The host whose EC2 and agent metrics the digest reads. */
  readonly instanceId: string;
  /** Every host, for its OS update state from SSM Patch Manager. */
  readonly instanceIds: readonly string[];
  readonly logGroups: { readonly access: logs.ILogGroup; readonly error: logs.ILogGroup; readonly app: logs.ILogGroup };
  readonly topic: sns.ITopic;
  /** `ja`, `en` or both, in the order the operator reads them. */
  readonly languages: readonly ('ja' | 'en')[];
  /** SSM parameter holding the Discord webhook URL, when the environment posts to Discord. */
  readonly webhookParameter?: string;
  readonly logRetention: logs.RetentionDays;
  /**
   * `npm run cost`'s monthly figure for this environment (the same cost model, priced from the
   * stack's own synthesized template), shown next to Cost Explorer's actual in the monthly digest.
   */
  readonly costEstimateUsd?: number;
}

/** When the digests run (Asia/Tokyo). */
export const DIGEST_SCHEDULES = {
  weekly: 'cron(0 9 ? * MON *)',
  monthly: 'cron(0 9 1 * ? *)',
} as const;

export class OperatorDigest extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OperatorDigestProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Operator digest: reads this environment's metrics, logs and cost, publishes to its topic",
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) }),
      );
    allow('OwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [logGroup.logGroupArn]);
    const groups = [props.logGroups.access, props.logGroups.error, props.logGroups.app];
    allow(
      'QueryOwnLogGroups',
      ['logs:StartQuery'],
      groups.map((g) =>
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: g.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    );
    allow(
      'ReadMetricsQueryResultsAndCost',
      ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'logs:GetQueryResults', 'ce:GetCostAndUsage'],
      ['*'],
    );
    // DescribeInstancePatchStates has no resource-level permissions and no condition keys: it
    // names the instances in its request, and only returns patch counts and times.
    allow('ReadHostPatchStates', ['ssm:DescribeInstancePatchStates'], ['*']);
    allow('CountOwnFailures', ['cloudwatch:PutMetricData'], ['*'], {
      StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE },
    });
    allow('PublishDigest', ['sns:Publish'], [props.topic.topicArn]);
    if (props.webhookParameter !== undefined) {
      allow(
        'ReadWebhookUrl',
        ['ssm:GetParameter'],
        [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.webhookParameter.slice(1) })],
      );
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', '..', 'app', 'notifier', 'weekly-digest.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Logs Insights queries over a week of logs, and one Discord Retry-After wait.
      timeout: Duration.minutes(2),
      retryAttempts: 0,
      role: this.role,
      logGroup,
      environment: {
        GACHA_ENV: props.environment,
        INSTANCE_ID: props.instanceId,
        INSTANCE_IDS: props.instanceIds.join(','),
        ACCESS_LOG_GROUP: props.logGroups.access.logGroupName,
        ERROR_LOG_GROUP: props.logGroups.error.logGroupName,
        APP_LOG_GROUP: props.logGroups.app.logGroupName,
        TOPIC_ARN: props.topic.topicArn,
        DIGEST_LANGUAGES: props.languages.join(','),
        ...(props.webhookParameter !== undefined ? { WEBHOOK_PARAMETER: props.webhookParameter } : {}),
        ...(props.costEstimateUsd !== undefined ? { COST_ESTIMATE_USD: props.costEstimateUsd.toFixed(2) } : {}),
      },
      depsLockFilePath: path.join(__dirname, '..', '..', 'package-lock.json'),
      bundling: { minify: true, target: 'node24', externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
    });

    const invoker = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler: run the operator digest',
    });
    invoker.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeDigest',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );
    for (const kind of ['weekly', 'monthly'] as const) {
      new scheduler.CfnSchedule(this, kind === 'weekly' ? 'Weekly' : 'Monthly', {
        description: `Operator digest (${kind})`,
        scheduleExpression: DIGEST_SCHEDULES[kind],
        scheduleExpressionTimezone: 'Asia/Tokyo',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: this.function.functionArn,
          roleArn: invoker.roleArn,
          input: JSON.stringify({ kind }),
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        },
      });
    }
  }
}
