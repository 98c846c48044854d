/**
 * The single writes behind the projections, each idempotent: history documents (deterministic ids,
 * a duplicate is success) and read-model updates that only ever move a player's sequence forward.
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
import { type AuditJournalDoc, auditJournalDocs } from './audit-query';
import { historyDocs } from './history-docs';
import { isDuplicateKeyError } from './mongo-errors';

/**
 * Writes the history of `events` in one unordered insert, then their audit journal documents (one
 * per pull event, audit-query.ts) in another (already written = success). Both before any read
 * model moves past the events, so a crash between them is repaired like a lost history write.
 */
export async function writeHistory(
  c: { readonly history: Collection<HistoryDoc>; readonly auditJournal: Collection<AuditJournalDoc> },
  events: readonly LedgerEventDoc[],
): Promise<void> {
  await writeIgnoringDuplicates(
    c.history,
    events.flatMap(historyDocs).map((document) => ({ insertOne: { document } })),
  );
  const journal = auditJournalDocs(events);
  if (journal.length > 0) {
    await writeIgnoringDuplicates(
      c.auditJournal,
      journal.map((document) => ({ insertOne: { document } })),
    );
  }
}

/** Moves each event's player's read model to it, in one unordered bulk update; never backwards. */
export async function writeReadModels(users: Collection<UserDoc>, events: readonly LedgerEventDoc[]): Promise<void> {
  if (events.length === 1 && events[0]) {
    try {
      const { filter, update, upsert } = readModelUpdate(events[0]);
      await users.updateOne(filter, update, { upsert });
    } catch (error) {
      // A newer event already wrote the read model (the upsert hit the existing _id).
      if (!isDuplicateKeyError(error)) throw error;
    }
    return;
  }
  // Sent in commands of at most UPDATES_PER_COMMAND, one after another (see there).
  for (let start = 0; start < events.length; start += UPDATES_PER_COMMAND) {
    await writeIgnoringDuplicates(
      users,
      events.slice(start, start + UPDATES_PER_COMMAND).map((event) => ({ updateOne: readModelUpdate(event) })),
    );
  }
}

/**
 * Update statements per command. FerretDB 1.24 keeps one backend connection per statement that
 * matched a document until the whole update command ends; its pool has 50 (PostgreSQL), so an
 * update of 60 existing read models deadlocked the server and every later command waited forever
 * (the bench:e2e stalls). 16 per command, sent one after another, stays far below that even with
 * two bot processes writing at once; on MongoDB it only costs a round trip per 16 players.
 */
export const UPDATES_PER_COMMAND = 16;

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
