/**
 * The public audit's data: a banner's pull history in a period, grouped into the cells the audit
 * needs (tier × pity count × guarantee slot × 10-pull), read without a scan proportional to the
 * history's size. A period is cut in three:
 *
 * - whole UTC days that ended more than `ROLLUP_SETTLE_MS` ago: one daily rollup each
 *   (`fairness_audit_rollups`, `_id` `<guild>|<banner>|<day>`, all the day's cells in one
 *   document), read by `_id` — one point read per day;
 * - the recent rest (today, the settling hour, yesterday while it settles): the audit journal
 *   (`fairness_audit_recent`), one document per pull event with its cells, written with the event's
 *   history (projection-writes.ts) and pruned to the last few days (`pruneAuditJournal`), read with
 *   one query on (guildId, bannerId, at);
 * - what neither covers (a partial day older than the journal, a day whose rollup is missing and
 *   that the journal no longer holds): grouped from history (index guild_banner_at).
 *
 * Exactly once without transactions or atomic updates: a rollup is one insert of a whole day under
 * a unique `_id` (two audits building the same settled day write the same document; the second
 * one's duplicate-key error is ignored and it uses what it computed, which is the same day); a
 * journal document's `_id` is its event's (`<guild>:<user>:<opKey>`), inserted ignoring
 * duplicates like the history documents, so a retried or concurrent write adds nothing. A missing
 * rollup is built from the journal while it still holds the day (the usual case: a day is rolled
 * up by the first audit after it settles), else from one read of the day's history.
 *
 * FerretDB 1.24's SQLite backend pushes down only `_id` equality (and matches no index even then):
 * there a rollup read scans the (small) rollups collection inside SQLite, the journal read decodes
 * the journal (the last few days of pull events of all guilds), and nothing reads history in the
 * steady state. On MongoDB all three reads use indexes.
 *
 * History documents carry `guaranteeSlot` and `tenPull` (booleans) for the fresh-pity test to
 * exclude guarantee slots and for the consolidated rates to weigh 10-pulls; documents written
 * before those fields existed group as `false` (single pulls, no guarantee slot).
 */
import type { Collection, Db, Document } from 'mongodb';
import type { AuditCell } from '../domain/fairness/audit';
import { COLLECTIONS, playerKey, type LedgerEventDoc } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export const HISTORY_COLLECTION = COLLECTIONS.history;
export const AUDIT_ROLLUPS_COLLECTION = 'fairness_audit_rollups';
export const AUDIT_JOURNAL_COLLECTION = COLLECTIONS.auditJournal;
export const AUDIT_INDEX_NAME = 'guild_banner_at';
/** A day is rolled up once it ended this long ago (history is written behind the ledger). */
export const ROLLUP_SETTLE_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface AuditPeriod {
  readonly from?: Date;
  readonly to?: Date;
}

/** All the cells of one guild/banner/UTC day: `_id` `<guild>|<banner>|<day>`. */
export interface AuditRollupDoc {
  _id: string;
  kind: 'day';
  guildId: string;
  bannerId: string;
  day: string;
  pulls: number;
  cells: AuditCell[];
  /** Where it was built from (for the curious; both give the same cells). */
  source: 'journal' | 'history';
  at: Date;
}

/** One pull event's cells: `_id` `<guild>:<user>:<opKey>` (its history documents' prefix). */
export interface AuditJournalDoc {
  _id: string;
  guildId: string;
  bannerId: string;
  at: Date;
  cells: AuditCell[];
}

/** What one audit read, for the benchmark and the tests. */
export interface AuditReadStats {
  /** Daily rollups read by `_id` (one round trip each, sent together). */
  rollupReads: number;
  /** Journal queries (0 or 1) and the journal documents they returned. */
  journalQueries: number;
  journalDocs: number;
  /** History queries (a head older than the journal, a day built from history) and documents/groups returned. */
  historyQueries: number;
  historyRows: number;
  /** Rollups built (inserted or found already inserted) by this audit. */
  rollupsBuilt: number;
}

function emptyStats(): AuditReadStats {
  return { rollupReads: 0, journalQueries: 0, journalDocs: 0, historyQueries: 0, historyRows: 0, rollupsBuilt: 0 };
}

/** The indexes the audit uses on MongoDB: history and the journal by (guild, banner, time); the journal by time (pruning). */
export async function ensureAuditIndexes(db: Db): Promise<void> {
  await db
    .collection(HISTORY_COLLECTION)
    .createIndex({ guildId: 1, bannerId: 1, at: 1 }, { name: AUDIT_INDEX_NAME }, undefined);
  await ensureAuditJournalIndexes(db);
}

export async function ensureAuditJournalIndexes(db: Db): Promise<void> {
  const journal = db.collection(AUDIT_JOURNAL_COLLECTION);
  await journal.createIndex({ guildId: 1, bannerId: 1, at: 1 }, { name: AUDIT_INDEX_NAME }, undefined);
  await journal.createIndex({ at: 1 }, { name: 'by_time' }, undefined);
}

export function auditPipeline(guildId: string, bannerId: string, period: AuditPeriod = {}): Document[] {
  const at: Record<string, Date> = {};
  if (period.from) at.$gte = period.from;
  if (period.to) at.$lt = period.to;
  const match: Document = { guildId, bannerId, source: 'pull' };
  if (period.from || period.to) match.at = at;
  return [
    { $match: match },
    {
      $group: {
        _id: { tierId: '$tierId', pityCount: '$pityCount', guaranteeSlot: '$guaranteeSlot', tenPull: '$tenPull' },
        pulls: { $sum: 1 },
      },
    },
  ];
}

interface GroupRow {
  _id: { tierId?: unknown; pityCount?: unknown; guaranteeSlot?: unknown; tenPull?: unknown };
  pulls: number;
}

/** Cells grouped straight from history (no rollups, no journal): what the audit must equal. */
export async function historyCells(
  db: Db,
  guildId: string,
  bannerId: string,
  period: AuditPeriod = {},
  stats: AuditReadStats = emptyStats(),
): Promise<AuditCell[]> {
  const rows = await db
    .collection(HISTORY_COLLECTION)
    .aggregate<GroupRow>(auditPipeline(guildId, bannerId, period))
    .toArray();
  stats.historyQueries++;
  stats.historyRows += rows.length;
  const cells: AuditCell[] = [];
  for (const row of rows) {
    const { tierId, pityCount } = row._id;
    if (typeof tierId !== 'string' || typeof pityCount !== 'number') continue;
    cells.push({
      tierId,
      pityCount,
      guaranteeSlot: row._id.guaranteeSlot === true,
      tenPull: row._id.tenPull === true,
      pulls: row.pulls,
    });
  }
  return mergeCells(cells);
}

function cellKey(c: Pick<AuditCell, 'tierId' | 'pityCount' | 'guaranteeSlot' | 'tenPull'>): string {
  return `${c.tierId}|${c.pityCount}|${c.guaranteeSlot ? 1 : 0}|${c.tenPull ? 1 : 0}`;
}

/** Adds up cells with the same key; the result is sorted (tier, pity, slot, 10-pull) so equal sets compare equal. */
export function mergeCells(cells: Iterable<AuditCell>): AuditCell[] {
  const out = new Map<string, AuditCell>();
  for (const cell of cells) {
    const key = cellKey(cell);
    const pulls = (out.get(key)?.pulls ?? 0) + cell.pulls;
    out.set(key, {
      tierId: cell.tierId,
      pityCount: cell.pityCount,
      guaranteeSlot: cell.guaranteeSlot,
      tenPull: cell.tenPull,
      pulls,
    });
  }
  return [...out.values()].sort(
    (a, b) =>
      (a.tierId < b.tierId ? -1 : a.tierId > b.tierId ? 1 : 0) ||
      a.pityCount - b.pityCount ||
      Number(a.guaranteeSlot) - Number(b.guaranteeSlot) ||
      Number(a.tenPull) - Number(b.tenPull),
  );
}

function dayKeyUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function startOfDayUtc(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The first day rollups may not cover yet: days before it ended more than the settling time ago. */
function settledBefore(now: number): number {
  return startOfDayUtc(now - ROLLUP_SETTLE_MS);
}

/**
 * The journal holds every pull event at or after this (the day before the first unsettled day), so
 * the recent rest of a period and a day that has just settled are read from it.
 */
export function auditJournalFloor(now: Date): Date {
  return new Date(settledBefore(now.getTime()) - DAY_MS);
}

/** The journal documents of pull events (one per event, its items merged into cells). */
export function auditJournalDocs(events: readonly LedgerEventDoc[]): AuditJournalDoc[] {
  const docs: AuditJournalDoc[] = [];
  for (const event of events) {
    if (!event.pull) continue;
    const tenPull = event.fairness?.tenPull === true;
    docs.push({
      _id: `${playerKey(event.guildId, event.userId)}:${event.opKey}`,
      guildId: event.guildId,
      bannerId: event.pull.bannerId,
      at: event.at,
      cells: mergeCells(
        event.pull.items.map((item) => ({
          tierId: item.tierId,
          pityCount: item.pityCount,
          guaranteeSlot: event.fairness ? item.guaranteeSlot : false,
          tenPull,
          pulls: 1,
        })),
      ),
    });
  }
  return docs;
}

/**
 * Deletes journal documents a day older than the floor (nothing reads them: their days are rolled
 * up or read from history). Idempotent, safe to run anywhere at any time; the recovery pass runs it.
 */
export async function pruneAuditJournal(journal: Collection<AuditJournalDoc>, now: Date = new Date()): Promise<number> {
  const before = new Date(auditJournalFloor(now).getTime() - DAY_MS);
  const result = await journal.deleteMany({ at: { $lt: before } });
  return result.deletedCount;
}

/**
 * Writes the journal documents of the pull events the journal should hold (since a day before its
 * floor) from the ledger (index by_time): for a database whose recent pulls were written before the
 * journal existed (schema migration 6). Idempotent.
 */
export async function backfillAuditJournal(db: Db, now: Date = new Date()): Promise<number> {
  const since = new Date(auditJournalFloor(now).getTime() - DAY_MS);
  const journal = db.collection<AuditJournalDoc>(AUDIT_JOURNAL_COLLECTION);
  let written = 0;
  let batch: LedgerEventDoc[] = [];
  const flush = async () => {
    const docs = auditJournalDocs(batch);
    batch = [];
    if (docs.length === 0) return;
    try {
      await journal.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    written += docs.length;
  };
  for await (const event of db
    .collection<LedgerEventDoc>(COLLECTIONS.ledger)
    .find({ at: { $gte: since }, kind: 'pull' })) {
    batch.push(event);
    if (batch.length >= 500) await flush();
  }
  await flush();
  return written;
}

/** The journal's cells of [from, to), by UTC day of the events. */
async function journalCellsByDay(
  db: Db,
  guildId: string,
  bannerId: string,
  from: number,
  to: number,
  stats: AuditReadStats,
): Promise<Map<string, AuditCell[]>> {
  const docs = await db
    .collection<AuditJournalDoc>(AUDIT_JOURNAL_COLLECTION)
    .find(
      { guildId, bannerId, at: { $gte: new Date(from), $lt: new Date(to) } },
      { projection: { _id: 0, at: 1, cells: 1 } },
    )
    .toArray();
  stats.journalQueries++;
  stats.journalDocs += docs.length;
  const byDay = new Map<string, AuditCell[]>();
  for (const doc of docs) {
    if (!(doc.at instanceof Date) || !Array.isArray(doc.cells)) continue;
    const day = dayKeyUtc(doc.at.getTime());
    const list = byDay.get(day) ?? [];
    list.push(...doc.cells);
    byDay.set(day, list);
  }
  return byDay;
}

interface HistoryRow {
  tierId?: unknown;
  pityCount?: unknown;
  guaranteeSlot?: unknown;
  tenPull?: unknown;
  at?: unknown;
}

/** History's cells of [from, to), by UTC day (one read: the documents, grouped here). */
async function historyCellsByDay(
  db: Db,
  guildId: string,
  bannerId: string,
  from: number,
  to: number,
  stats: AuditReadStats,
): Promise<Map<string, AuditCell[]>> {
  const rows = await db
    .collection(HISTORY_COLLECTION)
    .find(
      { guildId, bannerId, source: 'pull', at: { $gte: new Date(from), $lt: new Date(to) } },
      { projection: { _id: 0, tierId: 1, pityCount: 1, guaranteeSlot: 1, tenPull: 1, at: 1 } },
    )
    .toArray();
  stats.historyQueries++;
  stats.historyRows += rows.length;
  const byDay = new Map<string, AuditCell[]>();
  for (const row of rows as HistoryRow[]) {
    if (typeof row.tierId !== 'string' || typeof row.pityCount !== 'number' || !(row.at instanceof Date)) continue;
    const day = dayKeyUtc(row.at.getTime());
    const list = byDay.get(day) ?? [];
    list.push({
      tierId: row.tierId,
      pityCount: row.pityCount,
      guaranteeSlot: row.guaranteeSlot === true,
      tenPull: row.tenPull === true,
      pulls: 1,
    });
    byDay.set(day, list);
  }
  return byDay;
}

function rollupId(guildId: string, bannerId: string, dayMs: number): string {
  return `${guildId}|${bannerId}|${dayKeyUtc(dayMs)}`;
}

/**
 * Rolls up the given settled UTC days (ascending) from one read of the journal (the days it still
 * holds) and one of history (the others), each day one insert on its unique `_id`.
 */
async function buildDays(
  db: Db,
  guildId: string,
  bannerId: string,
  days: readonly number[],
  journalFloor: number,
  stats: AuditReadStats,
): Promise<AuditCell[]> {
  const fromJournal = days.filter((d) => d >= journalFloor);
  const fromHistory = days.filter((d) => d < journalFloor);
  const span = (ds: readonly number[]) => [ds[0] ?? 0, (ds[ds.length - 1] ?? 0) + DAY_MS] as const;
  const [journal, history] = await Promise.all([
    fromJournal.length > 0
      ? journalCellsByDay(db, guildId, bannerId, ...span(fromJournal), stats)
      : Promise.resolve(new Map<string, AuditCell[]>()),
    fromHistory.length > 0
      ? historyCellsByDay(db, guildId, bannerId, ...span(fromHistory), stats)
      : Promise.resolve(new Map<string, AuditCell[]>()),
  ]);
  const rollups: Collection<AuditRollupDoc> = db.collection<AuditRollupDoc>(AUDIT_ROLLUPS_COLLECTION);
  const out: AuditCell[] = [];
  await Promise.all(
    days.map(async (dayMs) => {
      const day = dayKeyUtc(dayMs);
      const source = dayMs >= journalFloor ? 'journal' : 'history';
      const cells = mergeCells((source === 'journal' ? journal : history).get(day) ?? []);
      out.push(...cells);
      try {
        await rollups.insertOne({
          _id: rollupId(guildId, bannerId, dayMs),
          kind: 'day',
          guildId,
          bannerId,
          day,
          pulls: cells.reduce((sum, c) => sum + c.pulls, 0),
          cells,
          source,
          at: new Date(),
        });
      } catch (error) {
        // Another audit rolled the same settled day up first: the same cells.
        if (!isDuplicateKeyError(error)) throw error;
      }
      stats.rollupsBuilt++;
    }),
  );
  return out;
}

/** A rolled-up day read by `_id` (the only lookup FerretDB 1.24 filters inside SQLite), or null. */
async function readDay(db: Db, guildId: string, bannerId: string, dayMs: number): Promise<AuditCell[] | null> {
  const doc = await db
    .collection<AuditRollupDoc>(AUDIT_ROLLUPS_COLLECTION)
    .findOne({ _id: rollupId(guildId, bannerId, dayMs) }, { projection: { kind: 1, cells: 1 } });
  if (doc?.kind !== 'day' || !Array.isArray(doc.cells)) return null;
  return doc.cells;
}

/**
 * The audit cells of a banner in a period (default: its whole history up to `now`): rolled-up
 * whole days, the journal for the recent rest, history for what is older and not whole days.
 * `stats` (optional) is filled with what was read.
 */
export async function auditCells(
  db: Db,
  guildId: string,
  bannerId: string,
  period: AuditPeriod = {},
  now: Date = new Date(),
  stats: AuditReadStats = emptyStats(),
): Promise<AuditCell[]> {
  const to = Math.min(period.to?.getTime() ?? now.getTime(), now.getTime());
  let from = period.from?.getTime();
  if (from === undefined) {
    const first = await db
      .collection(HISTORY_COLLECTION)
      .find({ guildId, bannerId }, { projection: { at: 1 } })
      .sort({ at: 1 })
      .limit(1)
      .toArray();
    stats.historyQueries++;
    const at: unknown = first[0]?.at;
    if (!(at instanceof Date)) return [];
    // Nothing is before the first pull: its whole day is the same cells.
    from = startOfDayUtc(at.getTime());
  }
  if (from >= to) return [];
  const floor = auditJournalFloor(now).getTime();
  // Whole days in the period that have settled: rollups.
  const rollFrom = startOfDayUtc(from) === from ? from : startOfDayUtc(from) + DAY_MS;
  const rollTo = Math.max(rollFrom, Math.min(startOfDayUtc(to), settledBefore(now.getTime())));
  const days: number[] = [];
  for (let day = rollFrom; day < rollTo; day += DAY_MS) days.push(day);
  // The rest: [from, rollFrom) before them and [rollTo, to) after (or all of [from, to) when no
  // whole settled day is in it), each from the journal when it holds it, else from history.
  const segments: (readonly [number, number])[] =
    days.length > 0
      ? [
          [from, rollFrom],
          [rollTo, to],
        ]
      : [[from, to]];
  const rest = segments
    .filter(([a, b]) => a < b)
    .flatMap(([a, b]): (readonly [number, number, 'journal' | 'history'])[] => {
      if (a >= floor) return [[a, b, 'journal']];
      if (b <= floor) return [[a, b, 'history']];
      return [
        [a, floor, 'history'],
        [floor, b, 'journal'],
      ];
    });
  stats.rollupReads += days.length;
  const [read, restCells] = await Promise.all([
    Promise.all(days.map((day) => readDay(db, guildId, bannerId, day))),
    Promise.all(
      rest.map(async ([a, b, source]) =>
        source === 'journal'
          ? [...(await journalCellsByDay(db, guildId, bannerId, a, b, stats)).values()].flat()
          : historyCells(db, guildId, bannerId, { from: new Date(a), to: new Date(b) }, stats),
      ),
    ),
  ]);
  const missing = days.filter((_, i) => read[i] === null);
  const built = missing.length > 0 ? await buildDays(db, guildId, bannerId, missing, floor, stats) : [];
  const rolled = read.flatMap((cells) => cells ?? []);
  return mergeCells([...rolled, ...built, ...restCells.flat()]);
}
