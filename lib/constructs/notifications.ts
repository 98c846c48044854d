/**
 * Where alarms go: one SNS topic with the operator's e-mail subscription, plus an optional Lambda
 * that posts alarm state changes to a Discord webhook whose URL it reads from the environment's
 * SSM path at run time.
 *
 * The topic policy is the whole policy (it replaces SNS's default one), so it says everything:
 * CloudWatch may publish, but only for this account's alarms of this environment
 * (`aws:SourceAccount`, `aws:SourceArn`); the owning account may publish; nothing without TLS.
 * The topic is not KMS-encrypted: alarm texts are not secret, and with the AWS-managed
 * `alias/aws/sns` key CloudWatch could not publish at all (its key policy cannot grant
 * CloudWatch); a customer key would cost 1 USD/month and need a key policy for
 * `cloudwatch.amazonaws.com` (kms:Decrypt, kms:GenerateDataKey*).
 *
 * SNS invokes the Lambda asynchronously: Lambda retries a failed run twice, then sends the event
 * to an SQS dead-letter queue (kept 14 days) so no alarm is lost silently; the alarms construct
 * watches the function's errors.
 */
import path from 'node:path';
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_destinations as destinations,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SECRET_NAMES, secretParameterName } from '../../app/contracts/host';

/** Prefix of every alarm name of an environment (the topic accepts CloudWatch only for these). */
export function alarmNamePrefix(environment: string): string {
  return `gacha-bot-${environment}-`;
}

export interface NotificationsProps {
  readonly environment: string;
  readonly email?: string;
  readonly discordWebhook: boolean;
  readonly logRetention: logs.RetentionDays;
}

export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly webhookFunction?: nodejs.NodejsFunction;
  /** Alarm events the webhook Lambda could not deliver after its retries. */
  readonly webhookDeadLetters?: sqs.Queue;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Gacha bot ${props.environment} alarms`,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisEnvironment',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${alarmNamePrefix(props.environment)}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OwnerPublishes',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
    if (!props.discordWebhook) return;

    const parameterName = secretParameterName(props.environment, SECRET_NAMES.alarmWebhookUrl);
    const logGroup = new logs.LogGroup(this, 'WebhookLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'WebhookRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Posts alarm state changes to Discord: its log group and the webhook parameter only',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) })],
      }),
    );
    this.webhookDeadLetters = new sqs.Queue(this, 'WebhookDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.webhookFunction = new nodejs.NodejsFunction(this, 'WebhookFunction', {
      entry: path.join(__dirname, '..', '..', 'app', 'notifier', 'alarm-webhook.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      // Room for one Discord Retry-After wait (≤ 10 s) between two requests.
      timeout: Duration.seconds(30),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.webhookDeadLetters),
      role,
      logGroup,
      environment: { WEBHOOK_PARAMETER: parameterName },
      depsLockFilePath: path.join(__dirname, '..', '..', 'package-lock.json'),
      bundling: { minify: true, target: 'node24', externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.webhookFunction));
  }
}
