/**
 * Stops an instance on a schedule (EventBridge Scheduler's universal target for
 * `ec2:StopInstances`, no Lambda): staging exists to test releases, so it runs only while the
 * pipeline deploys and smoke-checks it (which starts it first and stops it after) or while someone
 * tests (`npm run staging:start`); the schedule stops whatever was left running. A stopped
 * instance bills its EBS volumes only: its auto-assigned public IPv4 address is released on stop
 * (a new one is assigned on start — the bot needs no fixed address, it dials out to Discord).
 */
import { Stack, aws_ec2 as ec2, aws_iam as iam, aws_scheduler as scheduler } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface StopScheduleProps {
  readonly instance: ec2.IInstance;
  /** EventBridge Scheduler expression, e.g. `cron(0 15 * * ? *)`. */
  readonly expression: string;
  readonly timezone: string;
}

export class StopSchedule extends Construct {
  readonly schedule: scheduler.CfnSchedule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: StopScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler: stop this environment instance outside test windows',
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StopOwnInstance',
        actions: ['ec2:StopInstances'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: props.instance.instanceId })],
      }),
    );
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: 'Stop the instance (staging runs only while deployed or tested)',
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances',
        roleArn: this.role.roleArn,
        input: stack.toJsonString({ InstanceIds: [props.instance.instanceId] }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
