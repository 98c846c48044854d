/** Read queries on the projections: a player's history page and a guild's leaderboard. */
import type { Db } from 'mongodb';
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

export class PlayerQueries {
  private readonly c: Collections;

  constructor(db: Db) {
    this.c = collections(db);
  }

  /** Newest first: page `page` (from 0) of `pageSize` entries, and the player's total. */
  async historyPage(player: PlayerRef, page: number, pageSize: number): Promise<HistoryPage> {
    const filter = { guildId: player.guildId, userId: player.userId };
    const [entries, total] = await Promise.all([
      this.c.history
        .find(filter)
        .sort({ at: -1, eventSeq: -1, index: 1 })
        .skip(Math.max(0, page) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.c.history.countDocuments(filter),
    ]);
    return { entries, total };
  }

  /** The guild's top players by total pulls or distinct items owned, ties by user id. */
  async leaderboard(guildId: string, by: LeaderboardOrder, limit: number): Promise<LeaderboardEntry[]> {
    const field = by === 'pulls' ? 'totalPulls' : 'distinctItems';
    const docs = await this.c.users
      .find({ guildId }, { projection: { userId: 1, totalPulls: 1, distinctItems: 1 } })
      .sort({ [field]: -1, userId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ userId: d.userId, value: by === 'pulls' ? d.totalPulls : d.distinctItems }));
  }
}
