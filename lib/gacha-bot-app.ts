/**
 * Builds the CDK app: per environment a `GachaBot-<env>` stack (plus, where snapshots are copied
 * to another region, its small vault stack), cdk-nag AwsSolutions checks and the acknowledged
 * findings. Shared by bin/gacha-bot.ts and the tests.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENTS, type EnvironmentConfig, withOperatorSettings } from './config/environments';
import { deployAccessFor } from './config/deploy-access';
import { acknowledgeDeployAccessFindings, acknowledgeFindings } from './nag-acknowledgements';
import { DeployAccessStack } from './stacks/deploy-access-stack';
import { BackupCopyStack } from './stacks/backup-copy-stack';
import { GachaBotStack } from './stacks/gacha-bot-stack';

export interface BuildOptions {
  readonly bundleDir: string;
  /** Account/region for deploys; omitted for the offline synth (env-agnostic stacks). */
  readonly env?: Environment;
  readonly operatorEnv?: NodeJS.ProcessEnv;
  /** Run cdk-nag during synth (on for `cdk synth`/deploy; tests assert on templates directly). */
  readonly nag?: boolean;
  readonly configs?: readonly EnvironmentConfig[];
}

export interface BuiltApp {
  readonly stacks: readonly GachaBotStack[];
  readonly copyStacks: readonly BackupCopyStack[];
  readonly deployAccess: DeployAccessStack;
}

export function buildGachaBotApp(app: App, options: BuildOptions): BuiltApp {
  if (!existsSync(path.join(options.bundleDir, 'index.js'))) {
    throw new Error(`no bot bundle in ${options.bundleDir}: run \`npm run bundle\` before synth or deploy`);
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks: GachaBotStack[] = [];
  const copyStacks: BackupCopyStack[] = [];
  for (const base of options.configs ?? Object.values(ENVIRONMENTS)) {
    const config = withOperatorSettings(base, options.operatorEnv ?? {});
    const stack = new GachaBotStack(app, config.stackName, {
      config,
      bundleDir: options.bundleDir,
      description: `Gacha bot (${config.name}): host, database, release, monitoring, backups`,
      ...(options.env ? { env: options.env } : {}),
    });
    if (config.backupCopyRegion !== undefined) {
      const copy = new BackupCopyStack(app, `${config.stackName}-backup-copy`, {
        environment: config.name,
        description: `Gacha bot (${config.name}): vault for cross-region snapshot copies`,
        env: {
          ...(options.env?.account !== undefined ? { account: options.env.account } : {}),
          region: config.backupCopyRegion,
        },
      });
      stack.addStackDependency(copy);
      copyStacks.push(copy);
    }
    acknowledgeFindings(stack, config);
    stacks.push(stack);
  }
  const access = deployAccessFor(options.operatorEnv ?? {});
  const deployAccess = new DeployAccessStack(app, access.stackName, {
    access,
    botStackNames: [...stacks, ...copyStacks].map((s) => s.stackName),
    description: 'Gacha bot CI/CD: GitHub OIDC provider and the deploy role',
    ...(options.env ? { env: options.env } : {}),
  });
  acknowledgeDeployAccessFindings(deployAccess);
  return { stacks, copyStacks, deployAccess };
}
