/**
 * `npm run db:migrate -- copy` then `npm run db:migrate -- final [--switch <env>]` — moves the
 * database from the local mongod to an external one (README "Growing beyond one t3.micro").
 *
 *   SOURCE_MONGODB_URI  the local database (through an SSM port forward to the instance)
 *   TARGET_MONGODB_URI  the external database (Atlas or a replica set), empty before `copy`
 *   MONGODB_DATABASE    database name on both (default `gacha`)
 *   --state FILE        where `copy` writes the high-water mark for `final` (default migrate-state.json)
 *
 * `copy` runs while the bot runs. Stop the bot, then `final` copies the delta, runs the recovery
 * pass and the ledger audit on the target, and prints the downtime; with `--switch <env>` and a
 * clean audit it writes TARGET_MONGODB_URI to the SSM SecureString `/gacha-bot/<env>/mongodb-uri`.
 * Nothing here prints a URI (they carry credentials).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MongoClient } from 'mongodb';
import { SECRET_NAMES } from '../app/contracts/host';
import { scrubSecrets } from '../app/observability/logger';
import { copyAll, copyFinalDelta } from './lib/migrate-database';
import { putSecret } from './lib/secrets';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const phase = process.argv[2];
  if (phase !== 'copy' && phase !== 'final') throw new Error('usage: db:migrate -- copy | final [--switch <env>]');
  const stateFile = arg('--state') ?? 'migrate-state.json';
  const database = process.env.MONGODB_DATABASE ?? 'gacha';
  const targetUri = env('TARGET_MONGODB_URI');
  const source = new MongoClient(env('SOURCE_MONGODB_URI'), { serverSelectionTimeoutMS: 10_000 });
  const target = new MongoClient(targetUri, { serverSelectionTimeoutMS: 10_000, writeConcern: { w: 'majority' } });
  try {
    await Promise.all([source.connect(), target.connect()]);
    if (phase === 'copy') {
      const copied = await copyAll(source.db(database), target.db(database));
      writeFileSync(stateFile, `${JSON.stringify({ database, highWaterMark: copied.highWaterMark })}\n`);
      process.stdout.write(
        `copy: ${copied.documents} documents (${copied.ledgerEvents} ledger events) in ${(copied.durationMs / 1000).toFixed(1)} s; ` +
          `high-water mark ${copied.highWaterMark} in ${stateFile}\nNow stop the bot, then run: npm run db:migrate -- final\n`,
      );
      return;
    }
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { database?: string; highWaterMark?: string };
    if (state.database !== database || typeof state.highWaterMark !== 'string')
      throw new Error(`${stateFile} is not a copy of database ${database}`);
    const final = await copyFinalDelta(source.db(database), target.db(database), state.highWaterMark);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `final: ${final.deltaDocuments} documents in the delta (${s(final.deltaMs)}), recovery ${s(final.recoveryMs)}, ` +
        `audit ${s(final.auditMs)}: ${final.audit.players} players, ${final.audit.events} events ` +
        `(source ${final.sourceLedgerEvents}), ${final.audit.problems.length} problems\n` +
        `downtime (bot stopped → target verified): ${s(final.durationMs)}\n`,
    );
    for (const problem of final.audit.problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
    if (!final.ready) {
      process.stdout.write('NOT ready: keep the bot on the local database (start it again) and investigate.\n');
      process.exitCode = 1;
      return;
    }
    const switchEnv = arg('--switch');
    if (switchEnv === undefined) {
      process.stdout.write(
        'ready: write the target URI with npm run secrets:put -- --name mongodb-uri, then deploy.\n',
      );
      return;
    }
    const { parameter, version } = await putSecret(new SSMClient({}), switchEnv, SECRET_NAMES.mongodbUri, targetUri);
    process.stdout.write(
      `switched: ${parameter} (version ${version}). Set database: 'external' for ${switchEnv} in ` +
        'lib/config/environments.ts and run npm run deploy; the bot starts on the target.\n',
    );
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${scrubSecrets(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
