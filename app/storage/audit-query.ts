/**
 * The public audit's data: a banner's pull history in a period, grouped into the cells the audit
 * needs (tier × pity count × guarantee slot × 10-pull). Whole UTC days that ended more than
 * `ROLLUP_SETTLE_MS` ago are read from daily rollups; only the rest of the period (the part of
 * today and the settling hour, and a partial first day) is grouped from history with one `$match`
 * on the index (guildId, bannerId, at) and one `$group` — both within FerretDB 1.24's aggregation
 * subset. So an audit reads at most (days × cells per day) rollup documents plus one day of history,
 * whatever the number of history documents.
 *
 * Rollups (`fairness_audit_rollups`) are written idempotently: a day's cells are grouped from
 * history and each is written with `$set` under a unique `_id` per guild/banner/day/tier/cell (the
 * same values whoever writes them, so two processes building one day agree); then the day's `done`
 * marker is inserted (unique `_id`). A day without its marker is (re)built on the next audit.
 *
 * History documents carry `guaranteeSlot` and `tenPull` (booleans) for the fresh-pity test to
 * exclude guarantee slots and for the consolidated rates to weigh 10-pulls; documents written
 * before those fields existed group as `false` (single pulls, no guarantee slot).
 */
import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
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

interface RollupCellDoc {
  _id: string;
  kind: 'cell';
  guildId: string;
  bannerId: string;
  day: string;
  tierId: string;
  pityCount: number;
  guaranteeSlot: boolean;
  tenPull: boolean;
  pulls: number;
}

interface RollupDoneDoc {
  _id: string;
  kind: 'done';
  guildId: string;
  bannerId: string;
  day: string;
  pulls: number;
  at: Date;
}

type RollupDoc = RollupCellDoc | RollupDoneDoc;

/** The indexes the audit uses: history by (guild, banner, time), rollups by (guild, banner, kind, day). */
export async function ensureAuditIndexes(db: Db): Promise<void> {
  await db
    .collection(HISTORY_COLLECTION)
    .createIndex({ guildId: 1, bannerId: 1, at: 1 }, { name: AUDIT_INDEX_NAME }, undefined);
  await db
    .collection(AUDIT_ROLLUPS_COLLECTION)
    .createIndex({ guildId: 1, bannerId: 1, kind: 1, day: 1 }, { name: 'guild_banner_kind_day' }, undefined);
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

/** Groups one UTC day from history and writes its rollup (idempotent), then its done marker. */
async function buildDay(db: Db, guildId: string, bannerId: string, dayStart: number): Promise<AuditCell[]> {
  const day = dayKeyUtc(dayStart);
  const cells = await historyCells(db, guildId, bannerId, {
    from: new Date(dayStart),
    to: new Date(dayStart + DAY_MS),
  });
  const rollups = db.collection<RollupDoc>(AUDIT_ROLLUPS_COLLECTION);
  const prefix = `${guildId}|${bannerId}|${day}`;
  const writes: AnyBulkWriteOperation<RollupDoc>[] = cells.map((cell) => ({
    updateOne: {
      filter: { _id: `${prefix}|${cellKey(cell)}` },
      update: { $set: { kind: 'cell', guildId, bannerId, day, ...cell } },
      upsert: true,
    },
  }));
  try {
    if (writes.length > 0) await rollups.bulkWrite(writes, { ordered: false });
  } catch (error) {
    // Another process upserted the same cell first: it wrote the same values.
    if (!isDuplicateKeyError(error)) throw error;
  }
  try {
    await rollups.insertOne({
      _id: `${prefix}|done`,
      kind: 'done',
      guildId,
      bannerId,
      day,
      pulls: cells.reduce((s, c) => s + c.pulls, 0),
      at: new Date(),
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
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

  const rollups = db.collection<RollupDoc>(AUDIT_ROLLUPS_COLLECTION);
  const dayRange = { $gte: dayKeyUtc(rollFrom), $lt: dayKeyUtc(rollTo) };
  const [done, head, tail] = await Promise.all([
    rollups.find({ guildId, bannerId, kind: 'done', day: dayRange }, { projection: { day: 1 } }).toArray(),
    from < rollFrom
      ? historyCells(db, guildId, bannerId, { from: new Date(from), to: new Date(rollFrom) })
      : Promise.resolve([]),
    rollTo < to
      ? historyCells(db, guildId, bannerId, { from: new Date(rollTo), to: new Date(to) })
      : Promise.resolve([]),
  ]);
  const doneDays = new Set(done.map((d) => d.day));
  const built: AuditCell[] = [];
  for (let day = rollFrom; day < rollTo; day += DAY_MS) {
    if (!doneDays.has(dayKeyUtc(day))) built.push(...(await buildDay(db, guildId, bannerId, day)));
  }
  const rolled = await rollups
    .find({ guildId, bannerId, kind: 'cell', day: dayRange })
    .project<Pick<RollupCellDoc, 'day' | 'tierId' | 'pityCount' | 'guaranteeSlot' | 'tenPull' | 'pulls'>>({
      _id: 0,
      day: 1,
      tierId: 1,
      pityCount: 1,
      guaranteeSlot: 1,
      tenPull: 1,
      pulls: 1,
    })
    .toArray();
  // Days built just now are in `rolled` too unless a concurrent reader missed them: count each once.
  const builtDays = new Set<string>();
  for (let day = rollFrom; day < rollTo; day += DAY_MS) {
    if (!doneDays.has(dayKeyUtc(day))) builtDays.add(dayKeyUtc(day));
  }
  const fromRollups = rolled
    .filter((r) => !builtDays.has(r.day))
    .map((r) => ({
      tierId: r.tierId,
      pityCount: r.pityCount,
      guaranteeSlot: r.guaranteeSlot,
      tenPull: r.tenPull,
      pulls: r.pulls,
    }));
  return mergeCells([...head, ...fromRollups, ...built, ...tail]);
}
