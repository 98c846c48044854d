/**
 * Issue 14 item 4: a failed first create can be retried with a plain second `cdk deploy`. On a
 * failed create CloudFormation rolls back: anything it keeps (DeletionPolicy Retain) with a fixed
 * name makes the retry fail with "already exists", and termination protection (instance or
 * stack) makes the rollback itself fail. Item 11: backup plan names are distinct.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './synth-fixture';

/** Name properties of the resource types in our templates whose names are optional. */
const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::EC2::Volume': 'VolumeName',
  'AWS::SNS::Topic': 'TopicName',
};
/** Types whose name CloudFormation requires; kept only as RetainExceptOnCreate (deleted on a failed create). */
const NAME_REQUIRED = new Set(['AWS::Backup::BackupVault']);

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };

describe('a failed first create can be retried', () => {
  const { built } = buildApp();
  const stacks = [...built.stacks, ...built.copyStacks, ...built.deployAccess];
  const templates = stacks.map((s) => ({ name: s.stackName, template: Template.fromStack(s) }));

  it('keeps nothing behind when the first create rolls back (RetainExceptOnCreate, never Retain)', () => {
    for (const { name, template } of templates) {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      for (const [id, r] of Object.entries(resources)) {
        expect(`${name}/${id}: ${r.DeletionPolicy ?? 'Delete'}`).not.toMatch(/: Retain$/);
      }
    }
    // …while prod's data stores are still kept on stack deletion and replacement.
    const prod = templates.find((t) => t.name === 'GachaBot-prod')?.template;
    for (const type of ['AWS::EC2::Volume', 'AWS::S3::Bucket', 'AWS::Backup::BackupVault', 'AWS::Logs::LogGroup']) {
      prod?.hasResource(type, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('gives no retained resource a fixed name unless CloudFormation requires one', () => {
    for (const { name, template } of templates) {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      for (const [id, r] of Object.entries(resources)) {
        if (r.DeletionPolicy === undefined || r.DeletionPolicy === 'Delete') continue;
        if (NAME_REQUIRED.has(r.Type)) {
          expect(r.DeletionPolicy).toBe('RetainExceptOnCreate');
          continue;
        }
        const nameProperty = NAME_PROPERTIES[r.Type];
        if (nameProperty === undefined) throw new Error(`${name}/${id}: retained ${r.Type} not classified`);
        expect(`${name}/${id} ${nameProperty}=${JSON.stringify(r.Properties?.[nameProperty])}`).toMatch(/=undefined$/);
      }
    }
  });

  it('has no termination protection that would make a rollback fail', () => {
    for (const stack of stacks) expect(stack.terminationProtection).toBe(false);
    for (const { template } of templates) {
      const instances = template.findResources('AWS::EC2::Instance') as Record<string, Resource>;
      for (const instance of Object.values(instances)) {
        expect(instance.Properties?.DisableApiTermination ?? false).toBe(false);
      }
    }
  });

  it('names backup plans distinctly per environment (AWS Backup plan names are unique per account)', () => {
    const names = templates.flatMap(({ template }) =>
      Object.values(template.findResources('AWS::Backup::BackupPlan') as Record<string, Resource>).map(
        (p) => (p.Properties?.BackupPlan as { BackupPlanName: string }).BackupPlanName,
      ),
    );
    expect(names.sort()).toEqual(['GachaBot-prod-daily', 'GachaBot-staging-daily']);
  });
});
