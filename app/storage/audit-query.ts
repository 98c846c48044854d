/**
 * The public audit's data: a banner's pull history in a period, grouped into the cells the audit
 * needs (tier × pity count × guarantee slot × 10-pull). Whole UTC days that ended more than
 * `ROLLUP_SETTLE_MS` ago are read from daily rollups by `_id`; only the rest of the period (today
 * and the settling hour, and a partial first day) is grouped from history with one `$match` on the
 * index (guildId, bannerId, at) and one `$group` — both within FerretDB 1.24's aggregation subset.
 *
 * Rollups (`fairness_audit_rollups`) are insert-only and idempotent: one document per
 * guild/banner/day/tier (`<guild>|<banner>|<day>|<tier>`, its cells as an array), then the day's
 * `done` marker listing the tiers; all unique `_id`s, so two processes building the same settled
 * day write the same documents and the second one's duplicates are ignored. A day without its
 * marker is (re)built on the next audit, all missing days from one read of their history.
 *
 * Speed: on MongoDB both reads use indexes. FerretDB 1.24's SQLite backend pushes down only `_id`
 * equality, so there the rollups (point reads by `_id`) stay fast whatever the history size, while
 * the tail's `$match` scans the history collection (docs/fairness.md, "Audit").
 *
 * History documents carry `guaranteeSlot` and `tenPull` (booleans) for the fresh-pity test to
 * exclude guarantee slots and for the consolidated rates to weigh 10-pulls; documents written
 * before those fields existed group as `false` (single pulls, no guarantee slot).
 */
import type { Db, Document } from 'mongodb';
import type { AuditCell } from '../domain/fairness/audit';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export const HISTORY_COLLECTION = COLLECTIONS.history;
export const AUDIT_ROLLUPS_COLLECTION = 'fairness_audit_rollups';
export const AUDIT_INDEX_NAME = 'guild_banner_at';
/** A day is rolled up once it ended this long ago (history is written behind the ledger). */
export const ROLLUP_SETTLE_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface AuditPeriod {
  readonly from?: Date;
  readonly to?: Date;
}

/** One tier's cells of one guild/banner/UTC day: `_id` `<guild>|<banner>|<day>|<tier>`. */
interface RollupTierDoc {
  _id: string;
  kind: 'tier';
  guildId: string;
  bannerId: string;
  day: string;
  tierId: string;
  cells: { pityCount: number; guaranteeSlot: boolean; tenPull: boolean; pulls: number }[];
}

/** The day is rolled up (its tier documents are complete): `_id` `<guild>|<banner>|<day>|done`. */
interface RollupDoneDoc {
  _id: string;
  kind: 'done';
  guildId: string;
  bannerId: string;
  day: string;
  pulls: number;
  tierIds: string[];
  at: Date;
}

type RollupDoc = RollupTierDoc | RollupDoneDoc;

/** The index the audit uses for what is not rolled up: history by (guild, banner, time). Rollups are read by `_id`. */
export async function ensureAuditIndexes(db: Db): Promise<void> {
  await db
    .collection(HISTORY_COLLECTION)
    .createIndex({ guildId: 1, bannerId: 1, at: 1 }, { name: AUDIT_INDEX_NAME }, undefined);
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

/** Cells grouped straight from history (no rollups). */
export async function historyCells(
  db: Db,
  guildId: string,
  bannerId: string,
  period: AuditPeriod = {},
): Promise<AuditCell[]> {
  const rows = await db
    .collection(HISTORY_COLLECTION)
    .aggregate<GroupRow>(auditPipeline(guildId, bannerId, period))
    .toArray();
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

function mergeCells(cells: Iterable<AuditCell>): AuditCell[] {
  const out = new Map<string, AuditCell>();
  for (const cell of cells) {
    const key = cellKey(cell);
    const pulls = (out.get(key)?.pulls ?? 0) + cell.pulls;
    out.set(key, { ...cell, pulls });
  }
  return [...out.values()];
}

function dayKeyUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfDayUtc(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

interface HistoryRow {
  tierId?: unknown;
  pityCount?: unknown;
  guaranteeSlot?: unknown;
  tenPull?: unknown;
  at?: unknown;
}

/**
 * Rolls up the given UTC days from one read of their history (grouped here, by day), writing each
 * day's tier documents and then its done marker, all inserts on unique ids: a concurrent builder of
 * the same settled day writes the same documents, and the loser's duplicate-key errors are ignored.
 */
async function buildDays(db: Db, guildId: string, bannerId: string, days: readonly number[]): Promise<AuditCell[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows = await db
    .collection(HISTORY_COLLECTION)
    .find(
      { guildId, bannerId, source: 'pull', at: { $gte: new Date(first), $lt: new Date(last + DAY_MS) } },
      { projection: { _id: 0, tierId: 1, pityCount: 1, guaranteeSlot: 1, tenPull: 1, at: 1 } },
    )
    .toArray();
  const wanted = new Set(days.map(dayKeyUtc));
  const byDay = new Map<string, AuditCell[]>();
  for (const row of rows as HistoryRow[]) {
    if (typeof row.tierId !== 'string' || typeof row.pityCount !== 'number' || !(row.at instanceof Date)) continue;
    const day = dayKeyUtc(row.at.getTime());
    if (!wanted.has(day)) continue;
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
  const rollups = db.collection<RollupDoc>(AUDIT_ROLLUPS_COLLECTION);
  const insertOnce = async (doc: RollupDoc) => {
    try {
      await rollups.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  };
  const out: AuditCell[] = [];
  for (const dayMs of days) {
    const day = dayKeyUtc(dayMs);
    const cells = mergeCells(byDay.get(day) ?? []);
    out.push(...cells);
    const tiers = [...new Set(cells.map((c) => c.tierId))];
    await Promise.all(
      tiers.map((tierId) =>
        insertOnce({
          _id: `${guildId}|${bannerId}|${day}|${tierId}`,
          kind: 'tier',
          guildId,
          bannerId,
          day,
          tierId,
          cells: cells
            .filter((c) => c.tierId === tierId)
            .map((c) => ({
              pityCount: c.pityCount,
              guaranteeSlot: c.guaranteeSlot,
              tenPull: c.tenPull,
              pulls: c.pulls,
            })),
        }),
      ),
    );
    await insertOnce({
      _id: `${guildId}|${bannerId}|${day}|done`,
      kind: 'done',
      guildId,
      bannerId,
      day,
      pulls: cells.reduce((sum, c) => sum + c.pulls, 0),
      tierIds: tiers,
      at: new Date(),
    });
  }
  return out;
}

/** Reads a rolled-up day by `_id` (the only lookup FerretDB 1.24 answers without a scan). */
async function readDay(db: Db, guildId: string, bannerId: string, dayMs: number): Promise<AuditCell[] | null> {
  const rollups = db.collection<RollupDoc>(AUDIT_ROLLUPS_COLLECTION);
  const day = dayKeyUtc(dayMs);
  const done = await rollups.findOne({ _id: `${guildId}|${bannerId}|${day}|done` });
  if (done?.kind !== 'done') return null;
  const docs = await Promise.all(
    done.tierIds.map((tierId) => rollups.findOne({ _id: `${guildId}|${bannerId}|${day}|${tierId}` })),
  );
  const cells: AuditCell[] = [];
  for (const doc of docs) {
    // A tier document missing behind its marker cannot happen (written first); rebuild if it did.
    if (doc?.kind !== 'tier') return null;
    for (const c of doc.cells) cells.push({ tierId: doc.tierId, ...c });
  }
  return cells;
}

/**
 * The audit cells of a banner in a period (default: its whole history up to `now`): rolled-up
 * whole days plus history grouped for the rest.
 */
export async function auditCells(
  db: Db,
  guildId: string,
  bannerId: string,
  period: AuditPeriod = {},
  now: Date = new Date(),
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
    const at: unknown = first[0]?.at;
    if (!(at instanceof Date)) return [];
    from = at.getTime();
  }
  if (from >= to) return [];
  const settled = startOfDayUtc(now.getTime() - ROLLUP_SETTLE_MS);
  const rollFrom = startOfDayUtc(from) === from ? from : startOfDayUtc(from) + DAY_MS;
  const rollTo = Math.min(startOfDayUtc(to), settled);
  if (rollTo <= rollFrom) return historyCells(db, guildId, bannerId, { from: new Date(from), to: new Date(to) });

  const days: number[] = [];
  for (let day = rollFrom; day < rollTo; day += DAY_MS) days.push(day);
  const [read, head, tail] = await Promise.all([
    Promise.all(days.map((day) => readDay(db, guildId, bannerId, day))),
    from < rollFrom
      ? historyCells(db, guildId, bannerId, { from: new Date(from), to: new Date(rollFrom) })
      : Promise.resolve([]),
    rollTo < to
      ? historyCells(db, guildId, bannerId, { from: new Date(rollTo), to: new Date(to) })
      : Promise.resolve([]),
  ]);
  const missing = days.filter((_, i) => read[i] === null);
  const built = missing.length > 0 ? await buildDays(db, guildId, bannerId, missing) : [];
  const rolled = read.flatMap((cells) => cells ?? []);
  return mergeCells([...head, ...rolled, ...built, ...tail]);
}
