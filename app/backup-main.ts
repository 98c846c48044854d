/**
 * `backup.js` — shipped beside the bot bundle; run daily by gacha-bot-backup.timer.
 *
 *   node backup.js backup [--to-s3] [--out FILE]
 *   node backup.js restore --from FILE|s3://bucket/key [--target-db NAME] [--dry-run] [--force]
 *   node backup.js verify --from FILE|s3://bucket/key
 *
 * MONGODB_URI / MONGODB_DATABASE select the database; DUMP_BUCKET, GACHA_ENV, LOG_DIR and
 * METRICS_ENABLED come from the host environment. Exit 0 on success, 1 on failure, 2 on bad usage.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { LOG_FILES } from './contracts/host';
import { runBackup } from './backup/backup-job';
import { DumpError, validateDump } from './backup/dump-format';
import { RestoreRefused, restoreDatabase } from './backup/restore-database';
import { createLogger, scrubSecrets } from './observability/logger';

class UsageError extends Error {}

interface Args {
  readonly command: 'backup' | 'restore' | 'verify';
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore' && command !== 'verify') {
    throw new UsageError('usage: backup.js backup|restore|verify [options]');
  }
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (['--to-s3', '--dry-run', '--force'].includes(arg)) flags.add(arg);
    else if (['--out', '--from', '--target-db'].includes(arg) && rest[i + 1] !== undefined) {
      values.set(arg, rest[i + 1] ?? '');
      i += 1;
    } else throw new UsageError(`unknown or incomplete option: ${arg}`);
  }
  return { command, flags, values };
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new UsageError(`${name} is not set`);
  return value;
}

/** A local path for `--from`: S3 objects are downloaded to a temporary file first. */
async function localDump(from: string): Promise<{ file: string; cleanup: () => void }> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(from);
  if (!match) {
    return {
      file: from,
      cleanup: () => {
        /* a local file stays */
      },
    };
  }
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-restore-'));
  const file = path.join(dir, 'dump.gbdump.gz');
  const out = await new S3Client({}).send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
  await pipeline(out.Body as Readable, createWriteStream(file, { mode: 0o600 }));
  return {
    file,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const logDir = process.env.LOG_DIR;
  const log = createLogger(
    process.env.LOG_LEVEL ?? 'info',
    logDir
      ? pino.multistream([
          { stream: pino.destination({ dest: path.join(logDir, LOG_FILES.backup), mkdir: true, sync: true }) },
          { stream: process.stdout },
        ])
      : undefined,
  );
  if (args.command === 'verify') {
    const { file, cleanup } = await localDump(args.values.get('--from') ?? '');
    try {
      const manifest = await validateDump(file);
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      return 0;
    } finally {
      cleanup();
    }
  }
  const client = new MongoClient(env('MONGODB_URI'), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    if (args.command === 'backup') {
      const toS3 = args.flags.has('--to-s3');
      const metricsOn = process.env.METRICS_ENABLED === 'true';
      const upload = toS3
        ? await (async () => {
            const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
            const s3 = new S3Client({});
            return {
              bucket: env('DUMP_BUCKET'),
              putObject: (input: PutObjectCommandInput) => s3.send(new PutObjectCommand(input)),
            };
          })()
        : undefined;
      const putMetricData = metricsOn
        ? await (async () => {
            const { CloudWatchClient, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
            const cloudwatch = new CloudWatchClient({});
            return (input: PutMetricDataCommandInput) => cloudwatch.send(new PutMetricDataCommand(input));
          })()
        : undefined;
      const outFile = args.values.get('--out');
      if (!toS3 && !outFile) throw new UsageError('backup needs --to-s3 and/or --out FILE');
      const outcome = await runBackup({
        db: client.db(process.env.MONGODB_DATABASE ?? 'gacha'),
        log,
        environment: process.env.GACHA_ENV ?? 'local',
        ...(upload ? { upload } : {}),
        ...(putMetricData ? { putMetricData } : {}),
        ...(process.env.BACKUP_STATE_DIR ? { stateDir: process.env.BACKUP_STATE_DIR } : {}),
        ...(outFile ? { outFile } : {}),
      });
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      return outcome.ok ? 0 : 1;
    }
    const from = args.values.get('--from');
    if (!from) throw new UsageError('restore needs --from FILE|s3://bucket/key');
    const target = client.db(args.values.get('--target-db') ?? process.env.MONGODB_DATABASE ?? 'gacha');
    const { file, cleanup } = await localDump(from);
    try {
      const dryRun = args.flags.has('--dry-run');
      const result = await restoreDatabase(target, file, { dryRun, force: args.flags.has('--force') });
      for (const line of result.plan) {
        process.stdout.write(
          `${line.collection.padEnd(20)} dump ${String(line.inDump).padStart(8)}  target ${String(line.inTarget).padStart(8)}  ${line.action}\n`,
        );
      }
      process.stdout.write(
        dryRun
          ? `dry run: nothing changed in ${target.databaseName}\n`
          : `restored ${result.manifest.collections.length} collections into ${target.databaseName}; counts and checksums verified; ` +
              `${result.freshEpochGuilds} guilds start a fresh fairness epoch at their next pull\n`,
      );
      log.info({ from, target: target.databaseName, dryRun, plan: result.plan }, 'restore finished');
      return 0;
    } finally {
      cleanup();
    }
  } finally {
    await client.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof DumpError || error instanceof RestoreRefused;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`backup.js: ${scrubSecrets(known ? message : `failed: ${message}`)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
