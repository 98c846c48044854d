/**
 * A player's consecutive ledger events, each read by `_id` equality. FerretDB 1.24 answers only
 * that lookup without a scan: `_id: {$in: […]}` (and any range or other field) reads the whole
 * ledger — about 0.7 s at 5,000 events on an idle machine, seconds when twenty run at once, so the
 * head probes of a load's profiles and the catch-up reads after a restart took every connection
 * for seconds each. On MongoDB a lookup by `_id` is an index hit either way.
 */
import type { Collection, FindOptions, WithId } from 'mongodb';
import { playerKey, type LedgerEventDoc } from './collections';
import type { PlayerRef } from './ledger-follower';

/** Lookups sent at once by one read (the pool has 20 connections; other work needs some). */
const PARALLEL = 8;
/** The first group is small: a player's head is usually within an event or two of what is known. */
const FIRST_GROUP = 2;

/**
 * The player's events from sequence `from` on, at most `max`, in order, up to the first sequence
 * not in the ledger (events are contiguous, so nothing follows it).
 */
export async function consecutiveEvents<T extends Partial<LedgerEventDoc> = LedgerEventDoc>(
  ledger: Collection<LedgerEventDoc>,
  player: PlayerRef,
  from: number,
  max: number,
  options: FindOptions = {},
): Promise<WithId<T>[]> {
  const key = playerKey(player.guildId, player.userId);
  const events: WithId<T>[] = [];
  let group = FIRST_GROUP;
  for (let seq = from; seq < from + max;) {
    const size = Math.min(group, from + max - seq);
    const found = await Promise.all(
      Array.from({ length: size }, (_, i) => ledger.findOne<WithId<T>>({ _id: `${key}:${seq + i}` }, options)),
    );
    for (const event of found) {
      if (!event) return events;
      events.push(event);
    }
    seq += size;
    group = PARALLEL;
  }
  return events;
}

/**
 * The player's newest event after sequence `after` (which exists, or is 0), or null when there is
 * none: probes `after` + 1, + 2, + 4, … by `_id` until one is missing, then halves the gap.
 * A player n events ahead costs about 2·log2(n) lookups (one after a restart, far behind its read
 * model, 14 for 90 events instead of 90), one after another; one event ahead costs two.
 */
export async function newestEvent<T extends Partial<LedgerEventDoc> = LedgerEventDoc>(
  ledger: Collection<LedgerEventDoc>,
  player: PlayerRef,
  after: number,
  options: FindOptions = {},
): Promise<WithId<T> | null> {
  const key = playerKey(player.guildId, player.userId);
  const at = (seq: number) => ledger.findOne<WithId<T>>({ _id: `${key}:${seq}` }, options);
  let found: WithId<T> | null = null;
  let low = after;
  let high: number | undefined;
  for (let step = 1; high === undefined; step *= 2) {
    const event = await at(low + step);
    if (event) {
      found = event;
      low += step;
    } else {
      high = low + step;
    }
  }
  // `low` exists (or is `after`), `high` does not: events are contiguous, the newest is between.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const event = await at(middle);
    if (event) {
      found = event;
      low = middle;
    } else {
      high = middle;
    }
  }
  return found;
}
