/**
 * Writes what is derived from ledger events: the history documents (one per pulled item) and the
 * players' read model (the `users` collection: balances for leaderboards, and the sequence up to
 * which history is written).
 *
 * A commit is charged and recorded once its ledger event is inserted; these projections can follow
 * it. `defer` queues an event, and a timer writes every queued event's history in one unordered
 * insert, then the newest queued read model of each player in one unordered bulk update: two
 * commands per batch instead of two per pull, and one read-model write for a player's back-to-back
 * pulls. Batches are written in order, history before read models, so a read model never names a
 * sequence whose history is not written (the settle invariant). What a crash loses from the queue,
 * the recovery pass (and the next commit by any process) writes again from the ledger; ids are
 * deterministic, so nothing is written twice.
 *
 * Read-model writes are conditional on the stored sequence being older, so writes arriving out of
 * order, from this process or another, can never move a player's read model backwards.
 */
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
  MongoBulkWriteError,
  type WriteError,
} from 'mongodb';
import { distinctOwned } from '../domain/player-state';
import { playerKey, type HistoryDoc, type LedgerEventDoc, type UserDoc } from './collections';
import { historyDocs } from './history-docs';
import { isDuplicateKeyError } from './mongo-errors';

export interface ProjectionWriterOptions {
  /** How long a queued event waits to be written with others; 0 turns deferring off. */
  readonly delayMs: number;
  /** Queued events that trigger a write without waiting for the delay (bounds memory). */
  readonly maxQueued?: number;
  /** Told about a batch given up after its retries (the recovery pass writes it again). */
  readonly onError?: (error: unknown, events: number) => void;
  /** First wait before a retry, doubled each time up to 4 s (default 200 ms). */
  readonly retryBaseMs?: number;
}

/** Attempts per batch; by default the waits between them add up to ~14 s, longer than a mongod restart. */
const ATTEMPTS = 6;

export class ProjectionWriter {
  private events: LedgerEventDoc[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly maxQueued: number;
  private readonly retryBaseMs: number;
  /**
   * Players a batch was given up for: their read model must not move past the history that was
   * lost, so deferred read-model writes skip them until a commit settles them synchronously.
   */
  private readonly unsettled = new Set<string>();

  constructor(
    private readonly history: Collection<HistoryDoc>,
    private readonly users: Collection<UserDoc>,
    private readonly options: ProjectionWriterOptions,
  ) {
    this.maxQueued = options.maxQueued ?? 2_000;
    this.retryBaseMs = options.retryBaseMs ?? 200;
  }

  get deferring(): boolean {
    return this.options.delayMs > 0;
  }

  /** Events queued and not yet written. */
  get queued(): number {
    return this.events.length;
  }

  /** True when a lost batch left this player's history to be rewritten before the read model moves. */
  needsSettling(key: string): boolean {
    return this.unsettled.has(key);
  }

  /** The player's history and read model were written synchronously from the database's state. */
  settled(key: string): void {
    this.unsettled.delete(key);
  }

  /** Writes `event`'s history now (idempotent). */
  async writeHistory(event: LedgerEventDoc): Promise<void> {
    await insertIgnoringDuplicates(this.history, historyDocs(event));
  }

  /** Writes the read model for `event` now (recovery, replays, and when deferring is off). */
  async writeReadModel(event: LedgerEventDoc): Promise<void> {
    try {
      const { filter, update, upsert } = readModelUpdate(event);
      await this.users.updateOne(filter, update, { upsert });
    } catch (error) {
      // A newer event already wrote the read model (the upsert hit the existing _id).
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Queues `event`'s history and read model. */
  defer(event: LedgerEventDoc): void {
    this.events.push(event);
    if (this.events.length >= this.maxQueued) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      void this.flush();
    }, this.options.delayMs).unref();
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

  private async writeBatch(batch: LedgerEventDoc[]): Promise<void> {
    try {
      await this.withRetries(() => insertIgnoringDuplicates(this.history, batch.flatMap(historyDocs)));
    } catch (error) {
      for (const event of batch) this.unsettled.add(playerKey(event.guildId, event.userId));
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
    const updates: AnyBulkWriteOperation<UserDoc>[] = [...newest.values()].map((event) => ({
      updateOne: readModelUpdate(event),
    }));
    try {
      await this.withRetries(() => writeIgnoringDuplicates(this.users, updates));
    } catch (error) {
      // The history is written, so a read model left behind breaks nothing: recovery moves it.
      this.options.onError?.(error, updates.length);
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

async function insertIgnoringDuplicates(collection: Collection<HistoryDoc>, docs: HistoryDoc[]): Promise<void> {
  await writeIgnoringDuplicates(
    collection,
    docs.map((document) => ({ insertOne: { document } })),
  );
}

/**
 * An unordered bulk write where a duplicate key is success (the document, or a newer read model, is
 * already there). MongoDB goes on past a refused write; FerretDB 1.24 does for inserts but stops an
 * update batch at it. So the writes after the last refusal are sent again: one already applied is
 * refused the same way, so this ends.
 */
async function writeIgnoringDuplicates<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
): Promise<void> {
  let rest = operations;
  while (rest.length > 0) {
    try {
      await collection.bulkWrite(rest, { ordered: false });
      return;
    } catch (error) {
      const lastRefused = lastDuplicateKeyIndex(error);
      if (lastRefused === undefined) throw error;
      rest = rest.slice(lastRefused + 1);
    }
  }
}

function readModelUpdate(event: LedgerEventDoc) {
  return {
    filter: { _id: playerKey(event.guildId, event.userId), seq: { $lt: event.seq } },
    update: {
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
    upsert: true,
  };
}

/** For a bulk write whose only failures are duplicate keys, the index of the last one. */
function lastDuplicateKeyIndex(error: unknown): number | undefined {
  if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) return undefined;
  const writeErrors = ([] as WriteError[]).concat(error.writeErrors);
  if (writeErrors.length === 0 || !writeErrors.every((e) => e.code === 11000)) return undefined;
  return Math.max(...writeErrors.map((e) => e.index));
}
