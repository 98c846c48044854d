/**
 * The bot's machine: one t3.micro on Amazon Linux 2023 with an encrypted 8 GiB gp3 root volume
 * (MongoDB's data lives there), IMDSv2 only, administration through SSM Session Manager.
 *
 * The AMI is resolved when the instance launches (`resolve:ssm:`), not on every deploy: a newer
 * Amazon Linux AMI must never replace the instance, because that would lose the database.
 * Everything the host runs is installed by the release construct through State Manager, so user
 * data stays empty and changing the bot never touches the instance resource.
 *
 * Detailed monitoring is off (it costs ~2 USD/month per instance): the 5-minute EC2 metrics are
 * enough for the CPU alarm; memory and disk come from the CloudWatch agent every minute.
 */
import { Stack, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ssmPrefix } from '../../app/contracts/host';

/** Public SSM parameter with the current Amazon Linux 2023 AMI (x86_64, for t3). */
export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

export interface HostProps {
  readonly environment: string;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly instanceType: string;
  readonly rootVolumeGiB: number;
  readonly terminationProtection: boolean;
}

export class Host extends Construct {
  readonly instance: ec2.Instance;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Gacha bot host (${props.environment}): its SSM path, its S3 prefix, CloudWatch`,
    });
    // Secrets: only this environment's path (the default aws/ssm key needs no extra KMS grant).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: [
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: ssmPrefix(props.environment).slice(1) + '*',
          }),
        ],
      }),
    );
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.securityGroup,
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(AL2023_AMI_PARAMETER),
      role: this.role,
      ssmSessionPermissions: true,
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: false,
      creditSpecification: ec2.CpuCredits.STANDARD,
      disableApiTermination: props.terminationProtection,
      propagateTagsToVolumeOnCreation: true,
      userDataCausesReplacement: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: !props.terminationProtection,
          }),
        },
      ],
    });
  }
}
