/**
 * The vault in a second region that receives prod's snapshot copies. Deployed before the
 * environment's stack (a dependency, no cross-region reference: the vault has a fixed name).
 */
import { RemovalPolicy, Stack, type StackProps, Tags, aws_backup as backup } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { copyVaultName } from '../constructs/backups';

export interface BackupCopyStackProps extends StackProps {
  readonly environment: string;
}

export class BackupCopyStack extends Stack {
  readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyStackProps) {
    super(scope, id, props);
    Tags.of(this).add('app', 'gacha-bot');
    Tags.of(this).add('environment', props.environment);
    this.vault = new backup.BackupVault(this, 'CopyVault', {
      backupVaultName: copyVaultName(props.environment),
      // Kept when the stack is deleted (it holds prod's copies), deleted if its first create fails.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
