/**
 * `npm run deploy -- --env staging|prod [--stacks A,B]`: deploys an environment's stacks in order,
 * each through a change set that is inspected before it runs.
 *
 * Per stack: the CDK CLI prepares a change set (`cdk deploy --method=prepare-change-set`, which
 * also publishes the assets), the guard describes it with the SDK, and
 * - no changes → the empty change set is deleted, next stack;
 * - a protected resource would be replaced or deleted → the change set is deleted and the deploy
 *   stops with a non-zero exit before anything changed;
 * - otherwise the CLI executes exactly that change set (`--method=execute-change-set`) and waits.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ENVIRONMENTS, type EnvironmentConfig, type EnvironmentName } from '../../lib/config/environments';
import { deleteChangeSet, describeChangeSet, describeRefusals, verdictOf } from './change-set-guard';

export class DeployUsageError extends Error {
  override readonly name = 'DeployUsageError';
}

export interface DeployArgs {
  readonly environment: EnvironmentName;
  /** Subset of the environment's stacks; undefined = all, in deploy order. */
  readonly stacks?: readonly string[];
}

export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  let environment: string | undefined;
  const stacks: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--env') environment = argv[++i];
    else if (arg === '--stacks') stacks.push(...(argv[++i] ?? '').split(',').filter((s) => s !== ''));
    else throw new DeployUsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (environment !== 'staging' && environment !== 'prod') {
    throw new DeployUsageError('usage: npm run deploy -- --env staging|prod [--stacks Stack1,Stack2]');
  }
  return { environment, ...(stacks.length > 0 ? { stacks } : {}) };
}

export interface PlannedStack {
  readonly stackName: string;
  /** Region the stack lives in. */
  readonly region: string;
}

/** The environment's stacks in deploy order (the backup-copy vault before the stack that uses it). */
export function plannedStacks(
  args: DeployArgs,
  defaultRegion: string | undefined,
  config?: EnvironmentConfig,
): PlannedStack[] {
  const env = config ?? ENVIRONMENTS[args.environment];
  const home = env.region ?? defaultRegion;
  if (home === undefined || home === '') {
    throw new DeployUsageError(`no region for ${env.name}: set region in lib/config/environments.ts or AWS_REGION`);
  }
  const all: PlannedStack[] = [
    ...(env.backupCopyRegion !== undefined
      ? [{ stackName: `${env.stackName}-backup-copy`, region: env.backupCopyRegion }]
      : []),
    { stackName: env.stackName, region: home },
  ];
  if (args.stacks === undefined) return all;
  for (const name of args.stacks) {
    if (!all.some((s) => s.stackName === name)) {
      throw new DeployUsageError(`${name} is not a stack of ${env.name} (${all.map((s) => s.stackName).join(', ')})`);
    }
  }
  return all.filter((s) => args.stacks?.includes(s.stackName));
}

/** Runs the CDK CLI (`npx cdk …`); resolves on exit 0, rejects otherwise. */
export type CdkRunner = (args: readonly string[]) => Promise<void>;

export interface DeployDeps {
  readonly cdk: CdkRunner;
  readonly cloudFormation: (region: string) => Pick<CloudFormationClient, 'send'>;
  readonly log: (line: string) => void;
  /** Change set name (unique per run). */
  readonly changeSetName: string;
}

const COMMON = ['--exclusively', '--require-approval', 'never', '--no-notices', '--progress', 'events'];

export type DeployOutcome =
  | { readonly ok: true; readonly deployed: readonly string[]; readonly unchanged: readonly string[] }
  | { readonly ok: false; readonly stackName: string; readonly message: string };

export async function guardedDeploy(stacks: readonly PlannedStack[], deps: DeployDeps): Promise<DeployOutcome> {
  const deployed: string[] = [];
  const unchanged: string[] = [];
  for (const stack of stacks) {
    const ref = { stackName: stack.stackName, changeSetName: deps.changeSetName };
    deps.log(`deploy: preparing a change set for ${stack.stackName} (${stack.region})`);
    await deps.cdk([
      'deploy',
      stack.stackName,
      '--method=prepare-change-set',
      '--change-set-name',
      deps.changeSetName,
      ...COMMON,
    ]);
    const cfn = deps.cloudFormation(stack.region);
    const verdict = verdictOf(await describeChangeSet(cfn, ref));
    switch (verdict.kind) {
      case 'no-changes':
        await deleteChangeSet(cfn, ref);
        deps.log(`deploy: ${stack.stackName} has no changes`);
        unchanged.push(stack.stackName);
        continue;
      case 'failed':
        await deleteChangeSet(cfn, ref);
        return { ok: false, stackName: stack.stackName, message: `deploy: ${stack.stackName}: ${verdict.reason}` };
      case 'refused':
        await deleteChangeSet(cfn, ref);
        return { ok: false, stackName: stack.stackName, message: describeRefusals(stack.stackName, verdict.refusals) };
      case 'safe':
        deps.log(`deploy: ${stack.stackName}: ${verdict.changes} change(s), none replaces or deletes data; executing`);
        await deps.cdk([
          'deploy',
          stack.stackName,
          '--method=execute-change-set',
          '--change-set-name',
          deps.changeSetName,
          ...COMMON,
        ]);
        deployed.push(stack.stackName);
    }
  }
  return { ok: true, deployed, unchanged };
}
