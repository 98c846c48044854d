/**
 * The bot's machine: one t3.micro on Amazon Linux 2023 with an encrypted gp3 root volume, IMDSv2
 * only, administration through SSM Session Manager, and MongoDB's data on a separate encrypted
 * gp3 **data volume** that outlives the instance (retained on stack deletion and on replacement,
 * deleted only if the stack's very first create fails, so a retry starts clean).
 *
 * The AMI is resolved when the instance launches (`resolve:ssm:`), not on every deploy: a newer
 * Amazon Linux AMI must never replace the instance. Everything the host runs is installed by the
 * release construct through State Manager, so user data stays empty and changing the bot never
 * touches the instance resource. The instance has no API termination protection: it would make
 * the rollback of a failed create fail; the data volume and `npm run deploy`'s guard protect the
 * data instead.
 *
 * Secrets: the role may read exactly its environment's secret parameters, and an explicit Deny
 * overrides the `ssm:GetParameter*` on `*` that AmazonSSMManagedInstanceCore grants, so an
 * instance can never read another environment's `/gacha-bot/<env>/` parameters (the default
 * `aws/ssm` key decrypts only through SSM, for parameters the caller may read).
 *
 * Detailed monitoring is off (it costs ~2 USD/month per instance): the 5-minute EC2 metrics are
 * enough for the CPU alarms; memory and disk come from the CloudWatch agent every minute.
 */
import { RemovalPolicy, Size, Stack, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DATA_VOLUME,
  type DatabaseLocation,
  agentConfigParameterName,
  requiredSecrets,
  ssmPrefix,
} from '../../app/contracts/host';

/** Public SSM parameter with the current Amazon Linux 2023 AMI (x86_64, for t3). */
export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/** SSM read actions the Deny covers (everything that returns a parameter's value). */
export const PARAMETER_READ_ACTIONS = [
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
] as const;

export interface HostProps {
  readonly environment: string;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly instanceType: string;
  readonly rootVolumeGiB: number;
  readonly dataVolumeGiB: number;
  /** `external`: no data volume, and the role reads the MongoDB URI instead of mongod's passwords. */
  readonly database?: DatabaseLocation;
  /** Instances of the same launch settings and role (more than one only with `external`). */
  readonly instanceCount?: number;
}

export class Host extends Construct {
  /** The first instance (the only one with a local database). */
  readonly instance: ec2.Instance;
  /** Every instance, the first one first. */
  readonly instances: readonly ec2.Instance[];
  readonly role: iam.Role;
  /** MongoDB's data volume; undefined with an external database. */
  readonly dataVolume?: ec2.Volume;
  readonly dataVolumeAttachment?: ec2.CfnVolumeAttachment;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const parameterArn = (name: string) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Gacha bot host (${props.environment}): its SSM parameters, its S3 prefix, CloudWatch`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnSecrets',
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: requiredSecrets(props.database ?? 'local').map((secret) =>
          parameterArn(`${ssmPrefix(props.environment)}${secret}`),
        ),
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherParameters',
        effect: iam.Effect.DENY,
        actions: [...PARAMETER_READ_ACTIONS],
        notResources: [
          parameterArn(`${ssmPrefix(props.environment)}*`),
          parameterArn(agentConfigParameterName(props.environment)),
        ],
      }),
    );
    const count = props.instanceCount ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`instanceCount must be ≥ 1, got ${count}`);
    if (count > 1 && props.database !== 'external')
      throw new Error('several instances need an external database (a local mongod lives on one instance)');
    // The first instance keeps the id it always had: growing to N adds instances, never replaces it.
    // The others go round the public subnets, one availability zone after the other.
    const instances = Array.from({ length: count }, (_, i) => this.newInstance(i, props));
    const first = instances[0];
    if (first === undefined) throw new Error('no instance');
    this.instance = first;
    this.instances = instances;
    if ((props.database ?? 'local') === 'external') return;
    this.dataVolume = new ec2.Volume(this, 'DataVolume', {
      availabilityZone: this.instance.instanceAvailabilityZone,
      size: Size.gibibytes(wholeGiB(props.dataVolumeGiB)),
      volumeType: ec2.EbsDeviceVolumeType.GP3,
      encrypted: true,
      // Kept on stack deletion and when CloudFormation would replace it; deleted only when the
      // stack's first create fails (nothing is on it yet, and a retry must not find an orphan).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.dataVolumeAttachment = new ec2.CfnVolumeAttachment(this, 'DataVolumeAttachment', {
      instanceId: this.instance.instanceId,
      volumeId: this.dataVolume.volumeId,
      device: DATA_VOLUME.deviceName,
    });
  }

  private newInstance(index: number, props: HostProps): ec2.Instance {
    const subnets = props.vpc.publicSubnets;
    const subnet = subnets[index % subnets.length];
    return new ec2.Instance(this, index === 0 ? 'Instance' : `Instance${index + 1}`, {
      vpc: props.vpc,
      vpcSubnets: index === 0 || subnet === undefined ? { subnetType: ec2.SubnetType.PUBLIC } : { subnets: [subnet] },
      securityGroup: props.securityGroup,
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(AL2023_AMI_PARAMETER),
      role: this.role,
      ssmSessionPermissions: true,
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: false,
      creditSpecification: ec2.CpuCredits.STANDARD,
      propagateTagsToVolumeOnCreation: true,
      userDataCausesReplacement: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
      ],
    });
  }
}

function wholeGiB(gib: number): number {
  if (!Number.isInteger(gib) || gib < 1) throw new Error(`data volume size must be a whole number of GiB, got ${gib}`);
  return gib;
}
