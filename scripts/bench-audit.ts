/**
 * `npm run bench:audit` — seeds BENCH_AUDIT_DOCS (default 100,000) pull history documents of one
 * banner spread over the last 30 days (plus as many of another guild, which the queries must skip),
 * then times the audit of the last 30 days: the first run builds the daily rollups, the next
 * BENCH_AUDIT_RUNS read them (plus today's tail from history) and compute the statistics. Prints
 * figures; asserts nothing. Target: ≤ 1 s for 100,000 documents. MONGODB_URI uses any server, else
 * FerretDB as in the tests (whose SQLite backend scans for anything but `_id` lookups: the tail).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { defaultCatalog } from '../app/domain/default-catalog';
import { auditBanner } from '../app/domain/fairness/audit';
import { initialPlayerState } from '../app/domain/player-state';
import { performPull } from '../app/domain/pull-engine';
import { SecureRng } from '../app/domain/rng';
import { HISTORY_COLLECTION, auditCells, ensureAuditIndexes } from '../app/storage/audit-query';
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
      written += batch.length;
      batch = [];
    };
    for (let n = 0; written + batch.length < DOCS * 2; n++) {
      const count = n % 4 === 0 ? 10 : 1;
      const outcome = performPull(catalog, 'standard', count, state, rng, new Date(start));
      state = { ...outcome.state, owned: {} };
      const target = (n >> 2) % 2 === 0;
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
          at: new Date(Math.min(start + n * step, now.getTime() - 1)),
        });
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    const seeded = await history.countDocuments({ guildId: 'g1' });
    process.stdout.write(
      `bench:audit: ${seeded} documents of the audited banner, ${written} in all, seeded in ${Date.now() - seedStarted} ms\n`,
    );
    const period = { from: new Date(start), to: now };
    const buildStarted = performance.now();
    await auditCells(db, 'g1', 'standard', period, now);
    const buildMs = performance.now() - buildStarted;
    const times: number[] = [];
    const queryTimes: number[] = [];
    let verdict = '';
    for (let run = 0; run < RUNS; run++) {
      const began = performance.now();
      const cells = await auditCells(db, 'g1', 'standard', period, now);
      queryTimes.push(performance.now() - began);
      const audit = auditBanner(catalog, 'standard', cells);
      times.push(performance.now() - began);
      verdict = `${audit.verdict}, ${audit.pulls} pulls in ${cells.length} cells`;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    process.stdout.write(
      `bench:audit: first audit (builds the daily rollups) ${buildMs.toFixed(0)} ms; then ${verdict}; ${RUNS} runs, median ${median(times).toFixed(0)} ms in all, of which the query ${median(queryTimes).toFixed(0)} ms (target ≤ 1000 ms for 100,000)\n`,
    );
    await db.dropDatabase();
  } finally {
    await client.close();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
