/**
 * Exactly-once changes to a player's state without multi-document transactions.
 *
 * A change is claimed by inserting one ledger event whose `_id` holds the next sequence number and
 * whose (guildId, userId, opKey) is unique. Both are unique indexes, which MongoDB and FerretDB
 * enforce atomically, so of any set of concurrent writers exactly one appends each sequence number
 * and an operation key is applied at most once: a lost race re-reads and retries, a repeated key
 * returns the first result. Charging happens in that one insert. History and the leaderboard read
 * model are written afterwards from the event, idempotently (deterministic ids), and an event is
 * marked settled when they are; the recovery pass settles whatever a crash left unsettled.
 */
import type { Db, WithId } from 'mongodb';
import { GachaError, isGachaError } from '../domain/errors';
import { distinctOwned, initialPlayerState, type PlayerState } from '../domain/player-state';
import { collections, playerKey, type Collections, type HistoryDoc, type LedgerEventDoc } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export type LedgerStep = 'before-commit' | 'after-commit' | 'after-history' | 'after-snapshot';

/** Test hook to simulate a crash between internal steps; production passes none. */
export interface FaultInjector {
  at(step: LedgerStep, event: Readonly<LedgerEventDoc>): void | Promise<void>;
}

export interface PlayerRef {
  readonly guildId: string;
  readonly userId: string;
}

/** What an operation decides from the current state; thrown GachaErrors reject without writing. */
export type EventBody = Pick<LedgerEventDoc, 'kind' | 'state'> &
  Partial<Pick<LedgerEventDoc, 'pull' | 'spark' | 'daily' | 'grant'>>;

export interface CommitResult {
  readonly event: LedgerEventDoc;
  /** True when the operation key had already been applied and this is its earlier result. */
  readonly replayed: boolean;
}

export interface PlayerHead {
  readonly seq: number;
  readonly state: PlayerState;
  /** Operation key of the newest event, null before the first. */
  readonly opKey: string | null;
}

export interface PlayerLedgerOptions {
  readonly faults?: FaultInjector;
  /** Attempts before giving up under contention on one player (each lost race costs one). */
  readonly maxAttempts?: number;
  readonly now?: () => Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PlayerLedger {
  private readonly c: Collections;
  private readonly faults: FaultInjector | undefined;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(db: Db, options: PlayerLedgerOptions = {}) {
    this.c = collections(db);
    this.faults = options.faults;
    this.maxAttempts = options.maxAttempts ?? 200;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The newest event's state, or the opening state of a player who has none. Reads only by `_id`
   * (fast on every engine): the read model names the sequence it last saw, then the next sequence
   * numbers are probed until one is missing — events are contiguous, so that one is the head.
   */
  async head(player: PlayerRef, startingCurrency: number): Promise<PlayerHead> {
    const key = playerKey(player.guildId, player.userId);
    const snapshot = await this.c.users.findOne({ _id: key }, { projection: { seq: 1, state: 1, opKey: 1 } });
    let head: PlayerHead = snapshot
      ? { seq: snapshot.seq, state: snapshot.state, opKey: snapshot.opKey }
      : { seq: 0, state: initialPlayerState(startingCurrency), opKey: null };
    for (;;) {
      const next = await this.c.ledger.findOne(
        { _id: `${key}:${head.seq + 1}` },
        { projection: { seq: 1, state: 1, opKey: 1 } },
      );
      if (!next) return head;
      head = { seq: next.seq, state: next.state, opKey: next.opKey };
    }
  }

  /** The event an operation key produced, if any (indexed on MongoDB). */
  async findByOpKey(player: PlayerRef, opKey: string): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ guildId: player.guildId, userId: player.userId, opKey });
  }

  private async eventAt(player: PlayerRef, seq: number): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ _id: `${playerKey(player.guildId, player.userId)}:${seq}` });
  }

  /** The earlier event of `opKey`, looking first at the head (the usual retry) before the index. */
  private async earlierEvent(player: PlayerRef, opKey: string, head: PlayerHead): Promise<LedgerEventDoc | null> {
    if (head.opKey === opKey) return this.eventAt(player, head.seq);
    return this.findByOpKey(player, opKey);
  }

  /**
   * Applies `decide` to the player's current state exactly once for `opKey`. `decide` must be pure
   * apart from its RNG: it may run again after a lost race.
   */
  async commit(
    player: PlayerRef,
    opKey: string,
    interactionId: string | null,
    startingCurrency: number,
    decide: (state: PlayerState) => EventBody,
  ): Promise<CommitResult> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const head = await this.head(player, startingCurrency);
      let body: EventBody;
      try {
        body = decide(head.state);
      } catch (error) {
        if (isGachaError(error)) {
          // A retry of an operation that already succeeded must get its result, not a rejection
          // computed from the state it produced.
          const earlier = await this.earlierEvent(player, opKey, head);
          if (earlier) return { event: await this.settle(earlier), replayed: true };
        }
        throw error;
      }
      const seq = head.seq + 1;
      const event: LedgerEventDoc = {
        _id: `${playerKey(player.guildId, player.userId)}:${seq}`,
        guildId: player.guildId,
        userId: player.userId,
        seq,
        opKey,
        interactionId,
        at: this.now(),
        delta: {
          currency: body.state.currency - head.state.currency,
          shards: body.state.shards - head.state.shards,
        },
        ...(seq === 1 ? { opening: head.state.currency } : {}),
        ...body,
        settled: false,
      };
      await this.faults?.at('before-commit', event);
      try {
        await this.c.ledger.insertOne(event);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either another operation took this sequence number, or this operation key is taken.
        const occupant = await this.eventAt(player, seq);
        const earlier = occupant?.opKey === opKey ? occupant : occupant ? null : await this.findByOpKey(player, opKey);
        if (earlier) return { event: await this.settle(earlier), replayed: true };
        // Lost the race for this sequence number: back off a little and decide again.
        await sleep(Math.min(2 + Math.random() * attempt * 2, 25));
        continue;
      }
      await this.faults?.at('after-commit', event);
      return { event: await this.settle(event), replayed: false };
    }
    throw new GachaError('busy', 'Too many simultaneous requests for this player; please try again', {
      guildId: player.guildId,
    });
  }

  /** Writes the event's history and read model (both idempotent) and marks it settled. */
  async settle(event: LedgerEventDoc): Promise<LedgerEventDoc> {
    if (event.settled) return event;
    await this.writeHistory(event);
    await this.faults?.at('after-history', event);
    await this.writeSnapshot(event);
    await this.faults?.at('after-snapshot', event);
    await this.c.ledger.updateOne({ _id: event._id }, { $set: { settled: true } });
    return { ...event, settled: true };
  }

  private async writeHistory(event: LedgerEventDoc): Promise<void> {
    const history = historyDocs(event);
    if (history.length === 0) return;
    try {
      await this.c.history.insertMany(history, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async writeSnapshot(event: LedgerEventDoc): Promise<void> {
    const key = playerKey(event.guildId, event.userId);
    try {
      await this.c.users.updateOne(
        { _id: key, seq: { $lt: event.seq } },
        {
          $set: {
            guildId: event.guildId,
            userId: event.userId,
            seq: event.seq,
            opKey: event.opKey,
            currency: event.state.currency,
            shards: event.state.shards,
            totalPulls: event.state.totalPulls,
            distinctItems: distinctOwned(event.state),
            state: event.state,
            updatedAt: event.at,
          },
        },
        { upsert: true },
      );
    } catch (error) {
      // A newer event already wrote the read model (the upsert hit the existing _id).
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Settles every unsettled event older than `minAgeMs`. Run at start-up; safe to run any time. */
  async recover(minAgeMs = 0): Promise<number> {
    const cutoff = new Date(this.now().getTime() - minAgeMs);
    let settled = 0;
    const cursor = this.c.ledger.find({ settled: false, at: { $lte: cutoff } }).sort({ at: 1 });
    for await (const event of cursor) {
      await this.settle(event);
      settled++;
    }
    return settled;
  }
}

export function historyDocs(event: LedgerEventDoc): HistoryDoc[] {
  const base = {
    guildId: event.guildId,
    userId: event.userId,
    interactionId: event.interactionId,
    eventSeq: event.seq,
    at: event.at,
  };
  const prefix = `${playerKey(event.guildId, event.userId)}:${event.opKey}`;
  if (event.pull) {
    const { bannerId } = event.pull;
    return event.pull.items.map((item, index) => ({
      ...base,
      _id: `${prefix}:${index}`,
      index,
      source: 'pull',
      bannerId,
      tierId: item.tierId,
      itemId: item.itemId,
      pityCount: item.pityCount,
      featured: item.featured,
      duplicate: item.duplicate,
    }));
  }
  if (event.spark) {
    return [
      {
        ...base,
        _id: `${prefix}:0`,
        index: 0,
        source: 'spark',
        bannerId: event.spark.bannerId,
        tierId: event.spark.tierId,
        itemId: event.spark.itemId,
        pityCount: 0,
        featured: true,
        duplicate: event.spark.duplicate,
      },
    ];
  }
  return [];
}
