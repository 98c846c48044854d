/** `npm run synth` — offline `cdk synth` of every environment's stack (no credentials, no lookups). */
import { execFileSync } from 'node:child_process';

const env = {
  ...process.env,
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
  CDK_DEFAULT_ACCOUNT: '',
  CDK_DEFAULT_REGION: '',
};
execFileSync('npx', ['--no-install', 'cdk', 'synth', '--quiet', '--no-notices', '--output', 'cdk.out'], {
  env,
  stdio: 'inherit',
});
process.stdout.write('synth: templates in cdk.out/\n');
