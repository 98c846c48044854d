/**
 * The bot's network: one VPC with public subnets only (no NAT gateway: it would cost more than the
 * instance) and a security group with no inbound rules. The bot only dials out (Discord, AWS APIs);
 * administration goes through SSM Session Manager. SSH opens only to an explicitly configured CIDR.
 */
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface NetworkProps {
  readonly cidr: string;
  readonly sshCidr?: string;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly hostSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.sshCidr !== undefined && /\/0$/.test(props.sshCidr)) {
      throw new Error(`SSH may not be open to the whole internet (${props.sshCidr})`);
    }
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
      restrictDefaultSecurityGroup: false,
    });
    this.hostSecurityGroup = new ec2.SecurityGroup(this, 'HostSecurityGroup', {
      vpc: this.vpc,
      description: 'Gacha bot host: no inbound, outbound to Discord and AWS APIs',
      allowAllOutbound: true,
    });
    if (props.sshCidr !== undefined) {
      this.hostSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(props.sshCidr),
        ec2.Port.tcp(22),
        'SSH from the configured CIDR',
      );
    }
  }
}
