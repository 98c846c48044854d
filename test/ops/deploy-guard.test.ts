/**
 * Issue 14 item 5: `npm run deploy` refuses, before anything changes, a change set that would
 * replace or delete the instance or its data volume; otherwise it executes exactly the inspected
 * change set. CloudFormation is stubbed with aws-sdk-client-mock using the shapes
 * DescribeChangeSet really returns; the CDK CLI calls are recorded.
 */
import {
  type Change,
  CloudFormationClient,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { PROTECTED_TYPES, refusalsOf } from '../../scripts/lib/change-set-guard';
import {
  DeployUsageError,
  type PlannedStack,
  guardedDeploy,
  parseDeployArgs,
  plannedStacks,
} from '../../scripts/lib/guarded-deploy';
import { templateFor } from '../infra/synth-fixture';

const ACCOUNT = '123456789012';
const STACK_ID = `arn:aws:cloudformation:ap-northeast-1:${ACCOUNT}:stack/GachaBot-prod/4a1e8f10-ae3b-11f0-9c2d-0a1b2c3d4e5f`;
const CHANGE_SET = 'gacha-deploy-20261130120000';

function described(
  changes: Change[],
  extra: Partial<DescribeChangeSetCommandOutput> = {},
): DescribeChangeSetCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    ChangeSetName: CHANGE_SET,
    ChangeSetId: `arn:aws:cloudformation:ap-northeast-1:${ACCOUNT}:changeSet/${CHANGE_SET}/0f6c0e1a-1b2c-4d5e-8f90-123456789abc`,
    StackId: STACK_ID,
    StackName: 'GachaBot-prod',
    Status: 'CREATE_COMPLETE',
    ExecutionStatus: 'AVAILABLE',
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    Changes: changes,
    ...extra,
  };
}

const instanceReplacedByRootVolume: Change = {
  Type: 'Resource',
  ResourceChange: {
    Action: 'Modify',
    LogicalResourceId: 'HostInstance7AF5FD02',
    PhysicalResourceId: 'i-0a1b2c3d4e5f60718',
    ResourceType: 'AWS::EC2::Instance',
    Replacement: 'True',
    Scope: ['Properties'],
    Details: [
      {
        Target: { Attribute: 'Properties', Name: 'BlockDeviceMappings', RequiresRecreation: 'Always' },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      },
    ],
  },
};

const attachmentFollowsInstance: Change = {
  Type: 'Resource',
  ResourceChange: {
    Action: 'Modify',
    LogicalResourceId: 'HostDataVolumeAttachment4B1F2C3D',
    PhysicalResourceId: 'vol-0a1b2c3d4e5f60718',
    ResourceType: 'AWS::EC2::VolumeAttachment',
    Replacement: 'True',
    Scope: ['Properties'],
    Details: [
      {
        Target: { Attribute: 'Properties', Name: 'InstanceId', RequiresRecreation: 'Always' },
        Evaluation: 'Dynamic',
        ChangeSource: 'ResourceReference',
        CausingEntity: 'HostInstance7AF5FD02',
      },
    ],
  },
};

const releaseOnly: Change[] = [
  {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: 'ReleaseReleaseAssociation5E2C4A1B',
      PhysicalResourceId: '7c1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
      ResourceType: 'AWS::SSM::Association',
      Replacement: 'False',
      Scope: ['Properties'],
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'Parameters', RequiresRecreation: 'Never' },
          Evaluation: 'Static',
          ChangeSource: 'DirectModification',
        },
      ],
    },
  },
  {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: 'HostDataVolumeE1B2C3D4',
      PhysicalResourceId: 'vol-0a1b2c3d4e5f60718',
      ResourceType: 'AWS::EC2::Volume',
      Replacement: 'False',
      Scope: ['Properties'],
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'Size', RequiresRecreation: 'Never' },
          Evaluation: 'Static',
          ChangeSource: 'DirectModification',
        },
      ],
    },
  },
];

describe('npm run deploy (change-set guard)', () => {
  const cfn = mockClient(CloudFormationClient);
  let cdkCalls: string[][];
  let logs: string[];
  const deps = () => ({
    cdk: (args: readonly string[]) => {
      cdkCalls.push([...args]);
      return Promise.resolve();
    },
    cloudFormation: (region: string) => new CloudFormationClient({ region }),
    log: (line: string) => logs.push(line),
    changeSetName: CHANGE_SET,
  });
  const prodStacks: PlannedStack[] = [
    { stackName: 'GachaBot-prod-backup-copy', region: 'ap-northeast-3' },
    { stackName: 'GachaBot-prod', region: 'ap-northeast-1' },
  ];
  const methods = () => cdkCalls.map((c) => `${c[1] ?? ''} ${c[2] ?? ''}`);

  beforeEach(() => {
    cfn.reset();
    cdkCalls = [];
    logs = [];
    cfn.on(DeleteChangeSetCommand).resolves({});
  });

  it('refuses a change set that replaces the instance: nothing executed, the change set deleted', async () => {
    cfn
      .on(DescribeChangeSetCommand, { StackName: 'GachaBot-prod', ChangeSetName: CHANGE_SET })
      .resolves(described([instanceReplacedByRootVolume, attachmentFollowsInstance]));
    const outcome = await guardedDeploy([{ stackName: 'GachaBot-prod', region: 'ap-northeast-1' }], deps());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toContain('REFUSED GachaBot-prod');
    expect(outcome.message).toContain(
      'HostInstance7AF5FD02 (AWS::EC2::Instance) would be replaced (because of BlockDeviceMappings)',
    );
    expect(outcome.message).toContain(
      'HostDataVolumeAttachment4B1F2C3D (AWS::EC2::VolumeAttachment) would be replaced',
    );
    expect(methods()).toEqual(['GachaBot-prod --method=prepare-change-set']);
    expect(cfn.commandCalls(DeleteChangeSetCommand).map((c) => c.args[0].input)).toEqual([
      { StackName: 'GachaBot-prod', ChangeSetName: CHANGE_SET },
    ]);
  });

  it('executes exactly the inspected change set when only the release and the data volume size change', async () => {
    cfn.on(DescribeChangeSetCommand).resolves(described(releaseOnly));
    const outcome = await guardedDeploy([{ stackName: 'GachaBot-prod', region: 'ap-northeast-1' }], deps());
    expect(outcome).toEqual({ ok: true, deployed: ['GachaBot-prod'], unchanged: [] });
    expect(cdkCalls).toEqual([
      expect.arrayContaining([
        'deploy',
        'GachaBot-prod',
        '--method=prepare-change-set',
        '--change-set-name',
        CHANGE_SET,
      ]),
      expect.arrayContaining([
        'deploy',
        'GachaBot-prod',
        '--method=execute-change-set',
        '--change-set-name',
        CHANGE_SET,
      ]),
    ]);
    expect(cdkCalls.every((c) => c.includes('--exclusively'))).toBe(true);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(0);
  });

  it('deletes an empty change set and moves on; deploys the copy vault (its own region) before prod', async () => {
    cfn.on(DescribeChangeSetCommand, { StackName: 'GachaBot-prod-backup-copy' }).resolves(
      described([], {
        StackName: 'GachaBot-prod-backup-copy',
        Status: 'FAILED',
        ExecutionStatus: 'UNAVAILABLE',
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      }),
    );
    cfn.on(DescribeChangeSetCommand, { StackName: 'GachaBot-prod' }).resolves(described(releaseOnly));
    const regions: string[] = [];
    const outcome = await guardedDeploy(prodStacks, {
      ...deps(),
      cloudFormation: (region) => {
        regions.push(region);
        return new CloudFormationClient({ region });
      },
    });
    expect(outcome).toEqual({ ok: true, deployed: ['GachaBot-prod'], unchanged: ['GachaBot-prod-backup-copy'] });
    expect(regions).toEqual(['ap-northeast-3', 'ap-northeast-1']);
    expect(methods()).toEqual([
      'GachaBot-prod-backup-copy --method=prepare-change-set',
      'GachaBot-prod --method=prepare-change-set',
      'GachaBot-prod --method=execute-change-set',
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)[0]?.args[0].input.StackName).toBe('GachaBot-prod-backup-copy');
  });

  it('reads every page: a replacement on the second page is still refused', async () => {
    cfn
      .on(DescribeChangeSetCommand, { ChangeSetName: CHANGE_SET, StackName: 'GachaBot-prod', NextToken: undefined })
      .resolves(described(releaseOnly, { NextToken: 'page-2' }))
      .on(DescribeChangeSetCommand, { NextToken: 'page-2' })
      .resolves(described([instanceReplacedByRootVolume]));
    const outcome = await guardedDeploy([{ stackName: 'GachaBot-prod', region: 'ap-northeast-1' }], deps());
    expect(outcome.ok).toBe(false);
    expect(cfn.commandCalls(DescribeChangeSetCommand)).toHaveLength(2);
    expect(methods()).toEqual(['GachaBot-prod --method=prepare-change-set']);
  });

  it('refuses deleting the data volume, conditional and run-time-decided replacements', () => {
    const change = (
      Action: 'Remove' | 'Modify' | 'Dynamic',
      Replacement?: 'True' | 'False' | 'Conditional',
    ): Change => ({
      Type: 'Resource',
      ResourceChange: {
        Action,
        LogicalResourceId: 'HostDataVolumeE1B2C3D4',
        ResourceType: 'AWS::EC2::Volume',
        ...(Replacement ? { Replacement } : {}),
      },
    });
    expect(refusalsOf([change('Remove')])[0]?.why).toBe('would be deleted');
    expect(refusalsOf([change('Modify', 'Conditional')])[0]?.why).toBe('may be replaced');
    expect(refusalsOf([change('Dynamic')])).toHaveLength(1);
    expect(refusalsOf([change('Modify', 'False')])).toEqual([]);
    // Other resources may be replaced freely (e.g. the alarm topic policy).
    expect(
      refusalsOf([
        {
          Type: 'Resource',
          ResourceChange: { Action: 'Remove', LogicalResourceId: 'X', ResourceType: 'AWS::SNS::TopicPolicy' },
        },
      ]),
    ).toEqual([]);
  });

  it('fails (and cleans up) when CloudFormation could not create the change set', async () => {
    cfn.on(DescribeChangeSetCommand).resolves(
      described([], {
        Status: 'FAILED',
        ExecutionStatus: 'UNAVAILABLE',
        StatusReason: 'Template format error: Unresolved resource dependencies [X]',
      }),
    );
    const outcome = await guardedDeploy([{ stackName: 'GachaBot-prod', region: 'ap-northeast-1' }], deps());
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.message).toContain('Unresolved resource dependencies');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(methods()).toEqual(['GachaBot-prod --method=prepare-change-set']);
  });

  it('protects every resource type that holds or attaches the database in the synthesized stack', () => {
    const types = new Set(
      Object.values(templateFor('prod').toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
    );
    for (const type of PROTECTED_TYPES) expect(types.has(type)).toBe(true);
  });

  it('takes --env staging|prod and an optional stack subset of that environment', () => {
    expect(parseDeployArgs(['--env', 'staging'])).toEqual({ environment: 'staging' });
    expect(parseDeployArgs(['--env', 'prod', '--stacks', 'GachaBot-prod'])).toEqual({
      environment: 'prod',
      stacks: ['GachaBot-prod'],
    });
    expect(() => parseDeployArgs(['--env', 'dev'])).toThrow(DeployUsageError);
    expect(() => parseDeployArgs(['--env', 'prod', '--force'])).toThrow(DeployUsageError);
    expect(plannedStacks({ environment: 'prod' }, 'ap-northeast-1')).toEqual([
      { stackName: 'GachaBot-prod-backup-copy', region: ENVIRONMENTS.prod.backupCopyRegion },
      { stackName: 'GachaBot-prod', region: 'ap-northeast-1' },
    ]);
    expect(plannedStacks({ environment: 'staging' }, 'us-east-1')).toEqual([
      { stackName: 'GachaBot-staging', region: 'us-east-1' },
    ]);
    expect(() => plannedStacks({ environment: 'staging', stacks: ['GachaBot-prod'] }, 'us-east-1')).toThrow(
      /not a stack of staging/,
    );
    expect(() => plannedStacks({ environment: 'staging' }, undefined)).toThrow(/no region/);
  });
});
