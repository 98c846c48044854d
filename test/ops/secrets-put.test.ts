import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SECRET_NAMES } from '../../app/contracts/host';
import {
  UsageError,
  generatePassword,
  generateSecret,
  parseSecretArgs,
  putSecret,
  validateSecret,
} from '../../scripts/lib/secrets';

const TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('secrets:put', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());

  it('writes a SecureString under the environment path, overwriting the previous version', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 3 });
    const result = await putSecret(new SSMClient({}), 'prod', SECRET_NAMES.discordToken, `${TOKEN}\n`);
    expect(result).toEqual({ parameter: '/gacha-bot/prod/discord-token', version: 3 });
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: '/gacha-bot/prod/discord-token',
      Value: TOKEN,
      Type: 'SecureString',
      Overwrite: true,
    });
  });

  it('rejects malformed values without echoing them and without calling AWS', async () => {
    const attempts: [string, string][] = [
      [SECRET_NAMES.discordToken, 'not-a-token'],
      [SECRET_NAMES.mongodbBotPassword, 'short'],
      [SECRET_NAMES.alarmWebhookUrl, 'https://evil.example/api/webhooks/1/x'],
      [SECRET_NAMES.mongodbAdminPassword, 'has a space in the middle of it'],
    ];
    for (const [name, value] of attempts) {
      const attempt = putSecret(new SSMClient({}), 'staging', name as never, value);
      await expect(attempt).rejects.toThrow(UsageError);
      await attempt.catch((error: unknown) => {
        expect(String(error)).not.toContain(value);
      });
    }
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('accepts the environment and secret name only as flags, never a value on argv', () => {
    expect(parseSecretArgs(['--env', 'prod', '--name', 'mongodb-bot-password', '--generate'])).toEqual({
      environment: 'prod',
      name: 'mongodb-bot-password',
      generate: true,
    });
    expect(() => parseSecretArgs(['--env', 'prod', '--name', 'discord-token', TOKEN])).toThrow(/never argv/);
    expect(() => parseSecretArgs(['--env', 'prod', '--name', 'password'])).toThrow(/must be one of/);
    expect(() => parseSecretArgs(['--name', 'discord-token'])).toThrow(/--env/);
    expect(() => parseSecretArgs(['--env', 'prod', '--name', 'discord-token', '--generate'])).toThrow(
      /only for MongoDB passwords and the fairness seed key/,
    );
  });

  it('generates the fairness seed key (32 bytes, base64), validates it, and never overwrites it', async () => {
    expect(parseSecretArgs(['--env', 'prod', '--name', 'fairness-seed-key', '--generate']).generate).toBe(true);
    const key = generateSecret(SECRET_NAMES.fairnessSeedKey);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(validateSecret(SECRET_NAMES.fairnessSeedKey, key)).toBe(key);
    expect(() => validateSecret(SECRET_NAMES.fairnessSeedKey, Buffer.alloc(16).toString('base64'))).toThrow(
      /32 bytes in base64/,
    );
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await putSecret(new SSMClient({}), 'prod', SECRET_NAMES.fairnessSeedKey, key);
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    // A replaced key would leave every sealed, unrevealed seed unopenable.
    expect(input).toMatchObject({ Name: '/gacha-bot/prod/fairness-seed-key', Type: 'SecureString', Overwrite: false });
  });

  it('generates strong URL-safe passwords that pass validation', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(generatePassword()).not.toBe(a);
    expect(validateSecret(SECRET_NAMES.mongodbBackupPassword, a)).toBe(a);
  });

  it('refuses a value on the command line as a process (exit 2, nothing printed back)', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.resolve(__dirname, '..', '..', 'scripts', 'secrets-put.ts'),
        '--env',
        'prod',
        '--name',
        'discord-token',
        TOKEN,
      ],
      { encoding: 'utf8', input: '' },
    );
    expect(result.status).toBe(2);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });
});

describe('the external MongoDB URI (growth path)', () => {
  it('is written whole, never generated, and must be a MongoDB connection string', () => {
    expect(parseSecretArgs(['--env', 'prod', '--name', 'mongodb-uri'])).toEqual({
      environment: 'prod',
      name: 'mongodb-uri',
      generate: false,
    });
    expect(() => parseSecretArgs(['--env', 'prod', '--name', 'mongodb-uri', '--generate'])).toThrow(/only for MongoDB/);
    const uri = 'mongodb+srv://gacha-bot:s3cret-Value@cluster0.example.mongodb.net/gacha';
    expect(validateSecret('mongodb-uri', `${uri}\n`)).toBe(uri);
    expect(() => validateSecret('mongodb-uri', 'https://cluster0.example.mongodb.net/gacha')).toThrow(
      /not a mongodb:\/\/ or mongodb\+srv:\/\/ connection string/,
    );
    // The message is fixed text: it never carries the value typed.
    expect(() => validateSecret('mongodb-uri', 'postgres://user:hunter2-secret@db/gacha')).toThrow(
      /^mongodb-uri: not a mongodb:\/\/ or mongodb\+srv:\/\/ connection string$/,
    );
  });
});
