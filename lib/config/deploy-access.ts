/**
 * Who may deploy: the GitHub repository whose Actions assume the deploy role through OIDC, and
 * the GitHub environments that gate each stage. Set DEPLOY_GITHUB_REPOSITORY=owner/name when
 * deploying the `GachaBot-deploy-access` stack if the repository is not the default below.
 */
export interface DeployAccessConfig {
  readonly stackName: string;
  readonly repository: string;
  /** GitHub environments the deploy jobs run in (`environment:` in deploy.yml). */
  readonly environments: readonly string[];
  readonly roleName: string;
  /** The CDK bootstrap qualifier of the target account (default `hnb659fds`). */
  readonly bootstrapQualifier: string;
}

export const DEPLOY_ACCESS: DeployAccessConfig = {
  stackName: 'GachaBot-deploy-access',
  repository: 'gacha-bot-team/gacha-bot',
  environments: ['staging', 'prod'],
  roleName: 'gacha-bot-github-deploy',
  bootstrapQualifier: 'hnb659fds',
};

export function deployAccessFor(env: NodeJS.ProcessEnv): DeployAccessConfig {
  const repository = env.DEPLOY_GITHUB_REPOSITORY;
  if (repository === undefined || repository === '') return DEPLOY_ACCESS;
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    throw new Error(`DEPLOY_GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(repository)}`);
  }
  return { ...DEPLOY_ACCESS, repository };
}
