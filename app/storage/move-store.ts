/**
 * Gifts and trades on insert-once documents: a move's terms (created once), and its marks — each
 * player's acceptance and the single outcome (settle or abort). Every decision is one insert on a
 * unique `_id`, which MongoDB and FerretDB enforce atomically; nothing here relies on an update.
 */
import type { Db } from 'mongodb';
import { collections, type Collections, type MoveDoc, type MoveMarkDoc } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export type MoveOutcome = 'settle' | 'abort';

/** Points of the move protocol a test may crash at (see FaultInjector for the ledger's own). */
export type MoveFaultStep = 'before-outcome' | 'after-outcome';

export interface MoveFaults {
  at(step: MoveFaultStep, moveId: string): void | Promise<void>;
}

export interface MoveStoreOptions {
  readonly now?: () => Date;
  readonly faults?: MoveFaults;
}

export class MoveStore {
  private readonly c: Collections;
  private readonly now: () => Date;
  private readonly faults: MoveFaults | undefined;

  constructor(db: Db, options: MoveStoreOptions = {}) {
    this.c = collections(db);
    this.now = options.now ?? (() => new Date());
    this.faults = options.faults;
  }

  /** Creates the move, or returns the one already created under its id (a repeated proposal). */
  async create(move: MoveDoc): Promise<{ move: MoveDoc; created: boolean }> {
    try {
      await this.c.moves.insertOne(move);
      return { move, created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.c.moves.findOne({ _id: move._id });
      if (!existing) throw error;
      return { move: existing, created: false };
    }
  }

  async get(guildId: string, moveId: string): Promise<MoveDoc | null> {
    return this.c.moves.findOne({ _id: moveId, guildId });
  }

  /** Records that `userId` accepted (once; again is a no-op). */
  async accept(move: MoveDoc, userId: string): Promise<void> {
    await this.insertMark({
      _id: `${move._id}:accept:${userId}`,
      guildId: move.guildId,
      moveId: move._id,
      mark: 'accept',
      userId,
      at: this.now(),
    });
  }

  /** The players who have accepted the move. */
  async acceptedBy(move: MoveDoc): Promise<Set<string>> {
    const marks = await this.c.moveMarks.find({ moveId: move._id, guildId: move.guildId, mark: 'accept' }).toArray();
    return new Set(marks.flatMap((m) => (m.userId ? [m.userId] : [])));
  }

  /** The decided outcome, if any. */
  async outcome(move: MoveDoc): Promise<MoveMarkDoc | null> {
    return this.c.moveMarks.findOne({ _id: `${move._id}:outcome`, guildId: move.guildId });
  }

  /** Proposes an outcome; the first insert wins and every caller gets the winner back. */
  async decide(move: MoveDoc, outcome: MoveOutcome, reason: string): Promise<MoveMarkDoc> {
    await this.faults?.at('before-outcome', move._id);
    const mark: MoveMarkDoc = {
      _id: `${move._id}:outcome`,
      guildId: move.guildId,
      moveId: move._id,
      mark: 'outcome',
      outcome,
      reason: reason.slice(0, 200),
      at: this.now(),
    };
    const won = await this.insertMark(mark);
    await this.faults?.at('after-outcome', move._id);
    if (won) return mark;
    const winner = await this.outcome(move);
    if (!winner) throw new Error(`move ${move._id}: outcome insert refused but none stored`);
    return winner;
  }

  /** A hint for the recovery pass; the marks and the ledger are the truth. */
  async markStatus(move: MoveDoc, status: MoveDoc['status']): Promise<void> {
    await this.c.moves.updateOne({ _id: move._id, guildId: move.guildId }, { $set: { status } });
  }

  /** Moves not yet known to be finished, oldest first (the recovery pass's work list). */
  async unfinished(limit = 500): Promise<MoveDoc[]> {
    return this.c.moves.find({ status: 'open' }).sort({ createdAt: 1 }).limit(limit).toArray();
  }

  /** Moves with an escrow (out event) appended since `since`: where an escrow may be stranded. */
  async recentEscrows(since: Date): Promise<{ guildId: string; moveId: string }[]> {
    const events = await this.c.ledger
      .find({ at: { $gte: since }, 'move.step': 'out' }, { projection: { guildId: 1, 'move.id': 1 } })
      .toArray();
    const seen = new Map<string, { guildId: string; moveId: string }>();
    for (const e of events)
      if (e.move) seen.set(`${e.guildId}:${e.move.id}`, { guildId: e.guildId, moveId: e.move.id });
    return [...seen.values()];
  }

  /** True when this call inserted the mark, false when it was already there. */
  private async insertMark(mark: MoveMarkDoc): Promise<boolean> {
    try {
      await this.c.moveMarks.insertOne(mark);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
