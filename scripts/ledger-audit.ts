/**
 * `npm run db:audit` — the whole-database ledger audit (app/storage/ledger-audit.ts) against
 * MONGODB_URI / MONGODB_DATABASE (default `gacha`): prints players, events and every problem, and
 * exits 1 when there is one. The migration to an external database runs it on the target before
 * the switch. Prints no URI (it carries credentials).
 */
import { MongoClient } from 'mongodb';
import { scrubSecrets } from '../app/observability/logger';
import { auditLedger } from '../app/storage/ledger-audit';

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const report = await auditLedger(client.db(process.env.MONGODB_DATABASE ?? 'gacha'));
    process.stdout.write(`players ${report.players}, events ${report.events}, problems ${report.problems.length}\n`);
    for (const problem of report.problems) process.stdout.write(`  ${problem}\n`);
    if (report.problems.length > 0) process.exitCode = 1;
  } finally {
    await client.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `ledger audit failed: ${scrubSecrets(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exit(1);
});
