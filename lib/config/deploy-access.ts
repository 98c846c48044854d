/**
 * Who may deploy: the GitHub repository whose Actions assume a deploy role through OIDC, one role
 * per environment, each trusting only its own GitHub environment (`staging`, `prod`), so a job
 * outside the protected `prod` environment can never obtain prod's role. Each GitHub environment
 * carries its role's ARN in its `AWS_DEPLOY_ROLE_ARN` variable.
 *
 * Set DEPLOY_GITHUB_REPOSITORY=owner/name when deploying the `GachaBot-<env>-deploy-access`
 * stacks if the repository is not the default below.
 */
import type { EnvironmentName } from './environments';

/**
 * GitHub's OIDC identity provider (one per account and URL):
 * - `create`: the deploy-access stack creates it (the account has none yet);
 * - `existing`: the account already has it at the standard ARN
 *   (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`), e.g. created by
 *   the other environment's stack in a shared account or by another project;
 * - `{ arn }`: reuse this provider.
 */
export type GithubOidcProvider = 'create' | 'existing' | { readonly arn: string };

export interface EnvironmentDeployAccess {
  readonly stackName: string;
  readonly roleName: string;
  /** The only GitHub environment whose jobs may assume this role. */
  readonly githubEnvironment: string;
  readonly githubOidcProvider: GithubOidcProvider;
}

export interface DeployAccessConfig {
  readonly repository: string;
  /** The CDK bootstrap qualifier of the target accounts (default `hnb659fds`). */
  readonly bootstrapQualifier: string;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentDeployAccess>>;
}

/** Name prefix of the change sets `npm run deploy` creates (the deploy roles may manage only these). */
export const CHANGE_SET_PREFIX = 'gacha-deploy-';

export const DEPLOY_ACCESS: DeployAccessConfig = {
  repository: 'gacha-bot-team/gacha-bot',
  bootstrapQualifier: 'hnb659fds',
  environments: {
    // With one account per environment (recommended), set both to 'create' (or 'existing' where
    // the account already has GitHub's provider). The default assumes one shared account: the
    // staging stack creates the provider and prod's stack reuses it.
    staging: {
      stackName: 'GachaBot-staging-deploy-access',
      roleName: 'gacha-bot-github-deploy-staging',
      githubEnvironment: 'staging',
      githubOidcProvider: 'create',
    },
    prod: {
      stackName: 'GachaBot-prod-deploy-access',
      roleName: 'gacha-bot-github-deploy-prod',
      githubEnvironment: 'prod',
      githubOidcProvider: 'existing',
    },
  },
};

export function deployAccessFor(env: NodeJS.ProcessEnv, base: DeployAccessConfig = DEPLOY_ACCESS): DeployAccessConfig {
  const repository = env.DEPLOY_GITHUB_REPOSITORY;
  if (repository === undefined || repository === '') return base;
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    throw new Error(`DEPLOY_GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(repository)}`);
  }
  return { ...base, repository };
}
