/** Collection names and document shapes. Every document carries its guildId; every query filters on it. */
import type { Db, ObjectId } from 'mongodb';
import type { BannerKind } from '../domain/catalog';
import type { GuildSettings } from '../domain/guild-settings';
import type { PlayerState } from '../domain/player-state';
import type { PulledItem } from '../domain/pull-engine';

export const COLLECTIONS = {
  users: 'users',
  ledger: 'player_ledger',
  history: 'gacha_history',
  settings: 'server_settings',
  audit: 'audit_log',
  meta: 'schema_meta',
} as const;

export type LedgerEventKind = 'pull' | 'daily' | 'spark' | 'grant' | 'reset';

/**
 * One change to one player, claimed by inserting it: `_id` is guild:user:seq, so two writers can
 * never both append the same sequence number, and (guildId, userId, opKey) is unique, so one
 * interaction (or one daily claim per day) is applied at most once. The event stores the state
 * after it, so the newest event is the player's state.
 */
export interface LedgerEventDoc {
  _id: string;
  guildId: string;
  userId: string;
  seq: number;
  opKey: string;
  interactionId: string | null;
  kind: LedgerEventKind;
  at: Date;
  /** Change of currency and shards made by this event; seq 1 also records the opening balance. */
  delta: { currency: number; shards: number };
  opening?: number;
  state: PlayerState;
  pull?: { bannerId: string; bannerKind: BannerKind; count: number; cost: number; items: PulledItem[] };
  spark?: { bannerId: string; itemId: string; tierId: string; duplicate: boolean; shardsGained: number };
  daily?: { day: string; amount: number; streak: number };
  grant?: { amount: number; reason: string; actorId: string | null };
}

export interface HistoryDoc {
  /** guild:user:opKey:index — deterministic, so rewriting after a crash cannot duplicate. */
  _id: string;
  guildId: string;
  userId: string;
  interactionId: string | null;
  eventSeq: number;
  index: number;
  source: 'pull' | 'spark';
  bannerId: string;
  tierId: string;
  itemId: string;
  pityCount: number;
  featured: boolean;
  duplicate: boolean;
  at: Date;
}

/**
 * Read model for profiles and leaderboards; the ledger is the source of truth. When it names
 * sequence `seq`, every event of the player up to `seq` has its history written.
 */
export interface UserDoc {
  _id: string;
  guildId: string;
  userId: string;
  seq: number;
  opKey: string;
  currency: number;
  shards: number;
  totalPulls: number;
  distinctItems: number;
  state: PlayerState;
  updatedAt: Date;
}

export interface SettingsRevisionDoc {
  _id: string;
  guildId: string;
  revision: number;
  settings: GuildSettings;
  at: Date;
  actorId: string | null;
  action: string;
}

export interface AuditDoc {
  /** A string naming the action (idempotent records); older entries have ObjectIds. */
  _id?: string | ObjectId;
  guildId: string;
  actorId: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  at: Date;
}

export interface MetaDoc {
  _id: string;
  version?: number;
  migratedAt?: Date;
  /** Recovery: ledger events before this were settled by an earlier pass. */
  checkpoint?: Date;
}

export function collections(db: Db) {
  return {
    users: db.collection<UserDoc>(COLLECTIONS.users),
    ledger: db.collection<LedgerEventDoc>(COLLECTIONS.ledger),
    history: db.collection<HistoryDoc>(COLLECTIONS.history),
    settings: db.collection<SettingsRevisionDoc>(COLLECTIONS.settings),
    audit: db.collection<AuditDoc>(COLLECTIONS.audit),
    meta: db.collection<MetaDoc>(COLLECTIONS.meta),
  };
}

export type Collections = ReturnType<typeof collections>;

export function playerKey(guildId: string, userId: string): string {
  return `${guildId}:${userId}`;
}
