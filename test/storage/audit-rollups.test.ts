/**
 * The summarised audit equals the audit of the raw history, on the real test server, with pulls
 * made through the services (so history and the audit journal are written by the projection
 * writer): over 30 days, after new pulls land today, across a day boundary (the day is first read
 * from the journal, then rolled up once settled), after the journal is pruned, and when several
 * audits build the same rollups at once. The steady state reads one rollup per day and one journal
 * query, and no history.
 */
import { auditBanner } from '../../app/domain/fairness/audit';
import type { PlayerRef } from '../../app/services/gacha-service';
import {
  AUDIT_JOURNAL_COLLECTION,
  AUDIT_ROLLUPS_COLLECTION,
  type AuditReadStats,
  auditCells,
  auditJournalFloor,
  backfillAuditJournal,
  historyCells,
} from '../../app/storage/audit-query';
import { auditPeriodStart } from '../../app/services/fairness-service';
import { openStore, snowflake, stack, type TestStack } from './store-fixture';
import type { TestDatabase } from '../support/test-database';

const HOUR = 3_600_000;
let database: TestDatabase;
/** 2026-11-01 09:00 UTC: the pulls run for 30 days from here. */
let clock = Date.parse('2026-11-01T09:00:00Z');
const now = () => new Date(clock);
let svc: TestStack;
let guildId: string;
let players: PlayerRef[];

beforeAll(async () => {
  database = await openStore();
  svc = stack(database.db, { now, projectionDelayMs: 0 });
  guildId = snowflake();
  players = Array.from({ length: 4 }, () => ({ guildId, userId: snowflake() }));
  for (const p of players) await svc.gacha.grant(p, `fund-${p.userId}`, 100_000_000, 'test funding', null);
});
afterAll(async () => database.close());

let interaction = 0;
/** One round: every player pulls at the current time (a 10-pull every other round), then a minute passes. */
async function round(n: number): Promise<void> {
  await Promise.all(
    players.map((p) => {
      interaction++;
      return svc.gacha.pull({ ...p, interactionId: `i${interaction}` }, { count: n % 2 === 0 ? 10 : 1 });
    }),
  );
  clock += 60_000;
}

function emptyStats(): AuditReadStats {
  return { rollupReads: 0, journalQueries: 0, journalDocs: 0, historyQueries: 0, historyRows: 0, rollupsBuilt: 0 };
}

/** The month audit's cells (as the service asks for them) and what they read, against the raw history's. */
async function compareMonth(): Promise<{ stats: AuditReadStats; pulls: number }> {
  const at = now();
  const period = { from: auditPeriodStart('month', at), to: at };
  const stats = emptyStats();
  const summarised = await auditCells(database.db, guildId, 'standard', period, at, stats);
  const raw = await historyCells(database.db, guildId, 'standard', period);
  expect(summarised).toEqual(raw);
  const pulls = raw.reduce((s, c) => s + c.pulls, 0);
  expect(pulls).toBeGreaterThan(0);
  return { stats, pulls };
}

describe('the summarised audit', () => {
  it('equals the raw history over 30 days, after new pulls today and across a day boundary', async () => {
    // 30 days of pulls, a round every 18 hours (so some days have none).
    for (let n = 0; n < 40; n++) {
      await round(n);
      clock += 18 * HOUR;
    }
    await svc.upkeep.flush();
    clock = Date.parse('2026-12-01T12:00:00Z');

    // First audit: builds the settled days' rollups (older ones from history, recent ones from the journal).
    const first = await compareMonth();
    expect(first.stats.rollupsBuilt).toBe(30);
    const rollups = await database.db
      .collection(AUDIT_ROLLUPS_COLLECTION)
      .find({ guildId })
      .project<{ source: string }>({ source: 1 })
      .toArray();
    expect(rollups).toHaveLength(30);
    expect(new Set(rollups.map((r) => r.source))).toEqual(new Set(['history', 'journal']));

    // Steady state: one point read per day, one journal query, no history.
    const steady = await compareMonth();
    expect(steady.stats).toMatchObject({ rollupReads: 30, rollupsBuilt: 0, journalQueries: 1, historyQueries: 0 });
    expect(steady.pulls).toBe(first.pulls);

    // New pulls land today: the journal has them, the audit still equals the raw history.
    await round(1);
    await round(2);
    await svc.upkeep.flush();
    const today = await compareMonth();
    expect(today.pulls).toBe(first.pulls + 4 + 40);
    expect(today.stats).toMatchObject({ rollupsBuilt: 0, historyQueries: 0, journalDocs: 8 });

    // Past midnight, within the settling hour: yesterday is still read from the journal.
    clock = Date.parse('2026-12-02T00:30:00Z');
    await round(1);
    await svc.upkeep.flush();
    const boundary = await compareMonth();
    expect(boundary.stats).toMatchObject({ rollupsBuilt: 0, historyQueries: 0, journalDocs: 12 });

    // Once it settled, yesterday is rolled up from the journal (one insert), then read by _id.
    clock = Date.parse('2026-12-02T01:30:00Z');
    await round(2);
    await svc.upkeep.flush();
    const settled = await compareMonth();
    expect(settled.stats).toMatchObject({ rollupsBuilt: 1, historyQueries: 0, journalDocs: 8 + 8 });
    const yesterday = await database.db
      .collection(AUDIT_ROLLUPS_COLLECTION)
      .findOne({ _id: `${guildId}|standard|2026-12-01` } as never);
    // The 30 days of rounds ended on Nov 30; Dec 1 had the two rounds at noon.
    expect(yesterday).toMatchObject({ kind: 'day', source: 'journal', pulls: 4 + 40 });
    const after = await compareMonth();
    expect(after.stats).toMatchObject({ rollupReads: 30, rollupsBuilt: 0, journalQueries: 1, historyQueries: 0 });

    // The last 24 hours come from the journal alone, exactly (no alignment).
    const at = now();
    const day = { from: auditPeriodStart('day', at), to: at };
    const dayStats = emptyStats();
    expect(await auditCells(database.db, guildId, 'standard', day, at, dayStats)).toEqual(
      await historyCells(database.db, guildId, 'standard', day),
    );
    expect(dayStats).toMatchObject({ rollupReads: 0, journalQueries: 1, historyQueries: 0 });

    // The service's audit judges the same cells as the raw history.
    const answer = await svc.fairness.audit(guildId, undefined, 'month');
    const { settings } = await svc.stores.settings.get(guildId);
    const raw = await historyCells(database.db, guildId, 'standard', { from: auditPeriodStart('month', at), to: at });
    expect(answer.audit).toEqual(auditBanner(settings.catalog, 'standard', raw));
  });

  it('the recovery pass prunes the journal to its last days; rollups and history still give the same audit', async () => {
    clock = Date.parse('2026-12-03T10:00:00Z');
    const journal = database.db.collection<{ at: Date }>(AUDIT_JOURNAL_COLLECTION);
    const before = await journal.countDocuments({ guildId });
    await svc.upkeep.recover();
    const floor = auditJournalFloor(now()).getTime();
    expect(floor).toBe(Date.parse('2026-12-02T00:00:00Z'));
    const oldest = await journal.find({ guildId }).sort({ at: 1 }).limit(1).toArray();
    // Kept: a day before the floor on (Dec 1 noon is the oldest left), the rest deleted.
    expect(oldest[0]?.at.getTime()).toBe(Date.parse('2026-12-01T12:00:00Z'));
    expect(await journal.countDocuments({ guildId })).toBe(4 + 4 + 4 + 4);
    expect(before).toBe(40 * 4 + 16);
    const { stats } = await compareMonth();
    // Dec 2 settled meanwhile: rolled up from the journal, which holds it.
    expect(stats).toMatchObject({ rollupsBuilt: 1, historyQueries: 0 });
    // A day whose rollup is missing and that the journal no longer holds is built from history.
    await database.db
      .collection(AUDIT_ROLLUPS_COLLECTION)
      .deleteOne({ _id: `${guildId}|standard|2026-11-20` } as never);
    const rebuilt = await compareMonth();
    expect(rebuilt.stats).toMatchObject({ rollupsBuilt: 1, historyQueries: 1 });
  });

  it('migration 6 fills the journal from the ledger for pulls written before it existed', async () => {
    clock = Date.parse('2026-12-03T11:00:00Z');
    await round(2);
    await svc.upkeep.flush();
    const journal = database.db.collection(AUDIT_JOURNAL_COLLECTION);
    const kept = await journal.countDocuments({ guildId });
    // As if today's pulls had been written by a build without the journal.
    await journal.deleteMany({ guildId, at: { $gte: new Date('2026-12-03T00:00:00Z') } });
    await backfillAuditJournal(database.db, now());
    await backfillAuditJournal(database.db, now());
    expect(await journal.countDocuments({ guildId })).toBe(kept);
    await compareMonth();
  });

  it('audits building the same days at once write each rollup once and all equal the raw history', async () => {
    await database.db.collection(AUDIT_ROLLUPS_COLLECTION).deleteMany({ guildId });
    const at = now();
    const period = { from: auditPeriodStart('month', at), to: at };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => auditCells(database.db, guildId, 'standard', period, at)),
    );
    const raw = await historyCells(database.db, guildId, 'standard', period);
    for (const cells of results) expect(cells).toEqual(raw);
    const ids = await database.db
      .collection(AUDIT_ROLLUPS_COLLECTION)
      .find({ guildId })
      .project<{ _id: string }>({ _id: 1 })
      .toArray();
    expect(ids).toHaveLength(30);
    expect(new Set(ids.map((d) => d._id)).size).toBe(30);
    const again = emptyStats();
    expect(await auditCells(database.db, guildId, 'standard', period, at, again)).toEqual(raw);
    expect(again).toMatchObject({ rollupsBuilt: 0, historyQueries: 0 });
  });
});
