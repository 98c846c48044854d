/**
 * The daily backup job (S3 and CloudWatch stubbed at the SDK client boundary) and the shipped
 * backup.js command run as a process against the real test server.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { build } from 'esbuild';
import pino from 'pino';
import { runBackup } from '../../app/backup/backup-job';
import { validateDump } from '../../app/backup/dump-format';
import { METRICS } from '../../app/contracts/metrics';
import { createLogger } from '../../app/observability/logger';
import { botBuildOptions } from '../../scripts/bot-build-options';
import { openStore, snowflake, stack } from '../storage/store-fixture';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

const run = promisify(execFile);

function memoryLog(): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = { write: (s: string) => chunks.push(s) } as unknown as pino.DestinationStream;
  return {
    log: createLogger('info', stream),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('backup job', () => {
  const s3 = mockClient(S3Client);
  const cloudwatch = mockClient(CloudWatchClient);
  let store: TestDatabase;

  beforeAll(async () => {
    store = await openStore();
    const { gacha, upkeep } = stack(store.db);
    const guildId = snowflake();
    for (let i = 0; i < 3; i += 1) {
      const player = { guildId, userId: snowflake() };
      await gacha.grant(player, 'seed', 5_000, 'seed', null);
      await gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    }
    await upkeep.flush();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    s3.reset();
    cloudwatch.reset();
  });

  const deps = (stateDir: string, log: ReturnType<typeof createLogger>) => {
    const s3Client = new S3Client({ region: 'ap-northeast-1' });
    const cw = new CloudWatchClient({ region: 'ap-northeast-1' });
    return {
      log,
      environment: 'prod',
      stateDir,
      upload: {
        bucket: 'gacha-dumps',
        putObject: (input: PutObjectCommandInput) => s3Client.send(new PutObjectCommand(input)),
      },
      putMetricData: (input: PutMetricDataCommandInput) => cw.send(new PutMetricDataCommand(input)),
      now: () => new Date('2026-11-29T18:30:00.000Z'),
    };
  };

  it('uploads a verified dump under a dated key with SSE, records it and reports success', async () => {
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      // Drain the body like S3 would, checking it is the dump.
      const chunks: Buffer[] = [];
      for await (const chunk of input.Body as AsyncIterable<Buffer>) chunks.push(chunk);
      expect(Buffer.concat(chunks).length).toBe(input.ContentLength);
      return {};
    });
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-state-'));
    const { log, lines } = memoryLog();
    const outcome = await runBackup({ db: store.db, ...deps(stateDir, log) });
    expect(outcome.ok).toBe(true);
    expect(outcome.key).toBe(`dumps/2026/11/29/${store.db.databaseName}-20261129T183000Z.gbdump.gz`);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      Bucket: 'gacha-dumps',
      ServerSideEncryption: 'AES256',
      ContentType: 'application/gzip',
    });
    expect(put?.ChecksumSHA256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const metrics = cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(metrics?.Namespace).toBe('GachaBot');
    expect(metrics?.MetricData?.map((d) => [d.MetricName, d.Value])).toEqual([
      [METRICS.backupSucceeded.name, 1],
      [METRICS.backupAge.name, 0],
    ]);
    expect(metrics?.MetricData?.[0]?.Dimensions).toEqual([{ Name: 'Environment', Value: 'prod' }]);
    expect(JSON.parse(readFileSync(path.join(stateDir, 'last-good.json'), 'utf8'))).toEqual({
      at: '2026-11-29T18:30:00.000Z',
      key: outcome.key,
    });
    const messages = lines().map((l) => l.msg);
    expect(messages).toEqual(['backup started', 'dump written and verified', 'dump uploaded', 'backup succeeded']);
  });

  it('reports failure and the age of the last good backup when S3 refuses, without crashing', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-state-'));
    writeFileSync(path.join(stateDir, 'last-good.json'), JSON.stringify({ at: '2026-11-28T06:30:00.000Z', key: 'k' }));
    const { log, lines } = memoryLog();
    const outcome = await runBackup({ db: store.db, ...deps(stateDir, log) });
    expect(outcome).toMatchObject({ ok: false, error: 'AccessDenied', ageHours: 36 });
    const metrics = cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(metrics?.MetricData?.map((d) => [d.MetricName, d.Value])).toEqual([
      [METRICS.backupFailed.name, 1],
      [METRICS.backupAge.name, 36],
    ]);
    expect(lines().some((l) => l.msg === 'backup failed' && l.level === 'error')).toBe(true);
    expect(JSON.parse(readFileSync(path.join(stateDir, 'last-good.json'), 'utf8'))).toMatchObject({ key: 'k' });
  });

  it('still returns a result when CloudWatch is unreachable', async () => {
    s3.on(PutObjectCommand).resolves({});
    cloudwatch.on(PutMetricDataCommand).rejects(new Error('unreachable'));
    const { log, lines } = memoryLog();
    const outcome = await runBackup({ db: store.db, ...deps(mkdtempSync(path.join(os.tmpdir(), 's-')), log) });
    expect(outcome.ok).toBe(true);
    expect(lines().some((l) => l.msg === 'could not publish backup metrics')).toBe(true);
  });
});

describe('backup.js (the shipped command)', () => {
  let bundle: string;
  let source: TestDatabase;

  beforeAll(async () => {
    bundle = path.join(mkdtempSync(path.join(os.tmpdir(), 'gacha-backup-bundle-')), 'backup.js');
    await build({ ...botBuildOptions(bundle, 'backup-main.ts'), logLevel: 'error' });
    source = await openStore();
    const { gacha, upkeep } = stack(source.db);
    const player = { guildId: snowflake(), userId: snowflake() };
    await gacha.grant(player, 'seed', 3_000, '付与', null);
    await gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await upkeep.flush();
  }, 60_000);
  afterAll(async () => {
    await source.close();
  });

  const exec = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, [bundle, ...args], {
      env: { PATH: process.env.PATH ?? '', MONGODB_URI: source.uri, MONGODB_DATABASE: source.name, ...extraEnv },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (error: unknown) => {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout, err: e.stderr };
      },
    );

  it('backs up to a file, restores with a dry run first, and refuses a non-empty target', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-cli-'));
    const file = path.join(dir, 'dump.gbdump.gz');
    const logDir = path.join(dir, 'logs');
    const backup = await exec(['backup', '--out', file], { LOG_DIR: logDir });
    expect(backup.code).toBe(0);
    expect((await validateDump(file)).collections.length).toBeGreaterThan(3);
    const logged = readFileSync(path.join(logDir, 'backup.log'), 'utf8');
    expect(logged).toContain('backup succeeded');
    expect(logged).not.toContain(source.uri);

    const target = await openTestDatabase('cli-target');
    try {
      const dry = await exec(['restore', '--from', file, '--target-db', target.name, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toMatch(/player_ledger\s+dump\s+\d+\s+target\s+0\s+create/);
      expect(dry.out).toContain('dry run: nothing changed');
      expect(await target.db.listCollections().toArray()).toEqual([]);

      const real = await exec(['restore', '--from', file, '--target-db', target.name]);
      expect(real.code).toBe(0);
      expect(real.out).toContain('counts and checksums verified');

      const again = await exec(['restore', '--from', file, '--target-db', target.name]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/not empty .* --force/);

      writeFileSync(file, readFileSync(file).subarray(0, 100));
      const broken = await exec(['verify', '--from', file]);
      expect(broken.code).toBe(1);
      expect(broken.err).toMatch(/truncated|corrupted/);
    } finally {
      await target.close();
    }
  }, 60_000);

  it('exits 2 on bad usage and never prints the connection string on failure', async () => {
    expect((await exec(['explode'])).code).toBe(2);
    const dead = await exec(['backup', '--out', '/tmp/x.gz'], {
      MONGODB_URI: 'mongodb://gacha-bot:s3cr3t-pass@127.0.0.1:1/gacha?serverSelectionTimeoutMS=500',
    });
    expect(dead.code).toBe(1);
    expect(`${dead.out}${dead.err}`).not.toContain('s3cr3t-pass');
    expect(existsSync('/tmp/x.gz')).toBe(false);
  }, 30_000);
});
