/**
 * IDENTIFY coordination across bot processes (issue #20). Discord lets a bot start
 * `max_concurrency` gateway sessions per 5 s, one per bucket `shard_id % max_concurrency`; a
 * second IDENTIFY in a bucket within 5 s is refused. discord.js spaces the IDENTIFYs of the shards
 * of one process; processes owning disjoint shard ranges (on one host or several) share the limit,
 * so they claim **leases** in the database every process already uses.
 *
 * Time is cut into slots of SLOT_MS (6.5 s). A lease is one document `_id = "<bucket>:<slot>"`
 * created by an insert: the unique `_id` lets exactly one process own a bucket's slot (no
 * conditional update, so it holds on FerretDB too). The owner waits for the slot's start and
 * identifies within IDENTIFY_SLACK_MS of it, or gives the slot up and claims a later one. Two
 * IDENTIFYs of a bucket are therefore in different slots and at least SLOT_MS − IDENTIFY_SLACK_MS
 * = 5.5 s apart: Discord's 5 s plus 0.5 s for the send and clock differences between hosts (EC2's
 * clocks follow the Amazon Time Sync Service, well within that).
 */
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from './mongo-errors';

export const IDENTIFY_LEASES_COLLECTION = 'gateway_identify_leases';
/** Discord's window: max_concurrency IDENTIFYs per 5 s. */
export const DISCORD_IDENTIFY_WINDOW_MS = 5_000;
export const SLOT_MS = 6_500;
export const IDENTIFY_SLACK_MS = 1_000;
/** Leases older than this are deleted by later claims of their bucket. */
const KEEP_SLOTS = Math.ceil(3_600_000 / SLOT_MS);

export interface IdentifyLeaseDoc {
  readonly _id: string;
  readonly bucket: number;
  readonly slot: number;
  readonly shardId: number;
  /** Which process claimed it (for the operator reading the collection). */
  readonly owner: string;
  readonly claimedAt: Date;
}

export interface IdentifyLeaseOptions {
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A granted lease: the IDENTIFY may be sent now (before `deadline`). */
export interface IdentifyLease {
  readonly bucket: number;
  readonly slot: number;
  readonly startsAt: number;
  readonly deadline: number;
  /** Slots this claim found taken or missed before it got this one. */
  readonly skipped: number;
}

export class IdentifyLeases {
  private readonly leases: Collection<IdentifyLeaseDoc>;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    db: Db,
    private readonly owner: string,
    options: IdentifyLeaseOptions = {},
  ) {
    this.leases = db.collection<IdentifyLeaseDoc>(IDENTIFY_LEASES_COLLECTION);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** The index the claim's "newest slot of a bucket" query uses (idempotent). */
  async ensureIndex(): Promise<void> {
    await this.leases.createIndex({ bucket: 1, slot: -1 }, { name: 'bucket_slot' }, undefined);
  }

  /**
   * Waits until this process may IDENTIFY `shardId` in `bucket` (= shardId % max_concurrency):
   * claims the first free slot of the bucket that has not begun more than IDENTIFY_SLACK_MS ago,
   * sleeps until it starts and returns while the slack lasts.
   */
  async acquire(bucket: number, shardId: number, signal?: AbortSignal): Promise<IdentifyLease> {
    let skipped = 0;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      let slot = Math.ceil((now - IDENTIFY_SLACK_MS) / SLOT_MS);
      const newest = await this.leases
        .find({ bucket }, { projection: { slot: 1 } })
        .sort({ slot: -1 })
        .limit(1)
        .next();
      if (newest !== null && newest.slot >= slot) {
        skipped += newest.slot + 1 - slot;
        slot = newest.slot + 1;
      }
      const claimed = await this.claim({ bucket, slot, shardId, now });
      if (!claimed) {
        skipped++;
        continue;
      }
      const startsAt = slot * SLOT_MS;
      const deadline = startsAt + IDENTIFY_SLACK_MS;
      const wait = startsAt - this.now();
      if (wait > 0) await this.sleep(wait, signal);
      if (this.now() > deadline) {
        // Stalled past the slack (a paused process): this slot is lost, claim a later one.
        skipped++;
        continue;
      }
      await this.leases.deleteMany({ bucket, slot: { $lt: slot - KEEP_SLOTS } });
      return { bucket, slot, startsAt, deadline, skipped };
    }
  }

  private async claim(lease: { bucket: number; slot: number; shardId: number; now: number }): Promise<boolean> {
    try {
      await this.leases.insertOne({
        _id: `${lease.bucket}:${lease.slot}`,
        bucket: lease.bucket,
        slot: lease.slot,
        shardId: lease.shardId,
        owner: this.owner,
        claimedAt: new Date(lease.now),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
