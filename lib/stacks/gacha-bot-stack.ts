/** One environment of the bot. Composes constructs; each construct owns one concern. */
import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';
import { Network } from '../constructs/network';

export interface GachaBotStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

export class GachaBotStack extends Stack {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: GachaBotStackProps) {
    super(scope, id, props);
    Tags.of(this).add('app', 'gacha-bot');
    Tags.of(this).add('environment', props.config.name);
    this.network = new Network(this, 'Network', {
      cidr: props.config.vpcCidr,
      ...(props.config.sshCidr !== undefined ? { sshCidr: props.config.sshCidr } : {}),
    });
  }
}
