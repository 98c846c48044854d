/**
 * `npm run bench:audit` — seeds BENCH_AUDIT_DOCS (default 100,000) pull history documents of one
 * banner spread over the last 30 days (plus as many of another guild, which the queries must skip),
 * with the audit journal documents the projection writer writes alongside (one per pull event, for
 * the events the journal holds), then times the month audit as the service asks for it (from the
 * start of the UTC day 30 days ago): the first run builds the daily rollups, the next
 * BENCH_AUDIT_RUNS read them (one `_id` read per day) plus the recent rest from the journal, and
 * compute the statistics. Prints figures and what the steady-state audit read (documents, round
 * trips); checks that its cells equal the raw history's. Target: ≤ 1 s for 100,000 documents.
 * MONGODB_URI uses any server, else FerretDB as in the tests.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { defaultCatalog } from '../app/domain/default-catalog';
import { auditBanner } from '../app/domain/fairness/audit';
import { initialPlayerState } from '../app/domain/player-state';
import { performPull } from '../app/domain/pull-engine';
import { SecureRng } from '../app/domain/rng';
import { auditPeriodStart } from '../app/services/fairness-service';
import {
  AUDIT_JOURNAL_COLLECTION,
  type AuditJournalDoc,
  type AuditReadStats,
  HISTORY_COLLECTION,
  auditCells,
  auditJournalFloor,
  ensureAuditIndexes,
  historyCells,
  mergeCells,
} from '../app/storage/audit-query';
import { startMongoServer } from '../test/support/mongo-server';

const DOCS = Number(process.env.BENCH_AUDIT_DOCS ?? 100_000);
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 5);
const BATCH = 5_000;

async function main(): Promise<void> {
  const server = await startMongoServer((line) => process.stderr.write(`${line}\n`));
  const client = new MongoClient(server.uri);
  try {
    await client.connect();
    const db = client.db(`bench_audit_${randomBytes(4).toString('hex')}`);
    await ensureAuditIndexes(db);
    const history = db.collection<Record<string, unknown>>(HISTORY_COLLECTION);
    const journal = db.collection<AuditJournalDoc>(AUDIT_JOURNAL_COLLECTION);
    const journalFrom = auditJournalFloor(new Date()).getTime() - 86_400_000;
    let journalBatch: AuditJournalDoc[] = [];
    let journalWritten = 0;
    const catalog = defaultCatalog();
    const rng = new SecureRng();
    let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
    const now = new Date();
    const start = now.getTime() - 30 * 86_400_000;
    // About 0.62 pulls (of 3.25 documents on average) per document pair of the two guilds.
    const step = Math.max(1, Math.floor((30 * 86_400_000 * 1.6) / DOCS));
    const seedStarted = Date.now();
    let batch: Record<string, unknown>[] = [];
    let written = 0;
    const flush = async () => {
      if (batch.length > 0) await history.insertMany(batch, { ordered: false });
      if (journalBatch.length > 0) await journal.insertMany(journalBatch, { ordered: false });
      written += batch.length;
      journalWritten += journalBatch.length;
      batch = [];
      journalBatch = [];
    };
    for (let n = 0; written + batch.length < DOCS * 2; n++) {
      const count = n % 4 === 0 ? 10 : 1;
      const outcome = performPull(catalog, 'standard', count, state, rng, new Date(start));
      state = { ...outcome.state, owned: {} };
      const target = (n >> 2) % 2 === 0;
      const at = new Date(Math.min(start + n * step, now.getTime() - 1));
      if (at.getTime() >= journalFrom) {
        journalBatch.push({
          _id: `${target ? 'g1' : 'g2'}:u${n % 500}:op${n}`,
          guildId: target ? 'g1' : 'g2',
          bannerId: 'standard',
          at,
          cells: mergeCells(
            outcome.items.map((item) => ({
              tierId: item.tierId,
              pityCount: item.pityCount,
              guaranteeSlot: item.guaranteeSlot,
              tenPull: count === 10,
              pulls: 1,
            })),
          ),
        });
      }
      outcome.items.forEach((item, index) => {
        batch.push({
          _id: `${target ? 'g1' : 'g2'}:u${n % 500}:op${n}:${index}`,
          guildId: target ? 'g1' : 'g2',
          userId: `u${n % 500}`,
          source: 'pull',
          bannerId: 'standard',
          tierId: item.tierId,
          itemId: item.itemId,
          pityCount: item.pityCount,
          guaranteeSlot: item.guaranteeSlot,
          tenPull: count === 10,
          index,
          at,
        });
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    const seeded = await history.countDocuments({ guildId: 'g1' });
    process.stdout.write(
      `bench:audit: ${seeded} documents of the audited banner, ${written} in all (+ ${journalWritten} journal documents), seeded in ${Date.now() - seedStarted} ms\n`,
    );
    const period = { from: auditPeriodStart('month', now), to: now };
    const buildStarted = performance.now();
    await auditCells(db, 'g1', 'standard', period, now);
    const buildMs = performance.now() - buildStarted;
    const times: number[] = [];
    const queryTimes: number[] = [];
    let verdict = '';
    let read: AuditReadStats | undefined;
    let steadyCells: Awaited<ReturnType<typeof auditCells>> = [];
    for (let run = 0; run < RUNS; run++) {
      const began = performance.now();
      const stats: AuditReadStats = {
        rollupReads: 0,
        journalQueries: 0,
        journalDocs: 0,
        historyQueries: 0,
        historyRows: 0,
        rollupsBuilt: 0,
      };
      const cells = await auditCells(db, 'g1', 'standard', period, now, stats);
      read = stats;
      steadyCells = cells;
      queryTimes.push(performance.now() - began);
      const audit = auditBanner(catalog, 'standard', cells);
      times.push(performance.now() - began);
      verdict = `${audit.verdict}, ${audit.pulls} pulls in ${cells.length} cells`;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    process.stdout.write(
      `bench:audit: first audit (builds the daily rollups) ${buildMs.toFixed(0)} ms; then ${verdict}; ${RUNS} runs, median ${median(times).toFixed(0)} ms in all, of which the query ${median(queryTimes).toFixed(0)} ms (target ≤ 1000 ms for 100,000)\n`,
    );
    if (read) {
      process.stdout.write(
        `bench:audit: the steady-state audit read ${read.rollupReads} rollup documents by _id (one round trip each, sent together), ` +
          `${read.journalDocs} journal documents in ${read.journalQueries} query, ${read.historyRows} history documents in ${read.historyQueries} queries; ` +
          `built ${read.rollupsBuilt} rollups\n`,
      );
    }
    const raw = await historyCells(db, 'g1', 'standard', period);
    const same = JSON.stringify(raw) === JSON.stringify(steadyCells);
    process.stdout.write(`bench:audit: cells equal to the raw history's: ${same ? 'yes' : 'NO'}\n`);
    await db.dropDatabase();
    if (!same) process.exitCode = 1;
  } finally {
    await client.close();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
