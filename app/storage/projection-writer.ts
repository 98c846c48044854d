/**
 * The one owner of the rule "history and the read model follow the ledger": what is derived from
 * ledger events — the history documents (one per pulled item) and the players' read model (the
 * `users` collection: balances for leaderboards, and the sequence up to which history is written).
 *
 * Invariant: when a player's read model names sequence m, every event of that player up to m has
 * its history. Everything here keeps it, with writes that are idempotent (deterministic history
 * ids, read-model updates that only move forward), so any of them may run twice or concurrently:
 *  - `afterCommit` (the ledger just appended an event): writes the history of any earlier events
 *    this process has not written or queued (another process's, or one a crash interrupted), then
 *    queues the event. A timer writes every queued event's history in one unordered insert (and
 *    the pull events' audit journal documents in another, audit-query.ts), then the newest queued
 *    read model of each player in unordered bulk updates of at most 16 players each
 *    (projection-writes.ts says why), batches in order, history before read models. With deferring off (delay 0), or for a
 *    player a lost batch left behind, it settles synchronously from the database's read model.
 *  - `settle` (an earlier event is answered again): settles the player through it from the database.
 *  - `recover` (after login and periodically): settles every player whose read model is behind
 *    their newest ledger event since the last checkpoint — what a crash or a lost batch left —
 *    player by player, each in chunks of at most 500 events, while the bot answers.
 *
 * Backpressure: the backlog (queued plus being written) has a bound in events, in bytes and in
 * time (the events the writer writes in `maxBacklogSeconds` at its measured pace). Past it,
 * `saturated` is true until the backlog drains to half of the bounds; the use cases refuse new
 * charges meanwhile, so the backlog exceeds its bound by at most the commits already in flight.
 * One writer loop drains it: when behind, each batch takes everything queued (up to a batch cap),
 * so batches grow with the backlog and each still costs one round trip per collection. Reads never
 * wait for it: `catchUpHistory` writes one player's missing history straight from the ledger.
 */
import { BSON, type Db } from 'mongodb';
import { collections, playerKey, type Collections, type LedgerEventDoc } from './collections';
import type { FaultInjector, LedgerFollower, PlayerHead, PlayerRef } from './ledger-follower';
import { LruCache } from '../shared/lru-cache';
import { pruneAuditJournal } from './audit-query';
import { consecutiveEvents } from './ledger-reads';
import { writeHistory, writeReadModels } from './projection-writes';

export interface ProjectionWriterOptions {
  /** How long a queued event waits to be written with others (default 50 ms); 0 turns deferring off. */
  readonly delayMs?: number;
  /** Queued events that start a batch without waiting for the delay. */
  readonly maxQueued?: number;
  /** Bound of the backlog in events (default 10,000) … */
  readonly maxBacklogItems?: number;
  /** … and in BSON bytes (default 16 MiB); past either, `saturated` until it drains to half. */
  readonly maxBacklogBytes?: number;
  /**
   * … and in time: at most the events this writer writes in this many seconds at its measured
   * pace (default 20), so a backlog drains within about that long once the load stops, however
   * slow the database is (a fixed 10,000 took minutes at 50 events/s). Never below
   * `minBacklogItems` (default 100) nor above `maxBacklogItems`.
   */
  readonly maxBacklogSeconds?: number;
  readonly minBacklogItems?: number;
  /** Monotonic milliseconds for measuring the writer's pace (tests give a fake one). */
  readonly monotonicMs?: () => number;
  /** Events per batch at most (default 2,000: ≤ 20,000 history documents, one command each). */
  readonly maxBatchItems?: number;
  /** Told about a batch given up after its retries (the recovery pass writes it again). */
  readonly onError?: (error: unknown, events: number) => void;
  /** First wait before a retry, doubled each time up to 4 s (default 200 ms). */
  readonly retryBaseMs?: number;
  /** Players whose written-or-queued sequence this process remembers (default 5,000). */
  readonly knownPlayers?: number;
  readonly faults?: FaultInjector;
  readonly now?: () => Date;
}

/** Attempts per batch; by default the waits between them add up to ~14 s, longer than a mongod restart. */
const ATTEMPTS = 6;
/** Ledger events read (by `_id`, see ledger-reads) and written as history per step when history between two sequences is written. */
const READ_CHUNK = 500;
/** How far before the last checkpoint recovery looks again, for operations in flight then. */
const RECOVERY_MARGIN_MS = 5 * 60_000;
/** Events of one player `catchUpHistory` writes at most (beyond, the answer says it is catching up). */
const CATCH_UP_LIMIT = 200;

interface Queued {
  readonly event: LedgerEventDoc;
  readonly bytes: number;
}

export interface Backlog {
  /** Events committed and not yet projected by this process (queued or being written). */
  readonly items: number;
  readonly bytes: number;
  /** Age of the oldest of them (0 when there is none). */
  readonly lagSeconds: number;
  /** The bound in events now (see `backlogBound`). */
  readonly bound: number;
  /** New charges are refused (past the bound, until drained to half). */
  readonly saturated: boolean;
}

export class ProjectionWriter implements LedgerFollower {
  private readonly c: Collections;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private inFlight: readonly Queued[] = [];
  private inFlightBytes = 0;
  /** Events ever queued, and ever written or given up: `flush` waits for the second to reach the first. */
  private enqueued = 0;
  private processed = 0;
  private waiters: { readonly target: number; readonly resolve: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The writer loop, while it runs. */
  private running: Promise<void> | undefined;
  private full = false;
  private readonly delayMs: number;
  private readonly maxQueued: number;
  private readonly maxBacklogItems: number;
  private readonly maxBacklogBytes: number;
  private readonly maxBacklogSeconds: number;
  private readonly minBacklogItems: number;
  private readonly monotonicMs: () => number;
  /** Events written per second of writing, smoothed over batches (undefined before the first). */
  private pace: number | undefined;
  private readonly maxBatchItems: number;
  private readonly retryBaseMs: number;
  private readonly faults: FaultInjector | undefined;
  private readonly now: () => Date;
  /**
   * Per player, a sequence up to which every event's history is written or queued in this process
   * (queued history is written before any later read model). A lower bound, so forgetting is safe.
   */
  private readonly through: LruCache<string, number>;
  /**
   * Players a batch was given up for: their read model must not move past the history that was
   * lost, so deferred read-model writes skip them until a commit settles them synchronously.
   */
  private readonly unsettled = new Set<string>();

  constructor(
    db: Db,
    private readonly options: ProjectionWriterOptions = {},
  ) {
    this.c = collections(db);
    this.delayMs = options.delayMs ?? 50;
    this.maxQueued = options.maxQueued ?? 2_000;
    this.maxBacklogItems = options.maxBacklogItems ?? 10_000;
    this.maxBacklogBytes = options.maxBacklogBytes ?? 16 * 1024 * 1024;
    this.maxBacklogSeconds = options.maxBacklogSeconds ?? 20;
    this.minBacklogItems = options.minBacklogItems ?? 100;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
    this.maxBatchItems = options.maxBatchItems ?? 2_000;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.faults = options.faults;
    this.now = options.now ?? (() => new Date());
    this.through = new LruCache(options.knownPlayers ?? 5_000);
  }

  /** Events queued and not yet being written. */
  get queued(): number {
    return this.queue.length;
  }

  /** What this process has committed and not yet projected. */
  backlog(): Backlog {
    const oldest = this.inFlight[0] ?? this.queue[0];
    return {
      items: this.inFlight.length + this.queue.length,
      bytes: this.inFlightBytes + this.queuedBytes,
      lagSeconds: oldest ? Math.max(0, (this.now().getTime() - oldest.event.at.getTime()) / 1000) : 0,
      bound: this.backlogBound,
      saturated: this.full,
    };
  }

  /** True while the backlog is past its bound (and until it has drained to half): refuse new charges. */
  get saturated(): boolean {
    return this.full;
  }

  /**
   * The bound in events now: `maxBacklogItems`, or less when the measured pace would take longer
   * than `maxBacklogSeconds` to write that many.
   */
  get backlogBound(): number {
    if (this.pace === undefined) return this.maxBacklogItems;
    const inTime = Math.max(this.minBacklogItems, Math.ceil(this.pace * this.maxBacklogSeconds));
    return Math.min(this.maxBacklogItems, inTime);
  }

  /** True when a lost batch left this player's history to be rewritten before the read model moves. */
  needsSettling(player: PlayerRef): boolean {
    return this.unsettled.has(playerKey(player.guildId, player.userId));
  }

  async recentHead(player: PlayerRef): Promise<PlayerHead | null> {
    const key = playerKey(player.guildId, player.userId);
    const snapshot = await this.c.users.findOne({ _id: key }, { projection: { seq: 1, state: 1, opKey: 1 } });
    if (!snapshot) return null;
    if (!this.unsettled.has(key)) this.noteThrough(key, snapshot.seq);
    return { seq: snapshot.seq, state: snapshot.state, opKey: snapshot.opKey };
  }

  async afterCommit(event: LedgerEventDoc): Promise<void> {
    const key = playerKey(event.guildId, event.userId);
    const known = this.unsettled.has(key) ? undefined : this.through.get(key);
    if (this.delayMs === 0 || this.unsettled.has(key)) {
      await this.settleFrom(event, known ?? (await this.readModelSeq(key)));
      this.unsettled.delete(key);
      this.noteThrough(key, event.seq);
      return;
    }
    // Events after `from` were not queued here: write their history now. Those up to it are
    // written or queued in this process, and the queue writes them before this event's read model.
    await this.writeHistoryBetween(event, known ?? (await this.readModelSeq(key)), event.seq);
    this.enqueue(event);
    this.noteThrough(key, event.seq);
  }

  async settle(event: LedgerEventDoc): Promise<void> {
    await this.settleFrom(event, await this.readModelSeq(playerKey(event.guildId, event.userId)));
  }

  /**
   * Finishes every event a crash left without history or read model. It reads the ledger from the
   * last checkpoint (minus a margin for operations that were in flight), settles each player
   * through their newest event, and moves the checkpoint. Returns the events settled.
   */
  async recover(): Promise<number> {
    const passStart = this.now();
    const meta = await this.c.meta.findOne({ _id: 'recovery' });
    const since = new Date((meta?.checkpoint?.getTime() ?? 0) - RECOVERY_MARGIN_MS);
    const newest = new Map<string, Pick<LedgerEventDoc, 'guildId' | 'userId' | 'seq'>>();
    for await (const event of this.c.ledger.find(
      { at: { $gte: since } },
      { projection: { _id: 1, guildId: 1, userId: 1, seq: 1 } },
    )) {
      const key = playerKey(event.guildId, event.userId);
      const known = newest.get(key);
      if (!known || known.seq < event.seq) newest.set(key, event);
    }
    let settled = 0;
    for (const [key, partial] of newest) {
      const from = await this.readModelSeq(key);
      if (from >= partial.seq) continue;
      const event = await this.c.ledger.findOne({ _id: `${key}:${partial.seq}` });
      if (!event) continue;
      await this.settleFrom(event, from);
      settled += partial.seq - from;
    }
    await this.c.meta.updateOne({ _id: 'recovery' }, { $set: { checkpoint: passStart } }, { upsert: true });
    // The audit journal keeps only the last few days (audit-query.ts).
    await pruneAuditJournal(this.c.auditJournal, passStart);
    return settled;
  }

  /** Writes everything queued so far; resolves when it is written or given up on. */
  flush(): Promise<void> {
    const target = this.enqueued;
    if (this.processed >= target) return Promise.resolve();
    this.start();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  /**
   * Settles one player from the ledger without waiting for the backlog: the events after their read
   * model (at most CATCH_UP_LIMIT, one read), their history (one insert), then the read model moved
   * to the newest of them. A history page is then complete. False when there may be more: the
   * player's history is still catching up (the next call goes on from there).
   */
  async catchUpHistory(player: PlayerRef): Promise<boolean> {
    const key = playerKey(player.guildId, player.userId);
    const from = await this.readModelSeq(key);
    const missing = await consecutiveEvents(this.c.ledger, player, from + 1, CATCH_UP_LIMIT);
    const newest = missing.reduce<LedgerEventDoc | undefined>((a, e) => (a && a.seq > e.seq ? a : e), undefined);
    if (!newest) return true;
    // Events are contiguous, so these are every event from `from` + 1 to the newest found.
    await writeHistory(this.c, missing);
    await writeReadModels(this.c.users, [newest]);
    return missing.length < CATCH_UP_LIMIT;
  }

  private noteThrough(key: string, seq: number): void {
    this.through.set(key, Math.max(this.through.get(key) ?? 0, seq));
  }

  private async readModelSeq(key: string): Promise<number> {
    return (await this.c.users.findOne({ _id: key }, { projection: { seq: 1 } }))?.seq ?? 0;
  }

  /**
   * Brings history and the read model up to `event`, the read model being at `from`: first every
   * event after `from` gets its history (idempotent), then the read model moves to `event`.
   */
  private async settleFrom(event: LedgerEventDoc, from: number): Promise<void> {
    await this.writeHistoryBetween(event, from, event.seq);
    if (event.seq <= from) return;
    await writeHistory(this.c, [event]);
    await this.faults?.at('after-history', event);
    await writeReadModels(this.c.users, [event]);
    await this.faults?.at('after-snapshot', event);
  }

  /** Writes the history of the player's events after `from` and before `to` (idempotent). */
  private async writeHistoryBetween(player: PlayerRef, from: number, to: number): Promise<void> {
    for (let start = from + 1; start < to; start += READ_CHUNK) {
      const earlier = await consecutiveEvents(this.c.ledger, player, start, Math.min(READ_CHUNK, to - start));
      await writeHistory(this.c, earlier);
    }
  }

  private enqueue(event: LedgerEventDoc): void {
    const bytes = BSON.calculateObjectSize(event);
    this.queue.push({ event, bytes });
    this.queuedBytes += bytes;
    this.enqueued++;
    this.updateSaturation();
    if (this.running) return;
    if (this.queue.length >= this.maxQueued) {
      this.start();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.start();
    }, this.delayMs).unref();
  }

  private updateSaturation(): void {
    const { items, bytes } = this.backlog();
    const bound = this.backlogBound;
    if (items >= bound || bytes >= this.maxBacklogBytes) this.full = true;
    else if (items <= bound / 2 && bytes <= this.maxBacklogBytes / 2) this.full = false;
  }

  /** Starts the writer loop now unless it runs (it then takes what is queued in its next batch). */
  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.queue.length === 0) return;
    this.running = this.drain();
  }

  /** Writes batches until the queue is empty; each takes everything queued, up to the batch cap. */
  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.queue.splice(0, this.maxBatchItems);
      if (batch.length === 0) {
        this.running = undefined;
        return;
      }
      this.inFlight = batch;
      this.inFlightBytes = batch.reduce((sum, q) => sum + q.bytes, 0);
      this.queuedBytes -= this.inFlightBytes;
      const started = this.monotonicMs();
      try {
        await this.writeBatch(batch.map((q) => q.event));
      } catch (error) {
        // writeBatch reports its own failures; anything else must not stop the loop.
        this.options.onError?.(error, batch.length);
      }
      this.notePace(batch.length, this.monotonicMs() - started);
      this.inFlight = [];
      this.inFlightBytes = 0;
      this.processed += batch.length;
      this.updateSaturation();
      const ready = this.waiters.filter((w) => w.target <= this.processed);
      this.waiters = this.waiters.filter((w) => w.target > this.processed);
      for (const waiter of ready) waiter.resolve();
    }
  }

  /** Smooths the events-per-second of the batches (a new one counts for a third). */
  private notePace(events: number, elapsedMs: number): void {
    if (elapsedMs <= 0) return;
    const pace = (events * 1000) / elapsedMs;
    this.pace = this.pace === undefined ? pace : this.pace + (pace - this.pace) / 3;
  }

  private async writeBatch(batch: LedgerEventDoc[]): Promise<void> {
    try {
      await this.withRetries(() => writeHistory(this.c, batch));
    } catch (error) {
      for (const event of batch) {
        const key = playerKey(event.guildId, event.userId);
        this.unsettled.add(key);
        this.through.delete(key);
      }
      this.options.onError?.(error, batch.length);
      return;
    }
    const newest = new Map<string, LedgerEventDoc>();
    for (const event of batch) {
      const key = playerKey(event.guildId, event.userId);
      if (this.unsettled.has(key)) continue;
      const known = newest.get(key);
      if (!known || known.seq < event.seq) newest.set(key, event);
    }
    if (newest.size === 0) return;
    try {
      await this.withRetries(() => writeReadModels(this.c.users, [...newest.values()]));
    } catch (error) {
      // The history is written, so a read model left behind breaks nothing: recovery moves it.
      this.options.onError?.(error, newest.size);
    }
  }

  private async withRetries(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        const wait = Math.min(this.retryBaseMs * 2 ** (attempt - 1), 4_000);
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }
}
