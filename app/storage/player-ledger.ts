/**
 * Exactly-once changes to a player's state without multi-document transactions.
 *
 * A change is claimed by inserting one ledger event whose `_id` holds the next sequence number and
 * whose (guildId, userId, opKey) is unique. Both are unique indexes, which MongoDB and FerretDB
 * enforce atomically, so of any set of concurrent writers exactly one appends each sequence number
 * and an operation key is applied at most once: a lost race re-reads and retries, a repeated key
 * returns the first result. Charging happens in that one insert. History and the leaderboard read
 * model are written afterwards from the event, idempotently (deterministic ids) and batched behind
 * the commit (ProjectionWriter); the read model then names that event's sequence. The recovery pass
 * and the next commit finish whatever a crash or a lost batch left.
 */
import type { Db, WithId } from 'mongodb';
import { GachaError, isGachaError } from '../domain/errors';
import { initialPlayerState, type PlayerState } from '../domain/player-state';
import { collections, playerKey, type Collections, type LedgerEventDoc } from './collections';
import { LruCache } from '../shared/lru-cache';
import { isDuplicateKeyError } from './mongo-errors';
import { ProjectionWriter } from './projection-writer';

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
  /**
   * Events up to this sequence are known to have their history: the read model named it when the
   * head was read, or this process wrote that history itself.
   */
  readonly readModelSeq: number;
}

export interface PlayerLedgerOptions {
  readonly faults?: FaultInjector;
  /** Attempts before giving up under contention on one player (each lost race costs one). */
  readonly maxAttempts?: number;
  readonly now?: () => Date;
  /** Players whose newest known state this process keeps in memory (0 turns the cache off). */
  readonly headCacheSize?: number;
  /**
   * How long a commit's history and read-model writes may wait to be batched with others (default
   * 50 ms; 0 writes them before the commit returns).
   */
  readonly projectionDelayMs?: number;
  /** Told when deferred projection writes failed after their retries (the recovery pass redoes them). */
  readonly onProjectionError?: (error: unknown, events: number) => void;
  /** First wait before retrying a projection batch (tests shorten it). */
  readonly projectionRetryBaseMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PlayerLedger {
  private readonly c: Collections;
  private readonly faults: FaultInjector | undefined;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  /**
   * The head this process last committed per player. Only a starting guess: a commit on a stale
   * guess loses the insert race and re-reads, and a rejection is always re-checked in the database.
   */
  private readonly heads: LruCache<string, PlayerHead> | undefined;
  readonly projections: ProjectionWriter;

  constructor(db: Db, options: PlayerLedgerOptions = {}) {
    this.c = collections(db);
    this.projections = new ProjectionWriter(this.c.history, this.c.users, {
      delayMs: options.projectionDelayMs ?? 50,
      ...(options.onProjectionError ? { onError: options.onProjectionError } : {}),
      ...(options.projectionRetryBaseMs !== undefined ? { retryBaseMs: options.projectionRetryBaseMs } : {}),
    });
    const headCacheSize = options.headCacheSize ?? 5_000;
    this.heads = headCacheSize > 0 ? new LruCache(headCacheSize) : undefined;
    this.faults = options.faults;
    this.maxAttempts = options.maxAttempts ?? 200;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The player's state as the read model last saw it (a hint: possibly behind the ledger, never
   * ahead of it), or the opening state of a player who has none. One read by `_id`.
   */
  async snapshotHead(player: PlayerRef, startingCurrency: number): Promise<PlayerHead> {
    const snapshot = await this.c.users.findOne(
      { _id: playerKey(player.guildId, player.userId) },
      { projection: { seq: 1, state: 1, opKey: 1 } },
    );
    return snapshot
      ? { seq: snapshot.seq, state: snapshot.state, opKey: snapshot.opKey, readModelSeq: snapshot.seq }
      : { seq: 0, state: initialPlayerState(startingCurrency), opKey: null, readModelSeq: 0 };
  }

  /**
   * The newest event's state: the read model's hint, then the next sequence numbers probed by `_id`
   * until one is missing (events are contiguous, so the last one found is the head).
   */
  async head(player: PlayerRef, startingCurrency: number): Promise<PlayerHead> {
    let head = await this.snapshotHead(player, startingCurrency);
    // The read model may lag behind this process's own commits; start probing after the newer.
    const key = playerKey(player.guildId, player.userId);
    const cached = this.projections.needsSettling(key) ? undefined : this.heads?.get(key);
    if (cached && cached.seq > head.seq) head = cached;
    for (;;) {
      const next = await this.eventAt(player, head.seq + 1);
      if (!next) return head;
      head = { seq: next.seq, state: next.state, opKey: next.opKey, readModelSeq: head.readModelSeq };
    }
  }

  /** The event an operation key produced, if any (indexed on MongoDB). */
  async findByOpKey(player: PlayerRef, opKey: string): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ guildId: player.guildId, userId: player.userId, opKey });
  }

  private async eventAt(player: PlayerRef, seq: number): Promise<WithId<LedgerEventDoc> | null> {
    return this.c.ledger.findOne({ _id: `${playerKey(player.guildId, player.userId)}:${seq}` });
  }

  /**
   * Applies `decide` to the player's current state exactly once for `opKey`. `decide` must be pure
   * apart from its RNG: it may run again after a lost race.
   *
   * Optimistic: it decides on the read model's state and inserts the next sequence number. That
   * insert can only succeed if the read model was current (otherwise the number is taken), so a
   * stale read costs a retry, never a wrong charge.
   */
  async commit(
    player: PlayerRef,
    opKey: string,
    interactionId: string | null,
    startingCurrency: number,
    decide: (state: PlayerState) => EventBody,
  ): Promise<CommitResult> {
    const key = playerKey(player.guildId, player.userId);
    // After a lost projection batch, settle from the database's read model, not from memory.
    const fromDatabase = this.projections.needsSettling(key);
    let head = (fromDatabase ? undefined : this.heads?.get(key)) ?? (await this.snapshotHead(player, startingCurrency));
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let body: EventBody;
      try {
        body = decide(head.state);
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
        if (earlier) return { event: await this.settleThrough(player, earlier), replayed: true };
        throw error;
      }
      const seq = head.seq + 1;
      const event: LedgerEventDoc = {
        _id: `${key}:${seq}`,
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
      };
      await this.faults?.at('before-commit', event);
      try {
        await this.c.ledger.insertOne(event);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either this sequence number is taken (a stale read or a lost race) or this key is.
        const occupant = await this.eventAt(player, seq);
        if (occupant?.opKey === opKey) return { event: await this.settleThrough(player, occupant), replayed: true };
        if (!occupant) {
          const earlier = await this.findByOpKey(player, opKey);
          if (earlier) return { event: await this.settleThrough(player, earlier), replayed: true };
        }
        if (attempt > 1) await sleep(Math.min(1 + Math.random() * attempt * 2, 25));
        head = await this.head(player, startingCurrency);
        continue;
      }
      await this.faults?.at('after-commit', event);
      if (fromDatabase || !this.projections.deferring) {
        // `head` came from the database (or from this process's synchronous writes): settle now.
        await this.settleThrough(player, event, head.readModelSeq);
        this.projections.settled(key);
      } else {
        // Events after the head's settled sequence were not queued here (another process's, or one
        // a crash interrupted): write their history now. Those up to it are written or queued in
        // this process, and the queue writes them before this event's read model.
        await this.writeHistoryBetween(player, head.readModelSeq, seq);
        this.projections.defer(event);
      }
      this.heads?.set(key, { seq, state: event.state, opKey, readModelSeq: seq });
      return { event, replayed: false };
    }
    throw new GachaError('busy', 'Too many simultaneous requests for this player; please try again', {
      guildId: player.guildId,
    });
  }

  /**
   * Brings history and the read model up to `event`. Invariant: when the read model names sequence
   * m, every event up to m has its history. So first every event after the read model's sequence
   * gets its history (idempotent), then the read model moves to `event`. `knownSettledSeq` skips
   * the read when the caller knows it (the read model it decided on).
   */
  async settleThrough(player: PlayerRef, event: LedgerEventDoc, knownSettledSeq?: number): Promise<LedgerEventDoc> {
    const from =
      knownSettledSeq ??
      (await this.c.users.findOne({ _id: playerKey(player.guildId, player.userId) }, { projection: { seq: 1 } }))
        ?.seq ??
      0;
    await this.writeHistoryBetween(player, from, event.seq);
    if (event.seq > from) {
      await this.projections.writeHistory(event);
      await this.faults?.at('after-history', event);
      await this.projections.writeReadModel(event);
      await this.faults?.at('after-snapshot', event);
    }
    return event;
  }

  /** Writes the history of the player's events after `from` and before `to` (idempotent). */
  private async writeHistoryBetween(player: PlayerRef, from: number, to: number): Promise<void> {
    for (let seq = from + 1; seq < to; seq++) {
      const earlier = await this.eventAt(player, seq);
      if (earlier) await this.projections.writeHistory(earlier);
    }
  }

  /**
   * Finishes every event a crash left without history or read model. It reads the ledger from the
   * last checkpoint (minus a margin for operations that were in flight), settles each player
   * through their newest event, and moves the checkpoint. Run at start-up and periodically.
   */
  async recover(): Promise<number> {
    const passStart = this.now();
    const meta = await this.c.meta.findOne({ _id: 'recovery' });
    const since = new Date((meta?.checkpoint?.getTime() ?? 0) - RECOVERY_MARGIN_MS);
    const newest = new Map<string, LedgerEventDoc>();
    for await (const event of this.c.ledger.find(
      { at: { $gte: since } },
      { projection: { _id: 1, guildId: 1, userId: 1, seq: 1 } },
    )) {
      const key = playerKey(event.guildId, event.userId);
      const known = newest.get(key);
      if (!known || known.seq < event.seq) newest.set(key, event);
    }
    let settled = 0;
    for (const partial of newest.values()) {
      const player = { guildId: partial.guildId, userId: partial.userId };
      const snapshot = await this.c.users.findOne(
        { _id: playerKey(player.guildId, player.userId) },
        { projection: { seq: 1 } },
      );
      const from = snapshot?.seq ?? 0;
      if (from >= partial.seq) continue;
      const event = await this.eventAt(player, partial.seq);
      if (!event) continue;
      await this.settleThrough(player, event, from);
      settled += partial.seq - from;
    }
    await this.c.meta.updateOne({ _id: 'recovery' }, { $set: { checkpoint: passStart } }, { upsert: true });
    return settled;
  }
}

/** How far before the last checkpoint recovery looks again, for operations in flight then. */
const RECOVERY_MARGIN_MS = 5 * 60_000;
