/**
 * Shipping the bot without touching the instance. The esbuild bundle is an S3 asset; a State
 * Manager association runs the release document on the instance whenever the bundle or the host
 * files change (their hashes are association parameters). The document installs the host files,
 * runs the idempotent host set-up and hands the bundle to `gacha-bot-release`, which starts the new
 * release in the idle blue/green slot, waits for /readyz and only then stops the old slot. CloudFormation
 * waits for the association to succeed, so a release that never gets ready fails the deploy.
 *
 * A second document rolls back to the previous release on the instance (kept on disk), and a third
 * runs the health check, which the deploy pipeline's smoke test uses.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Stack, aws_ec2 as ec2, aws_iam as iam, aws_s3_assets as assets, aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HOST_PATHS, RELEASE_SLOTS, ssmPrefix } from '../../app/contracts/host';
import { type HostFile, type HostTuning, renderHostFiles } from './release/host-files';

/** SSM's limit on a document's content, and the margin this stack keeps below it. */
export const SSM_DOCUMENT_LIMIT_BYTES = 64 * 1024;
export const SSM_DOCUMENT_MARGIN_BYTES = 56 * 1024;

/**
 * The shell line that installs one host file: its content gzipped (the host files are ~30 KB of
 * text; base64 of the raw text took ~40 KB of the document's 64 KB) and base64-encoded. The gzip
 * header's OS byte is set to 255 ("unknown"), so the template does not depend on the machine that
 * synthesizes it (the mtime is already 0).
 */
export function installCommand(file: HostFile): string {
  const packed = gzipSync(Buffer.from(file.content), { level: 9 });
  packed[9] = 255;
  return `echo '${packed.toString('base64')}' | base64 -d | gunzip | install -D -m ${file.mode} -o root -g root /dev/stdin '${file.path}'`;
}

export interface ReleaseProps {
  readonly environment: string;
  readonly instance: ec2.Instance;
  /** Every instance the release goes to (default: `instance` alone). */
  readonly instances?: readonly ec2.Instance[];
  readonly hostRole: iam.IRole;
  /** Directory holding the bot bundle (`npm run bundle` writes dist/bot). */
  readonly bundleDir: string;
  readonly tuning: HostTuning;
  readonly agentConfigParameterName: string;
  readonly dumpBucketName: string;
  /** Further `NAME=value` lines for host.env (e.g. the data volume id). */
  readonly extraHostEnv?: readonly string[];
  /** Minutes CloudFormation waits for a release to become ready. */
  readonly timeoutMinutes?: number;
}

export class Release extends Construct {
  readonly bundle: assets.Asset;
  readonly releaseDocument: ssm.CfnDocument;
  readonly rollbackDocument: ssm.CfnDocument;
  readonly healthDocument: ssm.CfnDocument;
  readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: ReleaseProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bundle = new assets.Asset(this, 'Bundle', { path: props.bundleDir });
    // Only this bundle object, never the whole assets bucket.
    props.hostRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadReleaseBundle',
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::${this.bundle.s3BucketName}/${this.bundle.s3ObjectKey}`],
      }),
    );

    const hostEnv = [
      `GACHA_ENV=${props.environment}`,
      `AWS_REGION=${stack.region}`,
      `SSM_PREFIX=${ssmPrefix(props.environment)}`,
      `AGENT_CONFIG_PARAMETER=${props.agentConfigParameterName}`,
      `DUMP_BUCKET=${props.dumpBucketName}`,
      `HEALTH_PORT_BLUE=${RELEASE_SLOTS.blue}`,
      `HEALTH_PORT_GREEN=${RELEASE_SLOTS.green}`,
      ...(props.extraHostEnv ?? []),
    ];
    const files = renderHostFiles(props.tuning);
    const install = files.map(installCommand);
    const filesHash = createHash('sha256')
      .update(JSON.stringify(files))
      .update(JSON.stringify(props.tuning))
      .digest('hex')
      .slice(0, 16);
    this.releaseDocument = new ssm.CfnDocument(this, 'ReleaseDocument', {
      name: `${stack.stackName}-Release`,
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description: 'Install the host files, run the idempotent host set-up and activate a bot release',
        parameters: {
          ReleaseBucket: { type: 'String', allowedPattern: '^[a-z0-9.-]{3,63}$' },
          ReleaseKey: { type: 'String', allowedPattern: '^[A-Za-z0-9._/-]{1,1024}$' },
          ReleaseId: { type: 'String', allowedPattern: '^[A-Za-z0-9._-]{1,100}$' },
          HostFilesVersion: { type: 'String', allowedPattern: '^[a-f0-9]{16}$' },
        },
        mainSteps: [
          {
            action: 'aws:runShellScript',
            name: 'release',
            inputs: {
              timeoutSeconds: '1800',
              runCommand: [
                'set -euo pipefail',
                `install -d -m 0755 ${HOST_PATHS.configDir}`,
                `cat > ${HOST_PATHS.configDir}/host.env <<'EOF'`,
                ...hostEnv,
                'EOF',
                ...install,
                '/usr/local/sbin/gacha-bot-host-setup',
                '/usr/local/sbin/gacha-bot-release install "{{ ReleaseBucket }}" "{{ ReleaseKey }}" "{{ ReleaseId }}"',
              ],
            },
          },
        ],
      },
    });
    this.rollbackDocument = this.adminDocument(
      'Rollback',
      'Roll the bot back to the previous release kept on the instance (or to a given release id)',
      ['/usr/local/sbin/gacha-bot-release rollback {{ ReleaseId }}'],
      { ReleaseId: { type: 'String', default: '', allowedPattern: '^[A-Za-z0-9._-]{0,100}$' } },
    );
    this.healthDocument = this.adminDocument(
      'Health',
      "Report the active release and its /readyz answer (the deploy pipeline's smoke check)",
      ['/usr/local/sbin/gacha-bot-release status', '/usr/local/sbin/gacha-bot-release health'],
      {},
    );
    this.association = new ssm.CfnAssociation(this, 'ReleaseAssociation', {
      name: this.releaseDocument.ref,
      targets: [{ key: 'InstanceIds', values: (props.instances ?? [props.instance]).map((i) => i.instanceId) }],
      parameters: {
        ReleaseBucket: [this.bundle.s3BucketName],
        ReleaseKey: [this.bundle.s3ObjectKey],
        ReleaseId: [this.bundle.assetHash.slice(0, 16)],
        HostFilesVersion: [filesHash],
      },
      waitForSuccessTimeoutSeconds: (props.timeoutMinutes ?? 30) * 60,
      maxErrors: '0',
      // Several hosts: one at a time, so the other hosts' shards keep answering during a release.
      ...((props.instances?.length ?? 1) > 1 ? { maxConcurrency: '1' } : {}),
      complianceSeverity: 'HIGH',
    });
  }

  private adminDocument(
    id: string,
    description: string,
    commands: string[],
    parameters: Record<string, unknown>,
  ): ssm.CfnDocument {
    return new ssm.CfnDocument(this, `${id}Document`, {
      name: `${Stack.of(this).stackName}-${id}`,
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description,
        parameters,
        mainSteps: [
          {
            action: 'aws:runShellScript',
            name: 'run',
            inputs: { timeoutSeconds: '600', runCommand: ['set -euo pipefail', ...commands] },
          },
        ],
      },
    });
  }
}
