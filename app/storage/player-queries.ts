/**
 * Read queries on the projections: a player's history page and a guild's leaderboard.
 *
 * Each query reads with its own read preference (`readPreferenceFor`): the leaderboard is a
 * ranking that may be a little stale, so on a replica set it may read from a secondary
 * (`staleReads`, chosen from the MongoDB profile by app/database-options.ts); a player's history
 * page follows writes the same request just made (`catchUpHistory`) and always reads the primary.
 * Everything that moves currency or items (the ledger) uses the client's default, the primary.
 */
import { type Db, ReadPreference } from 'mongodb';
import { collections, type Collections, type HistoryDoc } from './collections';
import type { PlayerRef } from './ledger-follower';

export interface HistoryPage {
  readonly entries: HistoryDoc[];
  readonly total: number;
}

export interface LeaderboardEntry {
  readonly userId: string;
  readonly value: number;
}

export type LeaderboardOrder = 'pulls' | 'collection';

/** The read-only queries of this store. */
export type PlayerQuery = 'historyPage' | 'leaderboard';

export interface PlayerQueriesOptions {
  /** Read preference of stale-tolerant rankings; undefined = the primary. */
  readonly staleReads?: ReadPreference;
}

export class PlayerQueries {
  private readonly c: Collections;
  private readonly reads: Readonly<Record<PlayerQuery, ReadPreference>>;

  constructor(db: Db, options: PlayerQueriesOptions = {}) {
    this.c = collections(db);
    this.reads = { historyPage: ReadPreference.primary, leaderboard: options.staleReads ?? ReadPreference.primary };
  }

  /** The read preference `query` runs with. */
  readPreferenceFor(query: PlayerQuery): ReadPreference {
    return this.reads[query];
  }

  /** Newest first: page `page` (from 0) of `pageSize` entries, and the player's total. */
  async historyPage(player: PlayerRef, page: number, pageSize: number): Promise<HistoryPage> {
    const filter = { guildId: player.guildId, userId: player.userId };
    const [entries, total] = await Promise.all([
      this.c.history
        .find(filter, { readPreference: this.reads.historyPage })
        .sort({ at: -1, eventSeq: -1, index: 1 })
        .skip(Math.max(0, page) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.c.history.countDocuments(filter, { readPreference: this.reads.historyPage }),
    ]);
    return { entries, total };
  }

  /** The guild's top players by total pulls or distinct items owned, ties by user id. */
  async leaderboard(guildId: string, by: LeaderboardOrder, limit: number): Promise<LeaderboardEntry[]> {
    const field = by === 'pulls' ? 'totalPulls' : 'distinctItems';
    const docs = await this.c.users
      .find(
        { guildId },
        { projection: { userId: 1, totalPulls: 1, distinctItems: 1 }, readPreference: this.reads.leaderboard },
      )
      .sort({ [field]: -1, userId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ userId: d.userId, value: by === 'pulls' ? d.totalPulls : d.distinctItems }));
  }
}
