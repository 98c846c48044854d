/**
 * Writing the environment's secrets to SSM Parameter Store as SecureStrings (CloudFormation cannot
 * create them). Values come from stdin or a hidden prompt, never from argv, and are never printed.
 */
import { randomBytes } from 'node:crypto';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { SECRET_NAMES, type SecretName, secretParameterName } from '../../app/contracts/host';
import { isDiscordWebhookUrl } from '../../app/notifier/alarm-webhook';

export const SECRET_LIST: readonly SecretName[] = Object.values(SECRET_NAMES);

export interface PutSecretArgs {
  readonly environment: string;
  readonly name: SecretName;
  /** Generate a random value instead of reading one (MongoDB passwords). */
  readonly generate: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseSecretArgs(argv: readonly string[]): PutSecretArgs {
  let environment: string | undefined;
  let name: string | undefined;
  let generate = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--env') environment = argv[++i];
    else if (arg === '--name') name = argv[++i];
    else if (arg === '--generate') generate = true;
    // Never echo the argument: it may be a secret typed in the wrong place.
    else throw new UsageError(`unexpected argument #${i + 1} (the value is read from stdin, never argv)`);
  }
  if (environment === undefined || !/^[a-z0-9-]{1,20}$/.test(environment)) {
    throw new UsageError('--env <staging|prod> is required');
  }
  if (name === undefined || !(SECRET_LIST as readonly string[]).includes(name)) {
    throw new UsageError(`--name must be one of: ${SECRET_LIST.join(', ')}`);
  }
  const secret = name as SecretName;
  if (
    generate &&
    (!secret.startsWith('mongodb-') || secret === SECRET_NAMES.mongodbUri) &&
    secret !== SECRET_NAMES.fairnessSeedKey
  ) {
    throw new UsageError('--generate is only for MongoDB passwords and the fairness seed key');
  }
  return { environment, name: secret, generate };
}

/** A random password safe in a connection string after URL encoding (base64url, 32 bytes). */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** A generated value for `--generate`: a password, or the seed key (32 random bytes, base64). */
export function generateSecret(name: SecretName): string {
  return name === SECRET_NAMES.fairnessSeedKey ? randomBytes(32).toString('base64') : generatePassword();
}

/** Checks a value's shape; the message never contains the value. */
export function validateSecret(name: SecretName, raw: string): string {
  const value = raw.replace(/\r?\n$/, '');
  if (value.length === 0) throw new UsageError(`${name}: empty value`);
  if (/\s/.test(value)) throw new UsageError(`${name}: the value contains whitespace`);
  switch (name) {
    case SECRET_NAMES.discordToken:
      if (!/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/.test(value)) {
        throw new UsageError(`${name}: does not look like a Discord bot token (three dot-separated parts)`);
      }
      break;
    case SECRET_NAMES.mongodbUri:
      if (!/^mongodb(\+srv)?:\/\/[^\s/]+/.test(value)) {
        throw new UsageError(`${name}: not a mongodb:// or mongodb+srv:// connection string`);
      }
      break;
    case SECRET_NAMES.fairnessSeedKey:
      if (!/^[A-Za-z0-9+/]{43}=$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
        throw new UsageError(`${name}: must be 32 bytes in base64 (use --generate)`);
      }
      break;
    case SECRET_NAMES.alarmWebhookUrl:
      if (!isDiscordWebhookUrl(value)) throw new UsageError(`${name}: not a https://discord.com/api/webhooks/… URL`);
      break;
    default:
      if (value.length < 16) throw new UsageError(`${name}: use at least 16 characters (or --generate)`);
  }
  return value;
}

export async function putSecret(
  ssm: Pick<SSMClient, 'send'>,
  environment: string,
  name: SecretName,
  value: string,
): Promise<{ parameter: string; version: number }> {
  const parameter = secretParameterName(environment, name);
  const out = await ssm.send(
    new PutParameterCommand({
      Name: parameter,
      Value: validateSecret(name, value),
      Type: 'SecureString',
      // A new seed key would leave every sealed, unrevealed seed unopenable: write it once only.
      Overwrite: name !== SECRET_NAMES.fairnessSeedKey,
      Tier: 'Standard',
      Description: `Gacha bot ${environment}: ${name} (written by npm run secrets:put)`,
    }),
  );
  return { parameter, version: out.Version ?? 0 };
}
