/** Collection names and document shapes. Every document carries its guildId; every query filters on it. */
import type { Db, ObjectId } from 'mongodb';
import type { BannerKind } from '../domain/catalog';
import type { GuildSettings } from '../domain/guild-settings';
import type { MoveKind, Offer } from '../domain/moves';
import type { PlayerState } from '../domain/player-state';
import type { PulledItem } from '../domain/pull-engine';
import type { ArtDoc } from './art-store';
import type { AuditJournalDoc } from './audit-query';

export const COLLECTIONS = {
  users: 'users',
  ledger: 'player_ledger',
  history: 'gacha_history',
  settings: 'server_settings',
  audit: 'audit_log',
  meta: 'schema_meta',
  moves: 'moves',
  moveMarks: 'move_marks',
  /** Card art (normalised WebP bytes) per guild, content addressed: see art-store.ts. */
  art: 'card_art',
  /** The last few days of pull events, one document each with its audit cells: see audit-query.ts. */
  auditJournal: 'fairness_audit_recent',
} as const;

export type MoveStep = 'out' | 'in' | 'refund';

export type LedgerEventKind =
  | 'pull'
  | 'daily'
  | 'spark'
  | 'grant'
  | 'reset'
  | 'gift-out'
  | 'gift-in'
  | 'trade-out'
  | 'trade-in'
  | 'reversal-out'
  | 'reversal-in'
  | 'move-refund'
  | 'exchange';

/** The ledger kind of one step of a move (a refund is the same whatever the move). */
export function moveEventKind(kind: MoveKind, step: MoveStep): LedgerEventKind {
  if (step === 'refund') return 'move-refund';
  return `${kind}-${step}`;
}

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
  /** One side's step of a gift, trade or reversal: what left (out), arrived (in) or came back (refund). */
  move?: { id: string; kind: MoveKind; step: MoveStep; counterpartId: string; offer: Offer };
  /** A shard-shop purchase: `cost` shards for one copy of `itemId`. */
  exchange?: { itemId: string; tierId: string; cost: number };
  /** A pull's verifiable inputs (docs/fairness.md): what a history export carries to recompute it. */
  fairness?: PullFairness;
}

/**
 * Everything besides the server seed that decides a pull: the epoch (and its commitment), the
 * player's client seed, the slots drawn (0 … count − 1 of this event's `seq`), the settings
 * revision whose catalog was used and that catalog's hash, and the pity of the banner's kind before.
 */
export interface PullFairness {
  epoch: number;
  commitment: string;
  clientSeed: string;
  slots: { from: number; to: number };
  rateRevision: number;
  rateHash: string;
  pityBefore: { sinceTop: number; featuredGuaranteed: boolean };
  tenPull: boolean;
}

/** One side of a move: the player and what they hand over. */
export interface MoveSide {
  userId: string;
  gives: Offer;
}

/**
 * A gift, trade or reversal between two players of a guild, created once (its `_id` derives from
 * the interaction that proposed it). Its terms never change; whether it happened is decided by the
 * unique `<id>:outcome` mark and carried out by ledger events keyed `move:<id>:out|in|refund`.
 * `status` is only a hint for the recovery pass (updates are not atomic).
 */
export interface MoveDoc {
  _id: string;
  guildId: string;
  kind: MoveKind;
  initiatorId: string;
  /** Both players; a side may give nothing (the receiver of a gift). */
  sides: MoveSide[];
  /** Who must accept before it is carried out (a gift: the giver; a trade: both). */
  acceptors: string[];
  createdAt: Date;
  expiresAt: Date;
  status: 'open' | 'settled' | 'aborted';
  /** A reversal names the move it undoes. */
  reverses?: string;
  /**
   * A trade's later version (a counter): the first version's `_id` (the thread), this version's
   * number (2, 3, …; absent means 1) and the interaction that proposed it. Version k's `_id` is
   * `<thread>:v<k>`, so two counters of one version cannot both create the next.
   */
  thread?: string;
  version?: number;
  proposalId?: string;
  /** The party whose counter made this version. */
  changedBy?: string;
}

/**
 * Insert-once facts about a move: `<id>:accept:<userId>` (that player confirmed) and `<id>:outcome`
 * (settle or abort, decided by whichever insert wins).
 */
export interface MoveMarkDoc {
  _id: string;
  guildId: string;
  moveId: string;
  mark: 'accept' | 'outcome';
  userId?: string;
  outcome?: 'settle' | 'abort';
  reason?: string;
  at: Date;
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
  /** Pulls only (absent on history written before verifiable draws): the audit's cells. */
  guaranteeSlot?: boolean;
  tenPull?: boolean;
  /** The fairness epoch the pull drew from. */
  epoch?: number;
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
    moves: db.collection<MoveDoc>(COLLECTIONS.moves),
    moveMarks: db.collection<MoveMarkDoc>(COLLECTIONS.moveMarks),
    art: db.collection<ArtDoc>(COLLECTIONS.art),
    auditJournal: db.collection<AuditJournalDoc>(COLLECTIONS.auditJournal),
  };
}

export type Collections = ReturnType<typeof collections>;

export function playerKey(guildId: string, userId: string): string {
  return `${guildId}:${userId}`;
}
