/**
 * Schema version and forward migrations, run at start-up. Index creation is idempotent and the
 * version record tolerates a concurrent first insert, so two processes starting together (a release
 * overlap) are safe.
 */
import type { Db } from 'mongodb';
import {
  AUDIT_ROLLUPS_COLLECTION,
  backfillAuditJournal,
  ensureAuditIndexes,
  ensureAuditJournalIndexes,
} from './audit-query';
import { collections } from './collections';
import { isDuplicateKeyError } from './mongo-errors';
import { SocialStore } from './social-store';
import { RATE_TABLES_COLLECTION } from './fairness-store';
import { FAIRNESS_SEEDS_COLLECTION } from './seed-store';

interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Db): Promise<void>;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'indexes for the ledger, history, read model, settings and audit',
    async up(db) {
      const c = collections(db);
      await c.ledger.createIndex(
        { guildId: 1, userId: 1, opKey: 1 },
        { name: 'player_opkey_unique', unique: true },
        undefined,
      );
      await c.ledger.createIndex({ guildId: 1, userId: 1, seq: -1 }, { name: 'player_seq' }, undefined);
      await c.ledger.createIndex({ at: 1 }, { name: 'by_time' }, undefined);
      await c.history.createIndex({ guildId: 1, userId: 1, at: -1 }, { name: 'player_recent' }, undefined);
      await c.users.createIndex({ guildId: 1, totalPulls: -1 }, { name: 'guild_by_pulls' }, undefined);
      await c.users.createIndex({ guildId: 1, distinctItems: -1 }, { name: 'guild_by_collection' }, undefined);
      await c.settings.createIndex({ guildId: 1, revision: -1 }, { name: 'guild_revision' }, undefined);
      await c.audit.createIndex({ guildId: 1, at: -1 }, { name: 'guild_recent' }, undefined);
    },
  },
  {
    version: 2,
    description: 'indexes for gifts and trades (moves and their marks)',
    async up(db) {
      const c = collections(db);
      await c.moves.createIndex({ status: 1, createdAt: 1 }, { name: 'open_by_age' }, undefined);
      await c.moves.createIndex({ guildId: 1, createdAt: -1 }, { name: 'guild_recent' }, undefined);
      await c.moveMarks.createIndex({ moveId: 1 }, { name: 'by_move' }, undefined);
    },
  },
  {
    version: 3,
    description: 'index for card art (listed per guild, newest first)',
    async up(db) {
      await collections(db).art.createIndex({ guildId: 1, createdAt: -1 }, { name: 'guild_recent' }, undefined);
    },
  },
  {
    version: 4,
    description: 'indexes for wishlists',
    up: (db) => SocialStore.createIndexes(db),
  },
  {
    version: 5,
    description: 'indexes for verifiable pulls (seed epochs, pulls per epoch) and the public audit',
    async up(db) {
      const c = collections(db);
      await db
        .collection(FAIRNESS_SEEDS_COLLECTION)
        .createIndex({ guildId: 1, kind: 1, epoch: -1 }, { name: 'guild_kind_epoch' }, undefined);
      await c.ledger.createIndex({ guildId: 1, 'fairness.epoch': 1 }, { name: 'guild_fairness_epoch' }, undefined);
      await db
        .collection(RATE_TABLES_COLLECTION)
        .createIndex({ guildId: 1, revision: 1 }, { name: 'guild_revision' }, undefined);
      await ensureAuditIndexes(db);
    },
  },
  {
    version: 6,
    description:
      "the audit journal (the last days' pull events with their audit cells): indexes, and the recent pulls from the ledger; daily rollups become one document per day",
    async up(db) {
      await ensureAuditJournalIndexes(db);
      await backfillAuditJournal(db);
      // The per-tier rollups and their `done` markers of schema 5: the audit rebuilds whole days.
      await db.collection(AUDIT_ROLLUPS_COLLECTION).deleteMany({ kind: { $in: ['tier', 'done'] } });
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

export async function currentSchemaVersion(db: Db): Promise<number> {
  const meta = await collections(db).meta.findOne({ _id: 'schema' });
  return meta?.version ?? 0;
}

/** Applies every migration above the stored version, in order. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  const from = await currentSchemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new Error(`database schema ${from} is newer than this build (${SCHEMA_VERSION}): refusing to start`);
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    await migration.up(db);
    await recordVersion(db, migration.version);
    applied.push(migration.version);
  }
  return applied;
}

/**
 * Raises the stored version. Two processes that start together on a fresh database both miss the
 * record and both upsert it; the unique `_id` lets one insert win and the other gets E11000, after
 * which the record exists and a plain update applies.
 */
async function recordVersion(db: Db, version: number): Promise<void> {
  const update = { $max: { version }, $set: { migratedAt: new Date() } };
  try {
    await collections(db).meta.updateOne({ _id: 'schema' }, update, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await collections(db).meta.updateOne({ _id: 'schema' }, update);
  }
}
