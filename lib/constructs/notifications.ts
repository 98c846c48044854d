/**
 * Where alarms go: one SNS topic (TLS-only publishing) with the operator's e-mail subscription,
 * plus an optional Lambda that posts alarm state changes to a Discord webhook whose URL it reads
 * from the environment's SSM path at run time.
 */
import path from 'node:path';
import {
  Duration,
  RemovalPolicy,
  Stack,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SECRET_NAMES, secretParameterName } from '../../app/contracts/host';

export interface NotificationsProps {
  readonly environment: string;
  readonly email?: string;
  readonly discordWebhook: boolean;
  readonly logRetention: logs.RetentionDays;
}

export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly webhookFunction?: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Gacha bot ${props.environment} alarms`,
      enforceSSL: true,
    });
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
        resources: [
          Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) }),
        ],
      }),
    );
    this.webhookFunction = new nodejs.NodejsFunction(this, 'WebhookFunction', {
      entry: path.join(__dirname, '..', '..', 'app', 'notifier', 'alarm-webhook.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      timeout: Duration.seconds(15),
      role,
      logGroup,
      environment: { WEBHOOK_PARAMETER: parameterName },
      depsLockFilePath: path.join(__dirname, '..', '..', 'package-lock.json'),
      bundling: { minify: true, target: 'node24', externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.webhookFunction));
  }
}
