import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { GachaBotStack } from '../../lib/stacks/gacha-bot-stack';

function template(sshCidr?: string): Template {
  const app = new App();
  const stack = new GachaBotStack(app, 'Test', {
    config: { ...ENVIRONMENTS.staging, ...(sshCidr ? { sshCidr } : {}) },
  });
  return Template.fromStack(stack);
}

describe('network', () => {
  const t = template();

  it('has public subnets only and no NAT gateway', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
  });

  it('gives the host security group no inbound rule at all', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('no inbound'),
      SecurityGroupIngress: Match.absent(),
    });
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('opens SSH only to an explicitly configured CIDR, never to the whole internet', () => {
    template('203.0.113.0/24').hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '203.0.113.0/24', FromPort: 22, ToPort: 22 })],
    });
    expect(() => template('0.0.0.0/0')).toThrow(/whole internet/);
  });

  it('defines both environments with distinct address ranges', () => {
    expect(ENVIRONMENTS.staging.stackName).toBe('GachaBot-staging');
    expect(ENVIRONMENTS.prod.stackName).toBe('GachaBot-prod');
    expect(ENVIRONMENTS.staging.vpcCidr).not.toBe(ENVIRONMENTS.prod.vpcCidr);
  });
});
