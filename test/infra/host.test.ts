import { Match, Template } from 'aws-cdk-lib/assertions';
import { AL2023_AMI_PARAMETER } from '../../lib/constructs/host';
import { buildApp, onlyResource, stackNamed, templateFor } from './synth-fixture';

describe('host', () => {
  const staging = templateFor('staging');
  const prod = templateFor('prod');

  it('is a t3.micro with an encrypted 8 GiB gp3 root volume and IMDSv2 only', () => {
    for (const t of [staging, prod]) {
      t.hasResourceProperties('AWS::EC2::Instance', {
        InstanceType: 't3.micro',
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: Match.objectLike({ VolumeSize: 8, VolumeType: 'gp3', Encrypted: true }) },
        ],
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: false,
      });
    }
  });

  it('resolves the Amazon Linux 2023 AMI at launch, never from a stack parameter re-read on each deploy', () => {
    const { properties } = onlyResource(staging, 'AWS::EC2::Instance');
    expect(properties.ImageId).toBe(`resolve:ssm:${AL2023_AMI_PARAMETER}`);
    expect(AL2023_AMI_PARAMETER).toContain('al2023');
    const parameters = Object.keys((staging.toJSON() as { Parameters?: object }).Parameters ?? {});
    expect(parameters).toEqual(['BootstrapVersion']);
  });

  it('carries no configuration in user data (State Manager installs everything)', () => {
    const { properties } = onlyResource(staging, 'AWS::EC2::Instance');
    expect(properties.UserData).toEqual({ 'Fn::Base64': '#!/bin/bash' });
  });

  it('protects prod from termination and keeps its volume; staging stays disposable', () => {
    prod.hasResourceProperties('AWS::EC2::Instance', {
      DisableApiTermination: true,
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ DeleteOnTermination: false }) })],
    });
    staging.hasResourceProperties('AWS::EC2::Instance', {
      DisableApiTermination: false,
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ DeleteOnTermination: true }) })],
    });
  });

  it('keeps the instance untouched when only the bot bundle changes (no replacement)', () => {
    const before = Template.fromStack(stackNamed(buildApp({ bundleSource: 'console.log("v1")' }).built, 'prod'));
    const after = Template.fromStack(stackNamed(buildApp({ bundleSource: 'console.log("v2")' }).built, 'prod'));
    const a = onlyResource(before, 'AWS::EC2::Instance');
    const b = onlyResource(after, 'AWS::EC2::Instance');
    expect(b.id).toBe(a.id);
    expect(b.properties).toEqual(a.properties);
    // …while the release association does pick up the new bundle.
    const assocA = onlyResource(before, 'AWS::SSM::Association').properties.Parameters as Record<string, unknown>;
    const assocB = onlyResource(after, 'AWS::SSM::Association').properties.Parameters as Record<string, unknown>;
    expect(assocB.ReleaseKey).not.toEqual(assocA.ReleaseKey);
    expect(assocB.ReleaseId).not.toEqual(assocA.ReleaseId);
    expect(assocB.HostFilesVersion).toEqual(assocA.HostFilesVersion);
  });
});
