/**
 * `npm run db:migrate -- copy` then `npm run db:migrate -- final [--switch <env>]` — moves the
 * database from the local mongod to an external one (README "Growing beyond one t3.micro").
 *
 *   SOURCE_MONGODB_URI  the local database (through an SSM port forward to the instance)
 *   TARGET_MONGODB_URI  the external database (Atlas or a replica set), empty before `copy`
 *   MONGODB_DATABASE    database name on both (default `gacha`)
 *   TARGET_MONGODB_DATABASE  the target's name when it differs (default MONGODB_DATABASE), e.g. a
 *                       rehearsal into a second database of the same server
 *   GACHA_FAIRNESS_SEED_KEY  the bot's seed sealing key (SSM `/gacha-bot/<env>/fairness-seed-key`):
 *                       `final`'s recovery pass runs the bot's services on the target; checked by
 *                       `copy` already, so a missing key shows before the bot is stopped
 *   --state FILE        where `copy` writes the high-water mark for `final` (default migrate-state.json)
 *
 * Each phase prints a line per collection copied (and per 100,000 documents of a big one).
 * `copy` runs while the bot runs. Stop the bot, then `final` copies the delta, runs the recovery
 * pass and the ledger audit on the target, and prints the downtime; with `--switch <env>` and a
 * clean audit it writes TARGET_MONGODB_URI to the SSM SecureString `/gacha-bot/<env>/mongodb-uri`.
 * Nothing here prints a URI (they carry credentials).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MongoClient } from 'mongodb';
import { SECRET_NAMES } from '../app/contracts/host';
import { SEED_KEY_ENV } from '../app/storage/seed-store';
import { scrubSecrets } from '../app/observability/logger';
import { copyAll, copyFinalDelta } from './lib/migrate-database';
import { putSecret } from './lib/secrets';

const USAGE = 'usage: npm run db:migrate -- copy [--state FILE] | final [--state FILE] [--switch staging|prod]';
const SWITCH_ENVIRONMENTS = ['staging', 'prod'];

interface Args {
  readonly phase: 'copy' | 'final';
  readonly stateFile: string;
  readonly switchEnv?: string;
}

/** The phase and its options; anything else is refused before a connection is opened. */
function parseArgs(argv: readonly string[]): Args {
  const [phase, ...rest] = argv;
  if (phase !== 'copy' && phase !== 'final')
    throw new Error(`${phase === undefined ? 'no phase' : `unknown phase ${phase}`}; ${USAGE}`);
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i] ?? '';
    const value = rest[i + 1];
    const allowed = phase === 'copy' ? ['--state'] : ['--state', '--switch'];
    if (!allowed.includes(name)) throw new Error(`${name} is not an option of ${phase}; ${USAGE}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value; ${USAGE}`);
    options.set(name, value);
  }
  const switchEnv = options.get('--switch');
  if (switchEnv !== undefined && !SWITCH_ENVIRONMENTS.includes(switchEnv))
    throw new Error(`--switch takes staging or prod, not ${switchEnv}`);
  return { phase, stateFile: options.get('--state') ?? 'migrate-state.json', ...(switchEnv ? { switchEnv } : {}) };
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

interface MigrateState {
  readonly highWaterMark: string;
  /** The bulk audit's flagged players; absent in a state file from before the bulk audit. */
  readonly flaggedPlayers?: string[];
}

function readState(stateFile: string, database: string): MigrateState {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch {
    throw new Error(`no state file ${stateFile}: run npm run db:migrate -- copy first (or pass its --state FILE)`);
  }
  const state = JSON.parse(text) as { database?: string; highWaterMark?: string; flaggedPlayers?: unknown };
  if (state.database !== database || typeof state.highWaterMark !== 'string')
    throw new Error(`${stateFile} is not a copy of database ${database}`);
  const flagged = state.flaggedPlayers;
  if (flagged === undefined) return { highWaterMark: state.highWaterMark };
  if (!Array.isArray(flagged) || !flagged.every((k): k is string => typeof k === 'string'))
    throw new Error(`${stateFile}: flaggedPlayers is not a list of player keys`);
  return { highWaterMark: state.highWaterMark, flaggedPlayers: flagged };
}

async function main(): Promise<void> {
  const { phase, stateFile, switchEnv } = parseArgs(process.argv.slice(2));
  const database = process.env.MONGODB_DATABASE ?? 'gacha';
  const targetDatabase = process.env.TARGET_MONGODB_DATABASE || database;
  const sourceUri = env('SOURCE_MONGODB_URI');
  const targetUri = env('TARGET_MONGODB_URI');
  if (sourceUri === targetUri && database === targetDatabase)
    throw new Error(`source and target are the same database (${database} on the same URI)`);
  env(SEED_KEY_ENV);
  const state = phase === 'final' ? readState(stateFile, database) : undefined;
  const source = new MongoClient(sourceUri, { serverSelectionTimeoutMS: 10_000 });
  const target = new MongoClient(targetUri, { serverSelectionTimeoutMS: 10_000, writeConcern: { w: 'majority' } });
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  try {
    await Promise.all([source.connect(), target.connect()]);
    if (phase === 'copy') {
      const copied = await copyAll(source.db(database), target.db(targetDatabase), undefined, { log });
      const { flaggedPlayers } = copied.bulkAudit;
      writeFileSync(
        stateFile,
        `${JSON.stringify({ database, highWaterMark: copied.highWaterMark, flaggedPlayers })}\n`,
      );
      process.stdout.write(
        `copy: ${copied.documents} documents (${copied.ledgerEvents} ledger events) in ${(copied.durationMs / 1000).toFixed(1)} s; ` +
          `bulk audit ${(copied.bulkAudit.durationMs / 1000).toFixed(1)} s, ${flaggedPlayers.length} players flagged for the final audit; ` +
          `high-water mark ${copied.highWaterMark} in ${stateFile}\nNow stop the bot, then run: npm run db:migrate -- final\n`,
      );
      return;
    }
    if (state === undefined) throw new Error(`${stateFile} holds no high-water mark`);
    const final = await copyFinalDelta(source.db(database), target.db(targetDatabase), state.highWaterMark, undefined, {
      log,
      ...(state.flaggedPlayers ? { flaggedPlayers: state.flaggedPlayers } : {}),
    });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `final: ${final.deltaDocuments} documents in the delta (${s(final.deltaMs)}), recovery ${s(final.recoveryMs)}, ` +
        `audit ${s(final.auditMs)}: ${final.auditedPlayers === 'all' ? 'every player' : 'the delta players'}, ` +
        `${final.audit.players} players, ${final.audit.events} events audited; ledger ${final.targetLedgerEvents} events ` +
        `(source ${final.sourceLedgerEvents}), ${final.audit.problems.length} problems\n` +
        `downtime (bot stopped → target verified): ${s(final.durationMs)}\n`,
    );
    for (const problem of final.audit.problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
    if (!final.ready) {
      process.stdout.write('NOT ready: keep the bot on the local database (start it again) and investigate.\n');
      process.exitCode = 1;
      return;
    }
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
