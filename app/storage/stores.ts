/** Builds every store from one database handle: what the services are given, and nothing else is. */
import type { Db } from 'mongodb';
import { AuditLog } from './audit-log';
import { FairnessStore } from './fairness-store';
import { MoveStore, type MoveFaults } from './move-store';
import type { FaultInjector } from './ledger-follower';
import { PlayerLedger, type PlayerLedgerOptions } from './player-ledger';
import { PlayerQueries } from './player-queries';
import { ProjectionWriter } from './projection-writer';
import { type RotationPolicy, SeedSealer } from './seed-store';
import { SettingsStore } from './settings-store';

export interface Stores {
  readonly ledger: PlayerLedger;
  readonly projections: ProjectionWriter;
  readonly queries: PlayerQueries;
  readonly settings: SettingsStore;
  readonly audit: AuditLog;
  readonly moves: MoveStore;
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
  /** Bound of the projection backlog in events and in BSON bytes (see ProjectionWriter). */
  readonly projectionBacklog?: { readonly items?: number; readonly bytes?: number };
  /** Told about every committed change (metrics): its duration and result. */
  readonly onCommit?: PlayerLedgerOptions['onCommit'];
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
  });
  const ledger = new PlayerLedger(db, projections, {
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  return {
    ledger,
    projections,
    queries: new PlayerQueries(db),
    settings: new SettingsStore(db, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.settingsCacheTtlMs !== undefined ? { cacheTtlMs: options.settingsCacheTtlMs } : {}),
    }),
    audit: new AuditLog(db),
    moves: new MoveStore(db, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.moveFaults ? { faults: options.moveFaults } : {}),
    }),
    fairness: new FairnessStore(db, options.seedSealer ?? SeedSealer.fromEnv(process.env), {
      ...(options.now ? { now: options.now } : {}),
      ...(options.seedRotation ? { policy: options.seedRotation } : {}),
      ...(options.seedCacheTtlMs !== undefined ? { cacheTtlMs: options.seedCacheTtlMs } : {}),
    }),
  };
}
