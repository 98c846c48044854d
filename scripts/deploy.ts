/**
 * `npm run deploy -- --env staging|prod [--stacks Stack1,Stack2]` — the only way the pipeline and
 * the operator deploy: every stack goes through a change set that is refused (and deleted, exit 1)
 * if it would replace or delete the instance, its data volume or the attachment
 * (scripts/lib/guarded-deploy.ts). Needs AWS credentials, `npm run bundle` first, and AWS_REGION
 * unless the environment's region is set in lib/config/environments.ts.
 */
import { spawn } from 'node:child_process';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CHANGE_SET_PREFIX } from '../lib/config/deploy-access';
import { DeployUsageError, guardedDeploy, parseDeployArgs, plannedStacks } from './lib/guarded-deploy';

function runCdk(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'cdk', ...args], {
      stdio: 'inherit',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`cdk ${args.slice(0, 3).join(' ')} exited with ${signal ?? code}`));
    });
  });
}

async function main(): Promise<number> {
  const args = parseDeployArgs(process.argv.slice(2));
  const stacks = plannedStacks(args, process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION);
  const clients = new Map<string, CloudFormationClient>();
  const outcome = await guardedDeploy(stacks, {
    cdk: runCdk,
    cloudFormation: (region) => {
      const client = clients.get(region) ?? new CloudFormationClient({ region });
      clients.set(region, client);
      return client;
    },
    log: (line) => process.stderr.write(`${line}\n`),
    changeSetName: `${CHANGE_SET_PREFIX}${new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}`,
  });
  if (!outcome.ok) {
    process.stderr.write(`${outcome.message}\n`);
    return 1;
  }
  process.stderr.write(
    `deploy: ${args.environment} done (deployed: ${outcome.deployed.join(', ') || 'none'}; unchanged: ${outcome.unchanged.join(', ') || 'none'})\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof DeployUsageError ? '' : 'deploy failed: '}${String(error instanceof Error ? error.message : error)}\n`,
    );
    process.exitCode = error instanceof DeployUsageError ? 2 : 1;
  },
);
