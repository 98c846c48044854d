/**
 * `npm run staging:start` / `staging:stop` (scripts/lib/staging-power.ts) against stubbed
 * CloudFormation and EC2 answers (aws-sdk-client-mock), and staging's stop schedule in the
 * synthesized template.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeInstancesCommand,
  EC2Client,
  type InstanceStateName,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { Match } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { type PowerDeps, startInstance, stopInstance } from '../../scripts/lib/staging-power';
import { templateFor } from '../infra/synth-fixture';

const STACK = 'GachaBot-staging';
const ID = 'i-0123456789abcdef0';
const state = (name: InstanceStateName) => ({
  Reservations: [{ Instances: [{ InstanceId: ID, State: { Name: name } }] }],
});

function setup() {
  const cfn = mockClient(CloudFormationClient);
  const ec2 = mockClient(EC2Client);
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [{ OutputKey: 'InstanceId', OutputValue: ID }],
      },
    ],
  });
  const lines: string[] = [];
  const deps: PowerDeps = {
    cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    ec2: new EC2Client({ region: 'us-east-1' }),
    log: (line) => lines.push(line),
    sleep: () => Promise.resolve(),
    maxPolls: 5,
  };
  return { cfn, ec2, deps, lines };
}

describe('staging power', () => {
  afterEach(() => {
    mockClient(CloudFormationClient).restore();
    mockClient(EC2Client).restore();
  });

  it('starts a stopped instance and waits until it runs', async () => {
    const { ec2, deps } = setup();
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(state('stopped'))
      .resolvesOnce(state('pending'))
      .resolvesOnce(state('pending'))
      .resolves(state('running'));
    expect(await startInstance(STACK, deps)).toBe('started');
    expect(ec2.commandCalls(StartInstancesCommand).map((c) => c.args[0].input)).toEqual([{ InstanceIds: [ID] }]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(4);
  });

  it('lets a stopping instance stop first, leaves a running one alone', async () => {
    const { ec2, deps } = setup();
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(state('stopping'))
      .resolvesOnce(state('stopping'))
      .resolvesOnce(state('stopped'))
      .resolves(state('running'));
    expect(await startInstance(STACK, deps)).toBe('started');
    expect(ec2.commandCalls(StartInstancesCommand)).toHaveLength(1);

    const again = setup();
    again.ec2.on(DescribeInstancesCommand).resolves(state('running'));
    expect(await startInstance(STACK, again.deps)).toBe('already');
    expect(again.ec2.commandCalls(StartInstancesCommand)).toHaveLength(0);
  });

  it('fails when the instance never runs or is terminated', async () => {
    const { ec2, deps } = setup();
    ec2.on(DescribeInstancesCommand).resolvesOnce(state('stopped')).resolves(state('pending'));
    await expect(startInstance(STACK, deps)).rejects.toThrow(/did not reach running in time/);
    const gone = setup();
    gone.ec2.on(DescribeInstancesCommand).resolves(state('terminated'));
    await expect(startInstance(STACK, gone.deps)).rejects.toThrow(/is terminated/);
  });

  it('has nothing to start before the first deploy', async () => {
    const { cfn, ec2, deps, lines } = setup();
    cfn.on(DescribeStacksCommand).rejects(new Error(`Stack with id ${STACK} does not exist`));
    expect(await startInstance(STACK, deps)).toBe('no-stack');
    expect(ec2.calls()).toHaveLength(0);
    expect(lines.join('\n')).toMatch(/does not exist yet/);
  });

  it('stops a running instance, and does nothing to a stopped one', async () => {
    const { ec2, deps } = setup();
    ec2.on(DescribeInstancesCommand).resolves(state('running'));
    expect(await stopInstance(STACK, deps)).toBe('stopped');
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input)).toEqual([{ InstanceIds: [ID] }]);
    const stopped = setup();
    stopped.ec2.on(DescribeInstancesCommand).resolves(state('stopped'));
    expect(await stopInstance(STACK, stopped.deps)).toBe('already');
    expect(stopped.ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });
});

describe('the stop schedule', () => {
  it('stops staging every evening with a role that may stop only its instance; prod has none', () => {
    const staging = templateFor('staging');
    staging.resourceCountIs('AWS::Scheduler::Schedule', 1); // (no digest in staging)
    staging.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 21 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      State: Match.absent(),
      Target: Match.objectLike({ Arn: 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances' }),
    });
    const policies = staging.findResources('AWS::IAM::Policy');
    const stop = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Sid?: string; Action: unknown }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(stop.filter((s) => s.Sid === 'StopOwnInstance').map((s) => s.Action)).toEqual(['ec2:StopInstances']);
    const prodSchedules = Object.values(templateFor('prod').findResources('AWS::Scheduler::Schedule'));
    expect(JSON.stringify(prodSchedules)).not.toContain('stopInstances');
  });
});
