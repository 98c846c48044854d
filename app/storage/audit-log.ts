/** Who did what, when: every admin action that is not itself a settings revision. */
import type { Db } from 'mongodb';
import { collections, type AuditDoc, type Collections } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export type AuditEntry = Omit<AuditDoc, '_id' | 'at'> & {
  /** Names the action (e.g. its operation key): recording it again is a no-op. */
  readonly id: string;
  readonly at?: Date;
};

export class AuditLog {
  private readonly c: Collections;
  constructor(db: Db) {
    this.c = collections(db);
  }

  /** Records `entry` once per id, however often it is retried. */
  async record({ id, at, ...entry }: AuditEntry): Promise<void> {
    try {
      await this.c.audit.insertOne({ ...entry, _id: id, at: at ?? new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
