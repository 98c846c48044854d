import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { buildApp, stackNamed, templateFor } from './synth-fixture';

function withSsh(sshCidr: string): Template {
  const { built } = buildApp({ configs: [{ ...ENVIRONMENTS.staging, sshCidr }] });
  return Template.fromStack(stackNamed(built, 'staging'));
}

describe('network', () => {
  const t = templateFor('staging');

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

  it('has no inbound rule anywhere in either environment', () => {
    for (const name of ['staging', 'prod'] as const) {
      const template = templateFor(name);
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      const groups = template.findResources('AWS::EC2::SecurityGroup') as Record<
        string,
        { Properties: Record<string, unknown> }
      >;
      expect(Object.keys(groups).length).toBeGreaterThan(0);
      for (const group of Object.values(groups)) expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    }
  });

  it('opens SSH only to an explicitly configured CIDR, never to the whole internet', () => {
    withSsh('203.0.113.0/24').hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '203.0.113.0/24', FromPort: 22, ToPort: 22 })],
    });
    expect(() => withSsh('0.0.0.0/0')).toThrow(/whole internet/);
  });

  it('defines both environments with distinct address ranges', () => {
    expect(ENVIRONMENTS.staging.stackName).toBe('GachaBot-staging');
    expect(ENVIRONMENTS.prod.stackName).toBe('GachaBot-prod');
    expect(ENVIRONMENTS.staging.vpcCidr).not.toBe(ENVIRONMENTS.prod.vpcCidr);
  });
});
