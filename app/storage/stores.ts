/** Builds every store from one database handle: what the services are given, and nothing else is. */
import type { Db, ReadPreference } from 'mongodb';
import { AdminQueries } from './admin-queries';
import { ArtStore } from './art-store';
import { AuditLog } from './audit-log';
import { FairnessStore } from './fairness-store';
import { MoveStore, type MoveFaults } from './move-store';
import type { FaultInjector } from './ledger-follower';
import { PlayerLedger, type PlayerLedgerOptions } from './player-ledger';
import { PlayerQueries } from './player-queries';
import { ProjectionWriter } from './projection-writer';
import { type RotationPolicy, SeedSealer } from './seed-store';
import { SettingsStore } from './settings-store';
import { SocialStore } from './social-store';

export interface Stores {
  readonly ledger: PlayerLedger;
  readonly projections: ProjectionWriter;
  readonly queries: PlayerQueries;
  readonly adminQueries: AdminQueries;
  readonly settings: SettingsStore;
  readonly audit: AuditLog;
  readonly moves: MoveStore;
  readonly art: ArtStore;
  readonly social: SocialStore;
  readonly fairness: FairnessStore;
}

export interface StoreOptions {
  /**
   * Seals the server seeds at rest. Default: `SeedSealer.fromEnv` (GACHA_FAIRNESS_SEED_KEY), which
   * throws when the key is not set: every pull draws from a sealed, committed seed.
   */
  readonly seedSealer?: SeedSealer;
  /** Epoch rotation (default: a day or 10,000 pulls, reveal 10 minutes after). */
  readonly seedRotation?: RotationPolicy;
  /** How long a process trusts its cached epoch (default 5 s, at most a quarter of the reveal delay). */
  readonly seedCacheTtlMs?: number;
  readonly now?: () => Date;
  readonly faults?: FaultInjector;
  /** Test hook: crash points of the gift/trade protocol. */
  readonly moveFaults?: MoveFaults;
  readonly settingsCacheTtlMs?: number;
  /** Delay that batches history and read-model writes (see ProjectionWriter); 0 writes before replying. */
  readonly projectionDelayMs?: number;
  /** Told when deferred projection writes failed after their retries (the recovery pass redoes them). */
  readonly onProjectionError?: (error: unknown, events: number) => void;
  /** First wait before retrying a projection batch (tests shorten it). */
  readonly projectionRetryBaseMs?: number;
  /** Bound of the projection backlog in events, in BSON bytes and in seconds of writing (see ProjectionWriter). */
  readonly projectionBacklog?: {
    readonly items?: number;
    readonly bytes?: number;
    readonly seconds?: number;
    readonly minItems?: number;
  };
  /** Monotonic milliseconds the projection writer measures its pace with (tests). */
  readonly projectionClock?: () => number;
  /** Told about every committed change (metrics): its duration and result. */
  readonly onCommit?: PlayerLedgerOptions['onCommit'];
  /**
   * Read preference of stale-tolerant rankings (the leaderboard): `staleReadPreference(profile)`
   * from app/database-options.ts; undefined = the primary, like every other read and write.
   */
  readonly staleReads?: ReadPreference;
  /** Bytes of stored art kept in memory (see ArtStore). */
  readonly artCacheBytes?: number;
}

export function createStores(db: Db, options: StoreOptions = {}): Stores {
  const projections = new ProjectionWriter(db, {
    ...(options.projectionDelayMs !== undefined ? { delayMs: options.projectionDelayMs } : {}),
    ...(options.onProjectionError ? { onError: options.onProjectionError } : {}),
    ...(options.projectionRetryBaseMs !== undefined ? { retryBaseMs: options.projectionRetryBaseMs } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.projectionBacklog?.items !== undefined ? { maxBacklogItems: options.projectionBacklog.items } : {}),
    ...(options.projectionBacklog?.bytes !== undefined ? { maxBacklogBytes: options.projectionBacklog.bytes } : {}),
    ...(options.projectionBacklog?.seconds !== undefined
      ? { maxBacklogSeconds: options.projectionBacklog.seconds }
      : {}),
    ...(options.projectionBacklog?.minItems !== undefined
      ? { minBacklogItems: options.projectionBacklog.minItems }
      : {}),
    ...(options.projectionClock ? { monotonicMs: options.projectionClock } : {}),
  });
  const ledger = new PlayerLedger(db, projections, {
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  return {
    ledger,
    projections,
    queries: new PlayerQueries(db, options.staleReads ? { staleReads: options.staleReads } : {}),
    adminQueries: new AdminQueries(db),
    settings: new SettingsStore(db, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.settingsCacheTtlMs !== undefined ? { cacheTtlMs: options.settingsCacheTtlMs } : {}),
    }),
    audit: new AuditLog(db),
    moves: new MoveStore(db, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.moveFaults ? { faults: options.moveFaults } : {}),
    }),
    art: new ArtStore(db, options.artCacheBytes),
    social: new SocialStore(db, options.now),
    fairness: new FairnessStore(db, options.seedSealer ?? SeedSealer.fromEnv(process.env), {
      ...(options.now ? { now: options.now } : {}),
      ...(options.seedRotation ? { policy: options.seedRotation } : {}),
      ...(options.seedCacheTtlMs !== undefined ? { cacheTtlMs: options.seedCacheTtlMs } : {}),
    }),
  };
}
