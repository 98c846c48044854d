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
 *    queues the event. A timer writes every queued event's history in one unordered insert, then
 *    the newest queued read model of each player in one unordered bulk update: two commands per
 *    batch, batches in order, history before read models. With deferring off (delay 0), or for a
 *    player a lost batch left behind, it settles synchronously from the database's read model.
 *  - `settle` (an earlier event is answered again): settles the player through it from the database.
 *  - `recover` (start-up and periodically): settles every player whose read model is behind their
 *    newest ledger event since the last checkpoint — what a crash or a lost batch left.
 */
import type { Db, WithId } from 'mongodb';
import { collections, playerKey, type Collections, type LedgerEventDoc } from './collections';
import type { FaultInjector, LedgerFollower, PlayerHead, PlayerRef } from './ledger-follower';
import { LruCache } from '../shared/lru-cache';
import { writeHistory, writeReadModels } from './projection-writes';

export interface ProjectionWriterOptions {
  /** How long a queued event waits to be written with others (default 50 ms); 0 turns deferring off. */
  readonly delayMs?: number;
  /** Queued events that trigger a write without waiting for the delay (bounds memory). */
  readonly maxQueued?: number;
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
/** Ledger events read by `_id` in one query when history between two sequences is written. */
const READ_CHUNK = 500;
/** How far before the last checkpoint recovery looks again, for operations in flight then. */
const RECOVERY_MARGIN_MS = 5 * 60_000;

export class ProjectionWriter implements LedgerFollower {
  private readonly c: Collections;
  private events: LedgerEventDoc[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly delayMs: number;
  private readonly maxQueued: number;
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
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.faults = options.faults;
    this.now = options.now ?? (() => new Date());
    this.through = new LruCache(options.knownPlayers ?? 5_000);
  }

  /** Events queued and not yet written. */
  get queued(): number {
    return this.events.length;
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
    return settled;
  }

  /** Writes everything queued so far; resolves when it is written or given up on. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.events;
    this.events = [];
    if (batch.length > 0) this.chain = this.chain.then(() => this.writeBatch(batch));
    return this.chain;
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
    await writeHistory(this.c.history, [event]);
    await this.faults?.at('after-history', event);
    await writeReadModels(this.c.users, [event]);
    await this.faults?.at('after-snapshot', event);
  }

  /** Writes the history of the player's events after `from` and before `to` (idempotent). */
  private async writeHistoryBetween(player: PlayerRef, from: number, to: number): Promise<void> {
    const key = playerKey(player.guildId, player.userId);
    for (let start = from + 1; start < to; start += READ_CHUNK) {
      const ids: string[] = [];
      for (let seq = start; seq < Math.min(to, start + READ_CHUNK); seq++) ids.push(`${key}:${seq}`);
      const earlier: WithId<LedgerEventDoc>[] = await this.c.ledger.find({ _id: { $in: ids } }).toArray();
      await writeHistory(this.c.history, earlier);
    }
  }

  private enqueue(event: LedgerEventDoc): void {
    this.events.push(event);
    if (this.events.length >= this.maxQueued) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      void this.flush();
    }, this.delayMs).unref();
  }

  private async writeBatch(batch: LedgerEventDoc[]): Promise<void> {
    try {
      await this.withRetries(() => writeHistory(this.c.history, batch));
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
