/**
 * Starts and stops an environment's instance (staging runs only while deployed or tested; its
 * StopSchedule stops what was left running). The instance is found through its stack's
 * `InstanceId` output, so a replaced instance is followed; a stack that does not exist yet (first
 * deploy) is nothing to start.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeInstancesCommand,
  type EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';

export interface PowerDeps {
  readonly cloudFormation: Pick<CloudFormationClient, 'send'>;
  readonly ec2: Pick<EC2Client, 'send'>;
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  /** Polls before giving up (every `pollMs`). */
  readonly maxPolls?: number;
  readonly pollMs?: number;
}

export type PowerOutcome = 'no-stack' | 'already' | 'started' | 'stopped';

async function instanceOf(stackName: string, deps: PowerDeps): Promise<string | undefined> {
  try {
    const answer = await deps.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const id = answer.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'InstanceId')?.OutputValue;
    if (!id) throw new Error(`${stackName} has no InstanceId output`);
    return id;
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

async function stateOf(instanceId: string, deps: PowerDeps): Promise<string> {
  const answer = await deps.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const state = answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  if (!state) throw new Error(`instance ${instanceId} not found`);
  return state;
}

async function waitFor(instanceId: string, wanted: string, deps: PowerDeps): Promise<void> {
  const polls = deps.maxPolls ?? 60;
  for (let i = 0; i < polls; i++) {
    const state = await stateOf(instanceId, deps);
    if (state === wanted) return;
    if (state === 'terminated' || state === 'shutting-down') throw new Error(`instance ${instanceId} is ${state}`);
    await deps.sleep(deps.pollMs ?? 5_000);
  }
  throw new Error(`instance ${instanceId} did not reach ${wanted} in time`);
}

/** Starts the instance and waits until it runs (a stopping instance is first let stop). */
export async function startInstance(stackName: string, deps: PowerDeps): Promise<PowerOutcome> {
  const id = await instanceOf(stackName, deps);
  if (id === undefined) {
    deps.log(`${stackName} does not exist yet: nothing to start`);
    return 'no-stack';
  }
  let state = await stateOf(id, deps);
  if (state === 'running') {
    deps.log(`${id} is already running`);
    return 'already';
  }
  if (state === 'stopping') {
    await waitFor(id, 'stopped', deps);
    state = 'stopped';
  }
  if (state === 'stopped') await deps.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  await waitFor(id, 'running', deps);
  deps.log(`${id} is running`);
  return 'started';
}

/** Asks the instance to stop (does not wait: stopping takes a minute and bills nothing more). */
export async function stopInstance(stackName: string, deps: PowerDeps): Promise<PowerOutcome> {
  const id = await instanceOf(stackName, deps);
  if (id === undefined) {
    deps.log(`${stackName} does not exist: nothing to stop`);
    return 'no-stack';
  }
  const state = await stateOf(id, deps);
  if (state === 'stopped' || state === 'stopping') {
    deps.log(`${id} is already ${state}`);
    return 'already';
  }
  await deps.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  deps.log(`${id} is stopping`);
  return 'stopped';
}
