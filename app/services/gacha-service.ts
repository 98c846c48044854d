/**
 * The use cases players call: pull, daily, spark, grants, profile, history, collection and
 * leaderboards. Joins the pure gacha rules to the stores it is given; knows nothing of Discord or
 * of the database driver.
 */
import { standardBanner } from '../domain/catalog';
import { claimDaily, dayKey } from '../domain/daily';
import { GachaError } from '../domain/errors';
import type { GuildSettings } from '../domain/guild-settings';
import { distinctOwned, type PlayerState } from '../domain/player-state';
import { type PulledItem, type SparkOutcome, exchangeSpark, performPull } from '../domain/pull-engine';
import { VerifiableRng } from '../domain/fairness/draw-stream';
import type { LedgerEventDoc, PullFairness } from '../storage/collections';
import type { FairnessStore } from '../storage/fairness-store';
import type { PlayerRef } from '../storage/ledger-follower';
import type { PlayerLedger } from '../storage/player-ledger';
import type {
  HistoryPage,
  LeaderboardEntry,
  LeaderboardOrder,
  PlayerQueries,
  PullRecordPage,
} from '../storage/player-queries';
import type { ProjectionWriter } from '../storage/projection-writer';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';
import { nodeHmacSha256 } from '../verifier/node-hmac';

export type { PlayerRef } from '../storage/ledger-follower';
export type { HistoryPage, LeaderboardEntry, LeaderboardOrder, PullRecord } from '../storage/player-queries';
export type { SettingsSnapshot } from '../storage/settings-store';

export interface GachaStores {
  readonly ledger: PlayerLedger;
  readonly settings: SettingsStore;
  readonly queries: PlayerQueries;
  readonly projections: ProjectionWriter;
  readonly fairness: FairnessStore;
}

export interface GachaServiceOptions {
  readonly now?: () => Date;
}

export interface InteractionRef extends PlayerRef {
  readonly interactionId: string;
}

/** The settings revision a use case ran under: its answer is built from the same one. */
export interface UnderSettings {
  readonly settings: GuildSettings;
  readonly settingsRevision: number;
}

export interface PullResult extends UnderSettings {
  readonly bannerId: string;
  readonly count: number;
  readonly cost: number;
  readonly items: readonly PulledItem[];
  readonly state: PlayerState;
  readonly replayed: boolean;
  /** The ledger sequence the pull was committed at (what `/gacha verify` asks for). */
  readonly seq: number;
  /** The pull's verifiable inputs (absent only on a replayed pull made before they existed). */
  readonly fairness: PullFairness | null;
}

export interface DailyResult extends UnderSettings {
  readonly day: string;
  readonly amount: number;
  readonly streak: number;
  readonly state: PlayerState;
  readonly replayed: boolean;
}

/** The engine's spark outcome, under the settings revision it was charged with. */
export interface SparkResult extends SparkOutcome, UnderSettings {
  readonly replayed: boolean;
}

export interface HistoryAnswer extends HistoryPage {
  /** More of the player's events than one answer writes are not in history yet (it catches up). */
  readonly catchingUp: boolean;
}

/** Currency spent on pulls in one calendar month of the guild's time zone. */
export interface MonthlySpend {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly spent: number;
  readonly pulls: number;
}

export interface PullHistoryAnswer extends PullRecordPage {
  /** Newest month first; months without pulls are left out. */
  readonly monthly: readonly MonthlySpend[];
  readonly catchingUp: boolean;
}

export interface LeaderboardAnswer {
  readonly entries: LeaderboardEntry[];
  /** The read model is behind the ledger by more than a few seconds: rankings are catching up. */
  readonly catchingUp: boolean;
}

/** Lag of the read model beyond which rankings say they are catching up. */
const RANKING_LAG_NOTICE_SECONDS = 5;

export interface PlayerProfile extends UnderSettings {
  readonly state: PlayerState;
  readonly distinctItems: number;
  readonly totalItems: number;
  readonly seq: number;
}

export class GachaService {
  private readonly now: () => Date;

  constructor(
    private readonly stores: GachaStores,
    options: GachaServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The guild's current settings revision (cached briefly). */
  async settingsFor(guildId: string): Promise<SettingsSnapshot> {
    return this.stores.settings.get(guildId);
  }

  /** When the guild's odds (tiers, items, banners) last changed; null if never (the defaults). */
  async ratesChangedAt(guildId: string): Promise<Date | null> {
    return this.stores.settings.ratesChangedAt(guildId);
  }

  /** `under`: the revision the caller already read (then settings are read once); otherwise read now. */
  private async revision(guildId: string, under: SettingsSnapshot | undefined): Promise<SettingsSnapshot> {
    return under ?? (await this.stores.settings.get(guildId));
  }

  /** Refuses a new charge (nothing charged) while the projection backlog is past its bound. */
  private admit(guildId: string): void {
    if (this.stores.projections.saturated) {
      throw new GachaError('busy', 'History is catching up; please try again shortly', { guildId });
    }
  }

  async pull(
    ref: InteractionRef,
    request: { bannerId?: string; count: number },
    under?: SettingsSnapshot,
  ): Promise<PullResult> {
    this.admit(ref.guildId);
    const { settings, revision } = await this.revision(ref.guildId, under);
    const at = this.now();
    const bannerId = request.bannerId ?? standardBanner(settings.catalog).id;
    // Everything that decides the draws except the sequence is fixed before the commit: the
    // epoch's committed seed, the player's client seed and the rate table (kept for exports).
    const [epoch, clientSeed, rateHash] = await Promise.all([
      this.stores.fairness.activeEpoch(ref.guildId),
      this.stores.fairness.clientSeed(ref),
      this.stores.fairness.recordRateTable(ref.guildId, revision, settings.catalog),
    ]);
    const { event, replayed } = await this.stores.ledger.commit(
      ref,
      `pull:${ref.interactionId}`,
      ref.interactionId,
      settings.startingCurrency,
      (state, seq) => {
        // The stream of the sequence this event is inserted at: a retry after a sequence
        // conflict draws from its new sequence (docs/fairness.md, "Ledger sequences").
        const rng = new VerifiableRng(
          {
            serverSeedHex: epoch.seed.reveal(),
            clientSeed,
            guildId: ref.guildId,
            userId: ref.userId,
            seq,
          },
          { hmac: nodeHmacSha256 },
        );
        const outcome = performPull(settings.catalog, bannerId, request.count, state, rng, at);
        const pityBefore = state.pity[outcome.bannerKind];
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
          fairness: {
            epoch: epoch.epoch,
            commitment: epoch.commitment,
            clientSeed,
            slots: { from: 0, to: outcome.count - 1 },
            rateRevision: revision,
            rateHash,
            pityBefore: { sinceTop: pityBefore.sinceTop, featuredGuaranteed: pityBefore.featuredGuaranteed },
            tenPull: outcome.count === 10,
          },
        };
      },
    );
    const pull = requirePart(event, 'pull');
    return {
      ...pull,
      state: event.state,
      replayed,
      settings,
      settingsRevision: revision,
      seq: event.seq,
      fairness: event.fairness ?? null,
    };
  }

  async daily(ref: InteractionRef, under?: SettingsSnapshot): Promise<DailyResult> {
    this.admit(ref.guildId);
    const { settings, revision } = await this.revision(ref.guildId, under);
    const at = this.now();
    const day = dayKey(at, settings.daily.timezone);
    const { event, replayed } = await this.stores.ledger.commit(
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
    return { ...requirePart(event, 'daily'), state: event.state, replayed, settings, settingsRevision: revision };
  }

  async exchangeSpark(
    ref: InteractionRef,
    bannerId: string,
    itemId: string,
    under?: SettingsSnapshot,
  ): Promise<SparkResult> {
    this.admit(ref.guildId);
    const { settings, revision } = await this.revision(ref.guildId, under);
    const at = this.now();
    const { event, replayed } = await this.stores.ledger.commit(
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
    return { ...requirePart(event, 'spark'), state: event.state, replayed, settings, settingsRevision: revision };
  }

  /** Adds (or, negative, removes) currency. `opKey` makes the grant idempotent. */
  async grant(player: PlayerRef, opKey: string, amount: number, reason: string, actorId: string | null) {
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new GachaError('invalid-config', 'A grant is a non-zero whole number');
    }
    const { settings } = await this.stores.settings.get(player.guildId);
    const { event, replayed } = await this.stores.ledger.commit(
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

  async profile(player: PlayerRef, under?: SettingsSnapshot): Promise<PlayerProfile> {
    const { settings, revision } = await this.revision(player.guildId, under);
    const head = await this.stores.ledger.head(player, settings.startingCurrency);
    return {
      state: head.state,
      seq: head.seq,
      distinctItems: distinctOwned(head.state),
      totalItems: settings.catalog.items.length,
      settings,
      settingsRevision: revision,
    };
  }

  /**
   * A page of the player's history. History is written behind the commits; rather than wait for
   * the backlog, this player's missing history is written first, straight from the ledger.
   */
  async history(player: PlayerRef, page: number, pageSize = 10): Promise<HistoryAnswer> {
    const complete = await this.stores.projections.catchUpHistory(player);
    return { ...(await this.stores.queries.historyPage(player, page, pageSize)), catchingUp: !complete };
  }

  /**
   * A page of the player's pulls (banner, cost, items) and the currency spent per month over the
   * last `months` months of the guild's time zone. Like `history`, the player's missing history is
   * written first; pages show what history holds, and say so when it is still catching up.
   */
  async pullHistory(
    player: PlayerRef,
    page: number,
    pageSize: number,
    options: { readonly timezone: string; readonly months: number },
  ): Promise<PullHistoryAnswer> {
    const complete = await this.stores.projections.catchUpHistory(player);
    const through = await this.stores.queries.projectedSeq(player);
    const now = this.now();
    const since = new Date(now.getTime() - (options.months * 31 + 1) * 86_400_000);
    const [pageOf, charges] = await Promise.all([
      this.stores.queries.pullPage(player, page, pageSize, through),
      this.stores.queries.pullCharges(player, since, through),
    ]);
    const keep = new Set(lastMonths(now, options.timezone, options.months));
    const byMonth = new Map<string, { spent: number; pulls: number }>();
    for (const charge of charges) {
      const month = monthKey(charge.at, options.timezone);
      if (!keep.has(month)) continue;
      const total = byMonth.get(month) ?? { spent: 0, pulls: 0 };
      byMonth.set(month, { spent: total.spent + charge.cost, pulls: total.pulls + charge.count });
    }
    const monthly = [...byMonth.entries()]
      .map(([month, t]) => ({ month, ...t }))
      .sort((a, b) => (a.month < b.month ? 1 : -1));
    return { ...pageOf, monthly, catchingUp: !complete };
  }

  /** The guild's ranking from the read model as it is (never waits for the backlog). */
  async leaderboard(guildId: string, by: LeaderboardOrder, limit = 10): Promise<LeaderboardAnswer> {
    const entries = await this.stores.queries.leaderboard(guildId, by, limit);
    return { entries, catchingUp: this.stores.projections.backlog().lagSeconds > RANKING_LAG_NOTICE_SECONDS };
  }
}

/** `YYYY-MM` of a time in a time zone. */
export function monthKey(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? '0000';
  const month = parts.find((p) => p.type === 'month')?.value ?? '00';
  return `${year}-${month}`;
}

/** The `months` calendar months up to and including the current one, newest first. */
function lastMonths(now: Date, timezone: string, months: number): string[] {
  const [year = 0, month = 1] = monthKey(now, timezone).split('-').map(Number);
  return Array.from({ length: months }, (_, i) => {
    const index = year * 12 + (month - 1) - i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

function requirePart<K extends 'pull' | 'daily' | 'spark'>(
  event: LedgerEventDoc,
  key: K,
): NonNullable<LedgerEventDoc[K]> {
  const part = event[key];
  if (!part) throw new GachaError('invalid-config', `operation key reused for a different kind of operation`);
  return part;
}
