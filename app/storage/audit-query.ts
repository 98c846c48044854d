/**
 * The public audit's one query: a banner's pull history in a period, grouped into the cells the
 * audit needs (tier × pity count × guarantee slot × 10-pull) — `$match` on the index
 * (guildId, bannerId, at) then one `$group`, both within FerretDB 1.24's aggregation subset. At
 * most tiers × pity cap × 4 groups come back (≤ 1,800 for 5 tiers and hard pity 90), whatever the
 * number of history documents.
 *
 * History documents must carry `guaranteeSlot` and `tenPull` (booleans) for the fresh-pity test to
 * exclude guarantee slots and for the consolidated rates to weigh 10-pulls; documents written
 * before those fields existed group as `false` (single pulls, no guarantee slot).
 */
import type { Db, Document } from 'mongodb';
import type { AuditCell } from '../domain/fairness/audit';

export const HISTORY_COLLECTION = 'history';
export const AUDIT_INDEX_NAME = 'guild_banner_at';

export interface AuditPeriod {
  readonly from?: Date;
  readonly to?: Date;
}

/** The index the audit's $match uses (to move into the schema migrations when wired in). */
export async function ensureAuditIndex(db: Db): Promise<void> {
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

export async function auditCells(
  db: Db,
  guildId: string,
  bannerId: string,
  period: AuditPeriod = {},
): Promise<AuditCell[]> {
  const rows = await db
    .collection(HISTORY_COLLECTION)
    .aggregate<GroupRow>(auditPipeline(guildId, bannerId, period))
    .toArray();
  const cells = new Map<string, AuditCell>();
  for (const row of rows) {
    const { tierId, pityCount } = row._id;
    if (typeof tierId !== 'string' || typeof pityCount !== 'number') continue;
    const guaranteeSlot = row._id.guaranteeSlot === true;
    const tenPull = row._id.tenPull === true;
    const key = `${tierId}:${pityCount}:${guaranteeSlot}:${tenPull}`;
    const pulls = (cells.get(key)?.pulls ?? 0) + row.pulls;
    cells.set(key, { tierId, pityCount, guaranteeSlot, tenPull, pulls });
  }
  return [...cells.values()];
}
