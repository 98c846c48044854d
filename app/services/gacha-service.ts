/**
 * The use cases players and admins call: pull, daily, spark, grants, profile, history, collection,
 * leaderboards and odds. Joins the pure gacha rules to the stores; knows nothing of Discord.
 */
import type { Db } from 'mongodb';
import { type BannerDefinition, activeBanners, standardBanner } from '../domain/catalog';
import { claimDaily, dayKey } from '../domain/daily';
import { type BannerDisclosure, discloseBanner } from '../domain/disclosure';
import { GachaError } from '../domain/errors';
import type { GuildSettings } from '../domain/guild-settings';
import { distinctOwned, initialPlayerState, type PlayerState } from '../domain/player-state';
import { type PulledItem, exchangeSpark, performPull } from '../domain/pull-engine';
import { type Rng, SecureRng } from '../domain/rng';
import { collections, type Collections, type HistoryDoc, type LedgerEventDoc } from '../storage/collections';
import { type CommitResult, type FaultInjector, PlayerLedger, type PlayerRef } from '../storage/player-ledger';
import { SettingsStore } from '../storage/settings-store';
import { AuditLog } from '../storage/audit-log';

export interface GachaServiceOptions {
  readonly rng?: Rng;
  readonly now?: () => Date;
  readonly faults?: FaultInjector;
  readonly settingsCacheTtlMs?: number;
  /** Delay that batches history and read-model writes (see PlayerLedger); 0 writes before replying. */
  readonly projectionDelayMs?: number;
  /** Told when deferred projection writes failed after their retries (the recovery pass redoes them). */
  readonly onProjectionError?: (error: unknown, events: number) => void;
  /** First wait before retrying a projection batch (tests shorten it). */
  readonly projectionRetryBaseMs?: number;
  /** Told about every committed change (metrics): its duration and the event. */
  readonly onCommit?: (durationMs: number, event: LedgerEventDoc, replayed: boolean) => void;
}

export interface InteractionRef extends PlayerRef {
  readonly interactionId: string;
}

export interface PullResult {
  readonly bannerId: string;
  readonly count: number;
  readonly cost: number;
  readonly items: readonly PulledItem[];
  readonly state: PlayerState;
  readonly replayed: boolean;
}

export interface DailyResult {
  readonly day: string;
  readonly amount: number;
  readonly streak: number;
  readonly state: PlayerState;
  readonly replayed: boolean;
}

export interface PlayerProfile {
  readonly state: PlayerState;
  readonly distinctItems: number;
  readonly totalItems: number;
  readonly seq: number;
}

export interface LeaderboardEntry {
  readonly userId: string;
  readonly value: number;
}

export class GachaService {
  readonly ledger: PlayerLedger;
  readonly settings: SettingsStore;
  readonly audit: AuditLog;
  private readonly c: Collections;
  private readonly rng: Rng;
  private readonly now: () => Date;
  private readonly onCommit: GachaServiceOptions['onCommit'];

  constructor(db: Db, options: GachaServiceOptions = {}) {
    this.onCommit = options.onCommit;
    this.now = options.now ?? (() => new Date());
    this.rng = options.rng ?? new SecureRng();
    this.c = collections(db);
    this.ledger = new PlayerLedger(db, {
      now: this.now,
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.projectionDelayMs !== undefined ? { projectionDelayMs: options.projectionDelayMs } : {}),
      ...(options.onProjectionError ? { onProjectionError: options.onProjectionError } : {}),
      ...(options.projectionRetryBaseMs !== undefined ? { projectionRetryBaseMs: options.projectionRetryBaseMs } : {}),
    });
    this.audit = new AuditLog(db);
    this.settings = new SettingsStore(db, {
      now: this.now,
      ...(options.settingsCacheTtlMs !== undefined ? { cacheTtlMs: options.settingsCacheTtlMs } : {}),
    });
  }

  private async commit(...args: Parameters<PlayerLedger['commit']>): Promise<CommitResult> {
    const started = performance.now();
    const result = await this.ledger.commit(...args);
    this.onCommit?.(performance.now() - started, result.event, result.replayed);
    return result;
  }

  async guildSettings(guildId: string): Promise<GuildSettings> {
    return (await this.settings.get(guildId)).settings;
  }

  async pull(ref: InteractionRef, request: { bannerId?: string; count: number }): Promise<PullResult> {
    const settings = await this.guildSettings(ref.guildId);
    const at = this.now();
    const bannerId = request.bannerId ?? standardBanner(settings.catalog).id;
    const { event, replayed } = await this.commit(
      ref,
      `pull:${ref.interactionId}`,
      ref.interactionId,
      settings.startingCurrency,
      (state) => {
        const outcome = performPull(settings.catalog, bannerId, request.count, state, this.rng, at);
        return {
          kind: 'pull',
          state: outcome.state,
          pull: {
            bannerId: outcome.bannerId,
            bannerKind: outcome.bannerKind,
            count: outcome.count,
            cost: outcome.cost,
            items: [...outcome.items],
          },
        };
      },
    );
    const pull = requirePart(event, 'pull');
    return { ...pull, state: event.state, replayed };
  }

  async daily(ref: InteractionRef): Promise<DailyResult> {
    const settings = await this.guildSettings(ref.guildId);
    const at = this.now();
    const day = dayKey(at, settings.daily.timezone);
    const { event, replayed } = await this.commit(
      ref,
      `daily:${day}`,
      ref.interactionId,
      settings.startingCurrency,
      (state) => {
        const outcome = claimDaily(settings.daily, state, at);
        return { kind: 'daily', state: outcome.state, daily: { day, amount: outcome.amount, streak: outcome.streak } };
      },
    );
    if (replayed && event.interactionId !== ref.interactionId) {
      throw new GachaError('daily-already-claimed', `The daily reward for ${day} is already claimed`, { day });
    }
    return { ...requirePart(event, 'daily'), state: event.state, replayed };
  }

  async exchangeSpark(ref: InteractionRef, bannerId: string, itemId: string) {
    const settings = await this.guildSettings(ref.guildId);
    const at = this.now();
    const { event, replayed } = await this.commit(
      ref,
      `spark:${ref.interactionId}`,
      ref.interactionId,
      settings.startingCurrency,
      (state) => {
        const outcome = exchangeSpark(settings.catalog, bannerId, itemId, state, at);
        return {
          kind: 'spark',
          state: outcome.state,
          spark: {
            bannerId,
            itemId,
            tierId: outcome.tierId,
            duplicate: outcome.duplicate,
            shardsGained: outcome.shardsGained,
          },
        };
      },
    );
    return { ...requirePart(event, 'spark'), state: event.state, replayed };
  }

  /** Adds (or, negative, removes) currency. `opKey` makes the grant idempotent. */
  async grant(player: PlayerRef, opKey: string, amount: number, reason: string, actorId: string | null) {
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new GachaError('invalid-config', 'A grant is a non-zero whole number');
    }
    const settings = await this.guildSettings(player.guildId);
    const { event, replayed } = await this.commit(
      player,
      `grant:${opKey}`,
      null,
      settings.startingCurrency,
      (state) => {
        if (state.currency + amount < 0) {
          throw new GachaError('insufficient-currency', `The balance ${state.currency} cannot go below zero`, {
            balance: state.currency,
          });
        }
        return {
          kind: 'grant',
          state: { ...state, currency: state.currency + amount },
          grant: { amount, reason, actorId },
        };
      },
    );
    return { state: event.state, replayed };
  }

  /** Puts a player back to the opening state (admin action, confirmed by the caller). */
  async resetPlayer(player: PlayerRef, opKey: string) {
    const settings = await this.guildSettings(player.guildId);
    const { event } = await this.commit(player, `reset:${opKey}`, null, settings.startingCurrency, () => ({
      kind: 'reset',
      state: initialPlayerState(settings.startingCurrency),
    }));
    return event.state;
  }

  async profile(player: PlayerRef): Promise<PlayerProfile> {
    const settings = await this.guildSettings(player.guildId);
    const head = await this.ledger.head(player, settings.startingCurrency);
    return {
      state: head.state,
      seq: head.seq,
      distinctItems: distinctOwned(head.state),
      totalItems: settings.catalog.items.length,
    };
  }

  async history(player: PlayerRef, page: number, pageSize = 10): Promise<{ entries: HistoryDoc[]; total: number }> {
    // History is written behind the commits: this process's queued writes go out first.
    await this.flush();
    const filter = { guildId: player.guildId, userId: player.userId };
    const [entries, total] = await Promise.all([
      this.c.history
        .find(filter)
        .sort({ at: -1, eventSeq: -1, index: 1 })
        .skip(Math.max(0, page) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.c.history.countDocuments(filter),
    ]);
    return { entries, total };
  }

  async leaderboard(guildId: string, by: 'pulls' | 'collection', limit = 10): Promise<LeaderboardEntry[]> {
    // The ranking reads the read model: write this process's queued changes first.
    await this.flush();
    const field = by === 'pulls' ? 'totalPulls' : 'distinctItems';
    const docs = await this.c.users
      .find({ guildId }, { projection: { userId: 1, totalPulls: 1, distinctItems: 1 } })
      .sort({ [field]: -1, userId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ userId: d.userId, value: by === 'pulls' ? d.totalPulls : d.distinctItems }));
  }

  async banners(guildId: string): Promise<BannerDefinition[]> {
    return activeBanners((await this.guildSettings(guildId)).catalog, this.now());
  }

  async rates(guildId: string, bannerId?: string): Promise<BannerDisclosure> {
    const catalog = (await this.guildSettings(guildId)).catalog;
    return discloseBanner(catalog, bannerId ?? standardBanner(catalog).id);
  }

  /** Writes the history and read-model changes still queued. Call before closing the database. */
  async flush(): Promise<void> {
    await this.ledger.projections.flush();
  }

  /** Settles operations a crash interrupted. Run at start-up. */
  async recover(): Promise<number> {
    return this.ledger.recover();
  }
}

function requirePart<K extends 'pull' | 'daily' | 'spark'>(
  event: LedgerEventDoc,
  key: K,
): NonNullable<LedgerEventDoc[K]> {
  const part = event[key];
  if (!part) throw new GachaError('invalid-config', `operation key reused for a different kind of operation`);
  return part;
}
