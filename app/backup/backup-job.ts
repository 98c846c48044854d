/**
 * The daily backup: dump → validate the file → upload to the environment's bucket under a dated
 * key (SSE) → remember the last good backup → publish BackupSucceeded / BackupFailed and
 * BackupAgeHours → log every step to the backup log. Never throws past its result: the caller
 * decides the exit code.
 */
import { createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { MetricDatum, PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import type { Db } from 'mongodb';
import { dumpKey } from '../contracts/host';
import { DIMENSION_ENVIRONMENT, METRICS, METRICS_NAMESPACE, type MetricKey } from '../contracts/metrics';
import type { Logger } from '../observability/logger';
import { dumpDatabase } from './dump-database';
import { validateDump } from './dump-format';

export interface BackupDeps {
  readonly db: Db;
  readonly log: Logger;
  readonly environment: string;
  /** Upload target; undefined keeps the dump local only (`--out`). */
  readonly upload?: { readonly bucket: string; readonly putObject: (input: PutObjectCommandInput) => Promise<unknown> };
  readonly putMetricData?: (input: PutMetricDataCommandInput) => Promise<unknown>;
  /** Directory holding `last-good.json`. */
  readonly stateDir?: string;
  /** Keep the dump at this path (otherwise a temporary file, deleted afterwards). */
  readonly outFile?: string;
  readonly now?: () => Date;
}

export interface BackupOutcome {
  readonly ok: boolean;
  readonly key?: string;
  readonly file?: string;
  readonly bytes?: number;
  readonly documents?: number;
  readonly ageHours?: number;
  readonly error?: string;
}

interface LastGood {
  readonly at: string;
  readonly key: string | null;
}

function readLastGood(stateDir: string | undefined): LastGood | undefined {
  if (!stateDir) return undefined;
  try {
    return JSON.parse(readFileSync(path.join(stateDir, 'last-good.json'), 'utf8')) as LastGood;
  } catch {
    return undefined;
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => {
        resolve(hash.digest('base64'));
      })
      .on('error', reject);
  });
}

export async function runBackup(deps: BackupDeps): Promise<BackupOutcome> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const log = deps.log.child({ job: 'backup', database: deps.db.databaseName });
  const temp = deps.outFile ? undefined : mkdtempSync(path.join(os.tmpdir(), 'gacha-backup-'));
  const file = deps.outFile ?? path.join(temp ?? os.tmpdir(), 'dump.gbdump.gz');
  let outcome: BackupOutcome;
  try {
    log.info('backup started');
    const { manifest, durationMs } = await dumpDatabase(deps.db, file, now);
    const verified = await validateDump(file);
    const bytes = statSync(file).size;
    const documents = verified.collections.reduce((sum, c) => sum + c.count, 0);
    log.info(
      { durationMs, bytes, collections: Object.fromEntries(manifest.collections.map((c) => [c.name, c.count])) },
      'dump written and verified',
    );
    let key: string | undefined;
    if (deps.upload) {
      key = dumpKey(deps.db.databaseName, started);
      // Opened now, not when the stream is first read: the temporary directory is removed in
      // `finally`, and a stream the client never read (or read only in part) would otherwise open
      // the deleted file later and fail with ENOENT outside this function.
      const body = createReadStream('', { fd: openSync(file, 'r') });
      await deps.upload
        .putObject({
          Bucket: deps.upload.bucket,
          Key: key,
          Body: body,
          ContentLength: bytes,
          ContentType: 'application/gzip',
          ServerSideEncryption: 'AES256',
          ChecksumSHA256: await sha256File(file),
          Metadata: { documents: String(documents), format: String(verified.format) },
        })
        .finally(() => body.destroy());
      log.info({ bucket: deps.upload.bucket, key, bytes }, 'dump uploaded');
    }
    if (deps.stateDir) {
      const state: LastGood = { at: started.toISOString(), key: key ?? null };
      writeFileSync(path.join(deps.stateDir, 'last-good.json'), JSON.stringify(state), { mode: 0o600 });
    }
    outcome = { ok: true, ...(key ? { key } : {}), ...(deps.outFile ? { file } : {}), bytes, documents, ageHours: 0 };
    log.info({ key, bytes, documents, durationMs: now().getTime() - started.getTime() }, 'backup succeeded');
  } catch (error) {
    const last = readLastGood(deps.stateDir);
    const ageHours = last ? (started.getTime() - Date.parse(last.at)) / 3_600_000 : undefined;
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error, lastGood: last?.at ?? null }, 'backup failed');
    outcome = { ok: false, error: message, ...(ageHours !== undefined ? { ageHours } : {}) };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
  await publishOutcome(deps, outcome, started, log);
  return outcome;
}

async function publishOutcome(deps: BackupDeps, outcome: BackupOutcome, at: Date, log: Logger): Promise<void> {
  if (!deps.putMetricData) return;
  const datum = (key: MetricKey, value: number): MetricDatum => ({
    MetricName: METRICS[key].name,
    Unit: METRICS[key].unit,
    Timestamp: at,
    Value: value,
    Dimensions: [{ Name: DIMENSION_ENVIRONMENT, Value: deps.environment }],
  });
  const data = [datum(outcome.ok ? 'backupSucceeded' : 'backupFailed', 1)];
  if (outcome.ageHours !== undefined) data.push(datum('backupAge', Math.round(outcome.ageHours * 100) / 100));
  try {
    await deps.putMetricData({ Namespace: METRICS_NAMESPACE, MetricData: data });
  } catch (error) {
    // The missing BackupSucceeded datapoint is what the stale-backup alarm watches for.
    log.error({ err: error }, 'could not publish backup metrics');
  }
}
