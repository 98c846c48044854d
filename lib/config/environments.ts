/** Typed per-environment settings for the CDK app. Account and region come from the CDK environment. */
export type EnvironmentName = 'staging' | 'prod';

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Stack name as the operator deploys it: `cdk deploy GachaBot-prod`. */
  readonly stackName: string;
  readonly vpcCidr: string;
  /** CIDR allowed to reach SSH; undefined means no SSH at all (administration via SSM Session Manager). */
  readonly sshCidr?: string;
}

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  staging: { name: 'staging', stackName: 'GachaBot-staging', vpcCidr: '10.40.0.0/24' },
  prod: { name: 'prod', stackName: 'GachaBot-prod', vpcCidr: '10.41.0.0/24' },
};
