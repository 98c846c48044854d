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
import type { BannerKind } from '../domain/catalog';
import type { PulledItem } from '../domain/pull-engine';
import { collections, playerKey, type Collections, type HistoryDoc } from './collections';
import type { PlayerRef } from './ledger-follower';

export interface HistoryPage {
  readonly entries: HistoryDoc[];
  readonly total: number;
}

/** One pull or spark exchange as the player's history shows it. */
export interface PullRecord {
  readonly seq: number;
  readonly at: Date;
  readonly source: 'pull' | 'spark';
  readonly bannerId: string;
  readonly bannerKind: BannerKind | null;
  /** Currency charged (0 for a spark exchange). */
  readonly cost: number;
  readonly items: readonly Pick<PulledItem, 'itemId' | 'tierId' | 'featured' | 'duplicate'>[];
}

export interface PullRecordPage {
  readonly records: PullRecord[];
  /** Pulls and exchanges in history (up to the projected position). */
  readonly total: number;
}

/** A pull's charge and time, for monthly totals. */
export interface PullCharge {
  readonly at: Date;
  readonly cost: number;
  readonly count: number;
}

/** Charges read at most for monthly totals (a year of very heavy play). */
const MAX_CHARGES = 20_000;

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

  /**
   * The sequence through which the player's history is written (the read model's position): pages
   * show pulls up to it, so history and pulls agree while the projection catches up.
   */
  async projectedSeq(player: PlayerRef): Promise<number> {
    const doc = await this.c.users.findOne(
      { _id: playerKey(player.guildId, player.userId) },
      { projection: { seq: 1 } },
    );
    return doc?.seq ?? 0;
  }

  /** Newest first: page `page` (from 0) of the player's pulls and spark exchanges up to `throughSeq`. */
  async pullPage(player: PlayerRef, page: number, pageSize: number, throughSeq: number): Promise<PullRecordPage> {
    const filter = {
      guildId: player.guildId,
      userId: player.userId,
      kind: { $in: ['pull' as const, 'spark' as const] },
      seq: { $lte: throughSeq },
    };
    const [events, total] = await Promise.all([
      this.c.ledger
        .find(filter, { projection: { seq: 1, at: 1, kind: 1, pull: 1, spark: 1 } })
        .sort({ seq: -1 })
        .skip(Math.max(0, page) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.c.ledger.countDocuments(filter),
    ]);
    const records: PullRecord[] = [];
    for (const e of events) {
      if (e.pull) {
        records.push({
          seq: e.seq,
          at: e.at,
          source: 'pull',
          bannerId: e.pull.bannerId,
          bannerKind: e.pull.bannerKind,
          cost: e.pull.cost,
          items: e.pull.items.map((i) => ({
            itemId: i.itemId,
            tierId: i.tierId,
            featured: i.featured,
            duplicate: i.duplicate,
          })),
        });
      } else if (e.spark) {
        records.push({
          seq: e.seq,
          at: e.at,
          source: 'spark',
          bannerId: e.spark.bannerId,
          bannerKind: null,
          cost: 0,
          items: [{ itemId: e.spark.itemId, tierId: e.spark.tierId, featured: true, duplicate: e.spark.duplicate }],
        });
      }
    }
    return { records, total };
  }

  /** The player's pull charges since `since`, up to `throughSeq` (bounded). */
  async pullCharges(player: PlayerRef, since: Date, throughSeq: number): Promise<PullCharge[]> {
    const docs = await this.c.ledger
      .find(
        {
          guildId: player.guildId,
          userId: player.userId,
          kind: 'pull',
          at: { $gte: since },
          seq: { $lte: throughSeq },
        },
        { projection: { at: 1, 'pull.cost': 1, 'pull.count': 1 } },
      )
      .limit(MAX_CHARGES)
      .toArray();
    return docs.map((d) => ({ at: d.at, cost: d.pull?.cost ?? 0, count: d.pull?.count ?? 0 }));
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
