/**
 * Read queries for server admins, on the stores that already hold the facts (no second store):
 * how many players own an item (the read model), the public odds changelog (audit entries of one
 * action), and the ledger's activity per day (pulls, currency issued and spent, active players)
 * plus the history's tier counts — each a `$match` on an indexed guild field and at most one
 * `$group`, within FerretDB 1.24's aggregation subset.
 */
import type { Db } from 'mongodb';
import { collections, type AuditDoc, type Collections } from './collections';

/** The audit action under which public odds changes are recorded. */
export const ODDS_CHANGELOG_ACTION = 'odds-changelog';

export interface DayActivity {
  /** Start of the day (UTC midnight of the window's day). */
  readonly from: Date;
  readonly pulls: number;
  /** Currency added to players' balances (dailies, grants, refunds; not opening balances). */
  readonly issued: number;
  /** Currency taken from players' balances (pulls and other spending). */
  readonly spent: number;
  readonly activePlayers: number;
}

export interface TierCount {
  readonly tierId: string;
  readonly draws: number;
}

export class AdminQueries {
  private readonly c: Collections;

  constructor(db: Db) {
    this.c = collections(db);
  }

  /** Players of the guild who own at least one copy of each item (at most 25 items asked). */
  async ownerCounts(guildId: string, itemIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const itemId of itemIds.slice(0, 25)) {
      if (!/^[\w-]+$/.test(itemId)) continue;
      out.set(itemId, await this.c.users.countDocuments({ guildId, [`state.owned.${itemId}`]: { $gt: 0 } }));
    }
    return out;
  }

  /** Newest first: the guild's public odds changelog entries (of one banner, when given). */
  async changelog(guildId: string, limit: number, bannerId?: string): Promise<AuditDoc[]> {
    const filter = { guildId, action: ODDS_CHANGELOG_ACTION, ...(bannerId !== undefined ? { target: bannerId } : {}) };
    return this.c.audit.find(filter).sort({ at: -1 }).limit(limit).toArray();
  }

  /** Ledger activity of one period `[from, to)`: three sums and one distinct, each on the guild's ledger. */
  async activity(guildId: string, from: Date, to: Date): Promise<DayActivity> {
    const match = { guildId, at: { $gte: from, $lt: to } };
    const sum = async (filter: object, field: string): Promise<number> => {
      const rows = await this.c.ledger
        .aggregate<{ total: number }>([
          { $match: { ...match, ...filter } },
          { $group: { _id: null, total: { $sum: field } } },
        ])
        .toArray();
      return rows[0]?.total ?? 0;
    };
    const [pulls, issued, spent, players] = await Promise.all([
      sum({ kind: 'pull' }, '$pull.count'),
      sum({ 'delta.currency': { $gt: 0 } }, '$delta.currency'),
      sum({ 'delta.currency': { $lt: 0 } }, '$delta.currency'),
      this.c.ledger.distinct('userId', match),
    ]);
    return { from, pulls, issued, spent: Math.abs(spent), activePlayers: players.length };
  }

  /** Items drawn by pulls in `[from, to)` per tier (the history projection of the ledger). */
  async tierDraws(guildId: string, from: Date, to: Date): Promise<TierCount[]> {
    const rows = await this.c.history
      .aggregate<{ _id: string; draws: number }>([
        { $match: { guildId, source: 'pull', at: { $gte: from, $lt: to } } },
        { $group: { _id: '$tierId', draws: { $sum: 1 } } },
      ])
      .toArray();
    return rows.map((r) => ({ tierId: r._id, draws: r.draws }));
  }
}
