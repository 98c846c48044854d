/**
 * Operating system security updates by **SSM Patch Manager**, not by a unit of ours: a State
 * Manager association runs AWS's `AWS-RunPatchBaselineWithHooks` on the instance once a week with
 * the operating system's default patch baseline (Amazon Linux 2023:
 * `AWS-AmazonLinux2023DefaultPatchBaseline`, security and bug-fix advisories approved after 7
 * days), `Install` with `RebootIfNeeded`. Its three hooks are two small Command documents of ours
 * that call the release tool the deploys use, under the same lock:
 *
 * - pre-install: `gacha-bot-release drain` — the active bot slot stops (SIGTERM: in-flight
 *   interactions finish) before any package changes; a release in progress makes it fail, and
 *   then nothing is installed;
 * - post-install and on-exit (after the reboot, when one was needed): `gacha-bot-release resume`
 *   — mongod restarts if it runs replaced files, and the bot comes back blue/green (the idle slot
 *   must report ready); idempotent, so the second call is a no-op when the first one (or the
 *   boot) already brought the bot back.
 *
 * A package manager writes /usr, /etc and /boot as root: run by the SSM agent, it needs no
 * systemd unit of ours, so every unit of ours stays sandboxed (≤ 2.0, `scripts/ci/check-units.sh`).
 * Patch Manager costs nothing for EC2 instances; its result per instance:
 * `aws ssm describe-instance-patch-states --instance-ids <id>`.
 */
import { Stack, aws_ec2 as ec2, aws_iam as iam, aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** AWS's patch document with lifecycle hooks (SSM Agent ≥ 3.0.502, which AL2023 ships). */
export const PATCH_DOCUMENT = 'AWS-RunPatchBaselineWithHooks';

/** Weekly, Wednesday 19:30 UTC: after the nightly snapshot (19:00 UTC) and outside Japan's evening. */
export const PATCH_SCHEDULE = 'cron(30 19 ? * WED *)';

/** The hooks' commands: the release tool's subcommands (lib/constructs/release/files/gacha-bot-release.sh). */
export const PATCH_HOOK_COMMANDS = {
  drain: '/usr/local/sbin/gacha-bot-release drain',
  resume: '/usr/local/sbin/gacha-bot-release resume',
} as const;

export interface OsPatchingProps {
  /** Every bot host; with several (the growth path) they are patched one at a time. */
  readonly instances: readonly ec2.Instance[];
  readonly hostRole: iam.IRole;
}

export class OsPatching extends Construct {
  readonly drainDocument: ssm.CfnDocument;
  readonly resumeDocument: ssm.CfnDocument;
  readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: OsPatchingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.drainDocument = this.hookDocument(
      'PatchDrain',
      'Before OS patches are installed: drain and stop the active bot slot (fails while a release runs)',
      PATCH_HOOK_COMMANDS.drain,
    );
    this.resumeDocument = this.hookDocument(
      'PatchResume',
      'After OS patches (and after the reboot): restart mongod if it runs replaced files, bring the bot back blue/green',
      PATCH_HOOK_COMMANDS.resume,
    );
    const name = (doc: ssm.CfnDocument) => {
      if (doc.name === undefined) throw new Error('patch hook documents must have fixed names');
      return doc.name;
    };
    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: PATCH_DOCUMENT,
      associationName: `${stack.stackName}-os-patching`,
      targets: [{ key: 'InstanceIds', values: props.instances.map((i) => i.instanceId) }],
      scheduleExpression: PATCH_SCHEDULE,
      // Only at the weekly time, never right after a deploy creates or changes the association.
      applyOnlyAtCronInterval: true,
      parameters: {
        Operation: ['Install'],
        RebootOption: ['RebootIfNeeded'],
        PreInstallHookDocName: [name(this.drainDocument)],
        PostInstallHookDocName: [name(this.resumeDocument)],
        OnExitHookDocName: [name(this.resumeDocument)],
      },
      // One host at a time: with several (the growth path) the others keep their shards online.
      maxConcurrency: '1',
      maxErrors: '0',
      complianceSeverity: 'HIGH',
    });
    this.association.node.addDependency(this.drainDocument, this.resumeDocument);

    // The patch snapshot and Patch Manager's own scripts come from AWS-owned buckets of this
    // region; nothing else in S3.
    props.hostRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PatchManagerBuckets',
        actions: ['s3:GetObject'],
        resources: patchManagerBucketObjects(stack),
      }),
    );
  }

  private hookDocument(id: string, description: string, command: string): ssm.CfnDocument {
    return new ssm.CfnDocument(this, `${id}Document`, {
      name: `${Stack.of(this).stackName}-${id}`,
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description,
        parameters: {},
        mainSteps: [
          {
            action: 'aws:runShellScript',
            name: 'run',
            inputs: { timeoutSeconds: '900', runCommand: ['set -euo pipefail', command] },
          },
        ],
      },
    });
  }
}

/** The AWS-owned buckets Patch Manager reads on the instance (its scripts and the baseline snapshot). */
export function patchManagerBucketObjects(stack: Stack): string[] {
  return [
    `arn:${stack.partition}:s3:::aws-ssm-${stack.region}/*`,
    `arn:${stack.partition}:s3:::patch-baseline-snapshot-${stack.region}/*`,
  ];
}
