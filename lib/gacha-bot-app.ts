/**
 * Builds the CDK app: per environment a `GachaBot-<env>` stack (plus, where snapshots are copied
 * to another region, its small vault stack) and a `GachaBot-<env>-deploy-access` stack (the
 * environment's GitHub OIDC deploy role), cdk-nag AwsSolutions checks and the acknowledged
 * findings. Shared by bin/gacha-bot.ts and the tests.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Token, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEPLOY_ACCESS, type DeployAccessConfig, deployAccessFor } from './config/deploy-access';
import { ENVIRONMENTS, type EnvironmentConfig, stackEnvironment, withOperatorSettings } from './config/environments';
import { acknowledgeDeployAccessFindings, acknowledgeFindings } from './nag-acknowledgements';
import { BackupCopyStack } from './stacks/backup-copy-stack';
import { DeployAccessStack } from './stacks/deploy-access-stack';
import { GachaBotStack } from './stacks/gacha-bot-stack';
import { type CfnTemplate, PRICES, priceTemplate, total } from '../scripts/lib/cost-model';

export interface BuildOptions {
  readonly bundleDir: string;
  /**
   * Account/region of the CLI (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`), used where an
   * environment's config names none; omitted for the offline synth (env-agnostic stacks).
   */
  readonly env?: { readonly account?: string; readonly region?: string };
  readonly operatorEnv?: NodeJS.ProcessEnv;
  /** Run cdk-nag during synth (on for `cdk synth`/deploy; tests assert on templates directly). */
  readonly nag?: boolean;
  readonly configs?: readonly EnvironmentConfig[];
  readonly deployAccess?: DeployAccessConfig;
  /**
   * Price each bot stack with `npm run cost`'s model and hand the figure to its operator digest
   * (COST_ESTIMATE_USD): the app is synthesized once more into a scratch directory first (the
   * figure does not change what it prices). Default on; the tests turn it off for speed.
   */
  readonly costEstimate?: boolean;
}

/**
 * Monthly estimate per stack name, from the same cost model as `npm run cost`: its list price in
 * the stack's region (us-east-1 prices for an env-agnostic stack), with CloudWatch's free tier
 * when the environment has an account of its own (the free tier is per account).
 */
export function estimateCosts(app: App, options: BuildOptions): Map<string, number> {
  const context: Record<string, unknown> = { ...(app.node.getAllContext() as Record<string, unknown>) };
  const scratch = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'gacha-cost-')), context });
  const built = buildGachaBotApp(scratch, { ...options, nag: false, costEstimate: false });
  const assembly = scratch.synth();
  const estimates = new Map<string, number>();
  for (const stack of built.stacks) {
    const template = assembly.getStackByName(stack.stackName).template as CfnTemplate;
    const region = Token.isUnresolved(stack.region) ? 'us-east-1' : stack.region;
    const prices = PRICES[region] ?? PRICES['us-east-1'];
    if (!prices) throw new Error('no us-east-1 prices');
    const config = (options.configs ?? Object.values(ENVIRONMENTS)).find((c) => c.stackName === stack.stackName);
    estimates.set(stack.stackName, total(priceTemplate(template, prices), config?.account !== undefined));
  }
  return estimates;
}

export interface BuiltApp {
  readonly stacks: readonly GachaBotStack[];
  readonly copyStacks: readonly BackupCopyStack[];
  readonly deployAccess: readonly DeployAccessStack[];
}

export function buildGachaBotApp(app: App, options: BuildOptions): BuiltApp {
  if (!existsSync(path.join(options.bundleDir, 'index.js'))) {
    throw new Error(`no bot bundle in ${options.bundleDir}: run \`npm run bundle\` before synth or deploy`);
  }
  const costs = (options.costEstimate ?? true) ? estimateCosts(app, options) : new Map<string, number>();
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const access = deployAccessFor(options.operatorEnv ?? {}, options.deployAccess ?? DEPLOY_ACCESS);
  const stacks: GachaBotStack[] = [];
  const copyStacks: BackupCopyStack[] = [];
  const deployAccess: DeployAccessStack[] = [];
  for (const base of options.configs ?? Object.values(ENVIRONMENTS)) {
    const config = withOperatorSettings(base, options.operatorEnv ?? {});
    const env = stackEnvironment(config, options.env);
    const stack = new GachaBotStack(app, config.stackName, {
      config,
      bundleDir: options.bundleDir,
      ...(costs.has(config.stackName) ? { costEstimateUsd: costs.get(config.stackName) } : {}),
      description: `Gacha bot (${config.name}): host, database, release, monitoring, backups`,
      ...(env ? { env } : {}),
    });
    let copy: BackupCopyStack | undefined;
    if (config.backupCopyRegion !== undefined) {
      copy = new BackupCopyStack(app, `${config.stackName}-backup-copy`, {
        environment: config.name,
        description: `Gacha bot (${config.name}): vault for cross-region snapshot copies`,
        env: { ...(env ? { account: env.account } : {}), region: config.backupCopyRegion },
      });
      stack.addStackDependency(copy);
      copyStacks.push(copy);
    }
    acknowledgeFindings(stack, config);
    stacks.push(stack);

    const role = access.environments[config.name];
    const accessStack = new DeployAccessStack(app, role.stackName, {
      environment: config.name,
      access,
      role,
      botStacks: [
        ...(copy ? [{ stackName: copy.stackName, region: copy.region }] : []),
        { stackName: stack.stackName },
      ],
      documentNames: [stack.release.healthDocument, stack.release.rollbackDocument].map((d) => {
        if (d.name === undefined) throw new Error('release documents must have fixed names');
        return d.name;
      }),
      description: `Gacha bot CI/CD (${config.name}): the GitHub OIDC deploy role of the ${role.githubEnvironment} environment`,
      ...(env ? { env } : {}),
    });
    acknowledgeDeployAccessFindings(accessStack);
    deployAccess.push(accessStack);
  }
  // In a shared account the stack that reuses GitHub's provider deploys after the one creating it.
  const creator = deployAccess.find((s) => s.node.tryFindChild('GitHubOidc') !== undefined);
  for (const s of deployAccess) {
    if (creator && s !== creator && s.node.tryFindChild('GitHubOidc') === undefined && sameAccount(s, creator)) {
      s.addStackDependency(creator);
    }
  }
  return { stacks, copyStacks, deployAccess };
}

function sameAccount(a: DeployAccessStack, b: DeployAccessStack): boolean {
  return a.account === b.account;
}
