/** Who did what, when: every admin action that is not itself a settings revision. */
import type { Db } from 'mongodb';
import { collections, type AuditDoc, type Collections } from './collections';

export class AuditLog {
  private readonly c: Collections;
  constructor(db: Db) {
    this.c = collections(db);
  }

  async record(entry: Omit<AuditDoc, '_id' | 'at'> & { at?: Date }): Promise<void> {
    await this.c.audit.insertOne({ ...entry, at: entry.at ?? new Date() });
  }

  async recent(guildId: string, limit = 20): Promise<AuditDoc[]> {
    return this.c.audit.find({ guildId }).sort({ at: -1 }).limit(limit).toArray();
  }
}
