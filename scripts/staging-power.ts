/**
 * `npm run staging:start` / `npm run staging:stop` — start staging's instance (waits until it runs)
 * or stop it. Needs AWS credentials of staging's account and AWS_REGION unless staging's region is
 * set in lib/config/environments.ts. The deploy pipeline starts it before a deploy and stops it
 * after the smoke check; staging's StopSchedule stops what was left running every evening.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ENVIRONMENTS } from '../lib/config/environments';
import { startInstance, stopInstance } from './lib/staging-power';

async function main(): Promise<number> {
  const action = process.argv[2];
  if (action !== 'start' && action !== 'stop') {
    process.stderr.write('usage: staging-power.ts start|stop\n');
    return 2;
  }
  const config = ENVIRONMENTS.staging;
  const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    process.stderr.write('staging-power: set AWS_REGION (staging has no region in lib/config/environments.ts)\n');
    return 2;
  }
  const deps = {
    cloudFormation: new CloudFormationClient({ region }),
    ec2: new EC2Client({ region }),
    log: (line: string) => process.stderr.write(`staging-power: ${line}\n`),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
  await (action === 'start' ? startInstance : stopInstance)(config.stackName, deps);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`staging-power: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
