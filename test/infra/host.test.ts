import { Match, Template } from 'aws-cdk-lib/assertions';
import { DATA_VOLUME, ebsDevicePath } from '../../app/contracts/host';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { AL2023_AMI_PARAMETER } from '../../lib/constructs/host';
import { renderHostFiles } from '../../lib/constructs/release/host-files';
import { buildApp, onlyResource, resourcesOfType, stackNamed, templateFor } from './synth-fixture';

describe('host', () => {
  const staging = templateFor('staging');
  const prod = templateFor('prod');

  it('is a t3.micro with an encrypted 8 GiB gp3 root volume (deleted with it) and IMDSv2 only', () => {
    for (const t of [staging, prod]) {
      t.hasResourceProperties('AWS::EC2::Instance', {
        InstanceType: 't3.micro',
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: Match.objectLike({ VolumeSize: 8, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true }),
          },
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

  it('keeps MongoDB on its own encrypted gp3 data volume, attached where the host set-up expects it', () => {
    for (const [t, env] of [
      [staging, 'staging'],
      [prod, 'prod'],
    ] as const) {
      const volume = onlyResource(t, 'AWS::EC2::Volume');
      expect(volume.properties).toMatchObject({
        Size: ENVIRONMENTS[env].dataVolumeGiB,
        VolumeType: 'gp3',
        Encrypted: true,
        AvailabilityZone: { 'Fn::GetAtt': [onlyResource(t, 'AWS::EC2::Instance').id, 'AvailabilityZone'] },
      });
      t.hasResourceProperties('AWS::EC2::VolumeAttachment', {
        Device: DATA_VOLUME.deviceName,
        VolumeId: { Ref: volume.id },
        InstanceId: { Ref: onlyResource(t, 'AWS::EC2::Instance').id },
      });
      // Kept on stack deletion and on replacement; gone only if the very first create fails.
      t.hasResource('AWS::EC2::Volume', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      // The host learns the volume id from host.env, and the release waits for the attachment.
      const association = t.findResources('AWS::SSM::Association', {
        Properties: { Parameters: { ReleaseId: Match.anyValue() } },
      }) as Record<string, { DependsOn?: string[] }>;
      const [assoc] = Object.values(association);
      expect(Object.keys(association)).toHaveLength(1);
      const attachment = Object.keys(t.findResources('AWS::EC2::VolumeAttachment'))[0] ?? '';
      expect(assoc?.DependsOn).toContain(attachment);
      const doc = JSON.stringify(t.findResources('AWS::SSM::Document'));
      expect(doc).toContain(`${DATA_VOLUME.hostEnvVariable}=`);
      expect(doc).toContain(`{"Ref":"${volume.id}"}`);
    }
  });

  it('names the data volume device the way AL2023 links NVMe EBS volumes', () => {
    expect(ebsDevicePath('vol-0a1b2c3d4e5f60718')).toBe(
      '/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0a1b2c3d4e5f60718',
    );
    expect(() => ebsDevicePath('vol-0a1b; rm -rf /')).toThrow(/not an EBS volume id/);
  });

  it("mounts the data volume exactly at mongod's dbPath (lib/constructs/release/files/mongod.conf)", () => {
    const conf = renderHostFiles(ENVIRONMENTS.prod.tuning).find((f) => f.path.endsWith('/mongod.conf'));
    expect(conf?.content).toMatch(new RegExp(`^\\s*dbPath: ${DATA_VOLUME.mountPoint}$`, 'm'));
  });

  it('sets no API termination protection (it would make the rollback of a failed create fail)', () => {
    for (const t of [staging, prod]) {
      const { properties } = onlyResource(t, 'AWS::EC2::Instance');
      expect(properties.DisableApiTermination ?? false).toBe(false);
    }
  });

  it('grows the data volume in place: a bigger data volume changes only its Size', () => {
    const bigger = { ...ENVIRONMENTS.prod, dataVolumeGiB: ENVIRONMENTS.prod.dataVolumeGiB + 10 };
    const after = Template.fromStack(stackNamed(buildApp({ configs: [bigger] }).built, 'prod'));
    const a = onlyResource(prod, 'AWS::EC2::Volume');
    const b = onlyResource(after, 'AWS::EC2::Volume');
    expect(b.id).toBe(a.id);
    expect({ ...b.properties, Size: 0 }).toEqual({ ...a.properties, Size: 0 });
    expect(onlyResource(after, 'AWS::EC2::Instance')).toEqual(onlyResource(prod, 'AWS::EC2::Instance'));
  });

  it('keeps the instance untouched when only the bot bundle changes (no replacement)', () => {
    const before = Template.fromStack(stackNamed(buildApp({ bundleSource: 'console.log("v1")' }).built, 'prod'));
    const after = Template.fromStack(stackNamed(buildApp({ bundleSource: 'console.log("v2")' }).built, 'prod'));
    const a = onlyResource(before, 'AWS::EC2::Instance');
    const b = onlyResource(after, 'AWS::EC2::Instance');
    expect(b.id).toBe(a.id);
    expect(b.properties).toEqual(a.properties);
    // …while the release association does pick up the new bundle.
    const releaseParameters = (t: Template) => {
      const found = Object.values(resourcesOfType(t, 'AWS::SSM::Association'))
        .map((a) => a.Properties?.Parameters as Record<string, unknown>)
        .filter((p) => p.ReleaseId !== undefined);
      expect(found).toHaveLength(1);
      return found[0] ?? {};
    };
    const assocA = releaseParameters(before);
    const assocB = releaseParameters(after);
    expect(assocB.ReleaseKey).not.toEqual(assocA.ReleaseKey);
    expect(assocB.ReleaseId).not.toEqual(assocA.ReleaseId);
    expect(assocB.HostFilesVersion).toEqual(assocA.HostFilesVersion);
  });
});
