/**
 * Exactly-once changes to a player's state without multi-document transactions.
 *
 * A change is claimed by inserting one ledger event whose `_id` holds the next sequence number and
 * whose (guildId, userId, opKey) is unique. Both are unique indexes, which MongoDB and FerretDB
 * enforce atomically, so of any set of concurrent writers exactly one appends each sequence number
 * and an operation key is applied at most once: a lost race re-reads and retries, a repeated key
 * returns the first result. Charging happens in that one insert. The ledger only appends and
 * retries; what follows it (history and the read model) is the LedgerFollower's, told after every
 * append and before every replayed answer.
 */
import type { Db, WithId } from 'mongodb';
import { GachaError, isGachaError } from '../domain/errors';
import { initialPlayerState, type PlayerState } from '../domain/player-state';
import { collections, playerKey, type Collections, type LedgerEventDoc } from './collections';
import { LruCache } from '../shared/lru-cache';
import type { FaultInjector, LedgerFollower, PlayerHead, PlayerRef } from './ledger-follower';
import { newestEvent } from './ledger-reads';
import { isDuplicateKeyError } from './mongo-errors';

/** What an operation decides from the current state; thrown GachaErrors reject without writing. */
export type EventBody = Pick<LedgerEventDoc, 'kind' | 'state'> &
  Partial<Pick<LedgerEventDoc, 'pull' | 'spark' | 'daily' | 'grant' | 'move' | 'exchange' | 'fairness'>>;

/**
 * Decides an event from the player's current state and the sequence number the event will be
 * inserted at (a pull draws from that sequence's verifiable stream; after a lost race it is called
 * again with the new state and the new sequence).
 */
export type Decide = (state: PlayerState, seq: number) => EventBody;

export interface CommitResult {
  readonly event: LedgerEventDoc;
  /** True when the operation key had already been applied and this is its earlier result. */
  readonly replayed: boolean;
}

export interface PlayerLedgerOptions {
  readonly faults?: FaultInjector;
  /** Attempts before giving up under contention on one player (each lost race costs one). */
  readonly maxAttempts?: number;
  readonly now?: () => Date;
  /** Players whose newest known state this process keeps in memory (0 turns the cache off). */
  readonly headCacheSize?: number;
  /** Told about every finished commit (metrics): its duration and result. */
  readonly onCommit?: (durationMs: number, result: CommitResult) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The ledger event that follows `head` for `opKey`: the one document shape every append writes
 * (tests that seed a ledger in bulk build their events here too).
 */
export function ledgerEvent(
  player: PlayerRef,
  head: PlayerHead,
  opKey: string,
  interactionId: string | null,
  at: Date,
  body: EventBody,
): LedgerEventDoc {
  const seq = head.seq + 1;
  return {
    _id: `${playerKey(player.guildId, player.userId)}:${seq}`,
    guildId: player.guildId,
    userId: player.userId,
    seq,
    opKey,
    interactionId,
    at,
    delta: {
      currency: body.state.currency - head.state.currency,
      shards: body.state.shards - head.state.shards,
    },
    ...(seq === 1 ? { opening: head.state.currency } : {}),
    ...body,
  };
}

export class PlayerLedger {
  private readonly c: Collections;
  private readonly faults: FaultInjector | undefined;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly onCommit: PlayerLedgerOptions['onCommit'];
  /**
   * The head this process last committed per player. Only a starting guess: a commit on a stale
   * guess loses the insert race and re-reads, and a rejection is always re-checked in the database.
   */
  private readonly heads: LruCache<string, PlayerHead> | undefined;

  constructor(
    db: Db,
    private readonly follower: LedgerFollower,
    options: PlayerLedgerOptions = {},
  ) {
    this.c = collections(db);
    const headCacheSize = options.headCacheSize ?? 5_000;
    this.heads = headCacheSize > 0 ? new LruCache(headCacheSize) : undefined;
    this.faults = options.faults;
    this.maxAttempts = options.maxAttempts ?? 200;
    this.now = options.now ?? (() => new Date());
    this.onCommit = options.onCommit;
  }

  /** The follower's recent state of the player, or the opening state of a player who has none. */
  private async recentHead(player: PlayerRef, startingCurrency: number): Promise<PlayerHead> {
    return (
      (await this.follower.recentHead(player)) ?? { seq: 0, state: initialPlayerState(startingCurrency), opKey: null }
    );
  }

  /**
   * The newest event's state: the newer of the follower's recent state and this process's last
   * commit, then the newest event after it, found by `_id` lookups (`newestEvent`).
   */
  async head(player: PlayerRef, startingCurrency: number): Promise<PlayerHead> {
    const key = playerKey(player.guildId, player.userId);
    let head = await this.recentHead(player, startingCurrency);
    const cached = this.heads?.get(key);
    if (cached && cached.seq > head.seq) head = cached;
    const newest = await newestEvent<Pick<LedgerEventDoc, 'seq' | 'state' | 'opKey'>>(this.c.ledger, player, head.seq, {
      projection: { seq: 1, state: 1, opKey: 1 },
    });
    return newest ? { seq: newest.seq, state: newest.state, opKey: newest.opKey } : head;
  }

  /** The event an operation key produced for the player, if any (a two-party move asks this). */
  async eventFor(player: PlayerRef, opKey: string): Promise<LedgerEventDoc | null> {
    return this.findByOpKey(player, opKey);
  }

  /** The event an operation key produced, if any (indexed on MongoDB). */
  private async findByOpKey(player: PlayerRef, opKey: string): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ guildId: player.guildId, userId: player.userId, opKey });
  }

  private async eventAt(player: PlayerRef, seq: number): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ _id: `${playerKey(player.guildId, player.userId)}:${seq}` });
  }

  /**
   * Applies `decide` to the player's current state exactly once for `opKey`. `decide` must be pure
   * (a pull's draws are a function of the sequence it is given): it may run again after a lost race.
   *
   * Optimistic: it decides on the newest state it knows and inserts the next sequence number. That
   * insert can only succeed if the state was current (otherwise the number is taken), so a stale
   * guess costs a retry, never a wrong charge.
   */
  async commit(
    player: PlayerRef,
    opKey: string,
    interactionId: string | null,
    startingCurrency: number,
    decide: Decide,
  ): Promise<CommitResult> {
    const started = performance.now();
    const result = await this.append(player, opKey, interactionId, startingCurrency, decide);
    this.onCommit?.(performance.now() - started, result);
    return result;
  }

  private async append(
    player: PlayerRef,
    opKey: string,
    interactionId: string | null,
    startingCurrency: number,
    decide: Decide,
  ): Promise<CommitResult> {
    const key = playerKey(player.guildId, player.userId);
    let head = this.heads?.get(key) ?? (await this.recentHead(player, startingCurrency));
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let body: EventBody;
      try {
        body = decide(head.state, head.seq + 1);
      } catch (error) {
        if (!isGachaError(error)) throw error;
        // The state may be stale, and a retry of an operation that already succeeded must get its
        // result rather than a rejection computed from the state it produced.
        const latest = await this.head(player, startingCurrency);
        if (latest.seq !== head.seq) {
          head = latest;
          continue;
        }
        const earlier =
          head.opKey === opKey ? await this.eventAt(player, head.seq) : await this.findByOpKey(player, opKey);
        if (earlier) return this.replay(earlier);
        throw error;
      }
      const seq = head.seq + 1;
      const event = ledgerEvent(player, head, opKey, interactionId, this.now(), body);
      await this.faults?.at('before-commit', event);
      try {
        await this.c.ledger.insertOne(event);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either this sequence number is taken (a stale read or a lost race) or this key is.
        const occupant = await this.eventAt(player, seq);
        if (occupant?.opKey === opKey) return this.replay(occupant);
        if (!occupant) {
          const earlier = await this.findByOpKey(player, opKey);
          if (earlier) return this.replay(earlier);
        }
        if (attempt > 1) await sleep(Math.min(1 + Math.random() * attempt * 2, 25));
        head = await this.head(player, startingCurrency);
        continue;
      }
      await this.faults?.at('after-commit', event);
      await this.follower.afterCommit(event);
      this.heads?.set(key, { seq, state: event.state, opKey });
      return { event, replayed: false };
    }
    throw new GachaError('busy', 'Too many simultaneous requests for this player; please try again', {
      guildId: player.guildId,
    });
  }

  /** An operation already applied: its earlier event, followed before it is answered again. */
  private async replay(event: LedgerEventDoc): Promise<CommitResult> {
    await this.follower.settle(event);
    return { event, replayed: true };
  }
}
