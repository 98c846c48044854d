/**
 * The use cases of server admins: settings edits (each a new audited revision), catalog import
 * (staged, then confirmed by the same admin) and player resets (a ledger event plus its audit
 * entry). The admin check itself is the Discord adapter's (member permissions).
 */
import { type LiveOddsChange, liveOddsChanges, parseAdminDate } from '../domain/admin-input';
import { dayKey, previousDay } from '../domain/daily';
import { discloseBanner } from '../domain/disclosure';
import { type Catalog, standardBanner } from '../domain/catalog';
import { type CatalogDiff, diffCatalogs } from '../domain/catalog-diff';
import { type GuildSettings, adminRules, parseGuildSettings } from '../domain/guild-settings';
import { initialPlayerState, type PlayerState } from '../domain/player-state';
import { type AdminQueries, type DayActivity, ODDS_CHANGELOG_ACTION } from '../storage/admin-queries';
import type { AuditLog } from '../storage/audit-log';
import type { AuditDoc } from '../storage/collections';
import type { PlayerLedger } from '../storage/player-ledger';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';
import { PendingChanges } from './pending-changes';

export interface AdminStores {
  readonly settings: SettingsStore;
  readonly audit: AuditLog;
  readonly ledger: PlayerLedger;
  readonly adminQueries: AdminQueries;
}

/** A catalog edit: the new catalog from the current one (the whole settings are validated after). */
export type CatalogChange = (current: Catalog, settings: GuildSettings) => Catalog;

/** What an admin chose for an edit that changes the odds of a banner players are pulling on. */
export type LiveChangePolicy = 'refuse' | 'announce';

export interface StageRequest {
  readonly guildId: string;
  readonly actorId: string;
  /** What the audit records when confirmed (e.g. `add-item: sword`). */
  readonly action: string;
  readonly change: CatalogChange;
  readonly live: LiveChangePolicy;
}

/** The consequences of a staged change, shown before the admin confirms it. */
export interface ChangePreview {
  /** Confirmation token; null when the change was refused (live banners, policy `refuse`). */
  readonly token: string | null;
  readonly diff: CatalogDiff;
  /** Players owning each item that would become unobtainable (≤ 25 items counted). */
  readonly owners: ReadonlyMap<string, number>;
  /** Banners that have started whose odds or pity this changes. */
  readonly live: readonly LiveOddsChange[];
  readonly budgetDays: number;
  readonly before: Catalog;
  readonly after: Catalog;
}

export type ConfirmResult =
  | {
      readonly kind: 'applied';
      readonly action: string;
      readonly snapshot: SettingsSnapshot;
      readonly announced: readonly LiveOddsChange[];
    }
  | { readonly kind: 'expired' }
  | { readonly kind: 'stale' };

/** One public entry of the odds changelog (`/gacha rates`). */
export interface OddsChangelogEntry {
  readonly bannerId: string;
  readonly fields: readonly string[];
  readonly at: Date;
  readonly revision: number;
}

/** A guild's gacha activity over recent days, from the ledger and its history projection. */
export interface GachaStats {
  /** Oldest first, one per calendar day in the server's time zone (`day` is YYYY-MM-DD). */
  readonly days: readonly (DayActivity & { readonly day: string })[];
  /** Distinct players with any ledger event in the whole period. */
  readonly activePlayers: number;
  /** Items drawn by pulls in the period, and how many of them were of the top tier. */
  readonly draws: number;
  readonly topDraws: number;
  /** The standard banner's published long-run top-tier rate (single pulls, pity included). */
  readonly publishedTopRate: number;
}

class StaleChange extends Error {}

function changelogEntry(doc: AuditDoc): OddsChangelogEntry {
  const fields = Array.isArray(doc.details.fields) ? doc.details.fields.filter((f) => typeof f === 'string') : [];
  return {
    bannerId: doc.target ?? '',
    fields,
    at: doc.at,
    revision: typeof doc.details.revision === 'number' ? doc.details.revision : 0,
  };
}

/** A settings edit: the new settings from the current ones (validated before anything is stored). */
export type SettingsChange = (current: GuildSettings) => GuildSettings;

export interface ResetRequest {
  readonly guildId: string;
  readonly actorId: string;
  readonly targetId: string;
  /** Makes the reset (and its audit entry) happen once however often it is retried. */
  readonly opKey: string;
}

export class AdminService {
  private readonly pending: PendingChanges;

  constructor(
    private readonly stores: AdminStores,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.pending = new PendingChanges(() => this.now().getTime());
  }

  /** Applies `change` as a new settings revision recording who, when and what. */
  async changeSettings(
    guildId: string,
    actorId: string,
    action: string,
    change: SettingsChange,
  ): Promise<SettingsSnapshot> {
    return this.stores.settings.update(guildId, actorId, action, change);
  }

  /**
   * Computes what `change` would do — added, removed and changed entries, items (and their owners)
   * that would become unobtainable, each open or scheduled banner's new odds and expected cost to
   * the top tier, the dailies-budget warning — and holds it until the admin confirms. A change to
   * the odds or pity of a banner that has started is refused unless the policy is `announce`.
   * Invalid results throw GachaError('invalid-config') before anything is held.
   */
  async stageChange(request: StageRequest): Promise<ChangePreview> {
    const { guildId, actorId } = request;
    const snapshot = await this.stores.settings.get(guildId);
    const { settings } = snapshot;
    const before = settings.catalog;
    const after = parseGuildSettings({ ...settings, catalog: request.change(before, settings) }).catalog;
    const at = this.now();
    const budgetDays = adminRules(settings).budgetDays;
    const diff = diffCatalogs(before, after, { at, daily: settings.daily, budgetDays });
    const owners = await this.stores.adminQueries.ownerCounts(
      guildId,
      diff.unobtainable.map((u) => u.itemId),
    );
    const live = liveOddsChanges(before, after, at);
    const refused = live.length > 0 && request.live === 'refuse';
    const token = refused
      ? null
      : this.pending.hold({
          guildId,
          actorId,
          action: request.action,
          baseRevision: snapshot.revision,
          catalog: after,
          announced: live,
        });
    return { token, diff, owners, live, budgetDays, before, after };
  }

  /**
   * Applies a staged change as a new audited settings revision, and records each announced live
   * odds change in the public changelog (once per revision and banner). `stale` when the catalog
   * changed since the preview; `expired` when the token is unknown, old or not this admin's.
   */
  async confirmChange(guildId: string, actorId: string, token: string): Promise<ConfirmResult> {
    const held = this.pending.take(token, guildId, actorId);
    if (!held) return { kind: 'expired' };
    let snapshot: SettingsSnapshot;
    try {
      const current = await this.stores.settings.get(guildId);
      if (current.revision !== held.baseRevision) throw new StaleChange();
      snapshot = await this.stores.settings.update(guildId, actorId, held.action, (s) => {
        // Another process may have stored a revision since: the store retries with it, and then
        // this change no longer applies to what was previewed.
        if (s !== current.settings && JSON.stringify(s.catalog) !== JSON.stringify(current.settings.catalog)) {
          throw new StaleChange();
        }
        return { ...s, catalog: held.catalog };
      });
    } catch (error) {
      if (error instanceof StaleChange) return { kind: 'stale' };
      throw error;
    }
    for (const change of held.announced) {
      await this.stores.audit.record({
        id: `${ODDS_CHANGELOG_ACTION}:${guildId}:${snapshot.revision}:${change.bannerId}`,
        guildId,
        actorId,
        action: ODDS_CHANGELOG_ACTION,
        target: change.bannerId,
        details: { fields: [...change.fields], revision: snapshot.revision, change: held.action.slice(0, 200) },
      });
    }
    return { kind: 'applied', action: held.action, snapshot, announced: held.announced };
  }

  /** Forgets a staged change (the admin cancelled it). */
  dropChange(guildId: string, actorId: string, token: string): boolean {
    return this.pending.take(token, guildId, actorId) !== null;
  }

  /** Newest first: the public record of odds and pity changes on banners that had started. */
  async oddsChangelog(guildId: string, limit = 5, bannerId?: string): Promise<OddsChangelogEntry[]> {
    const docs = await this.stores.adminQueries.changelog(guildId, limit, bannerId);
    return docs.map(changelogEntry);
  }

  /** Pulls, currency issued and spent, and active players per day; top-tier rate observed vs published. */
  async stats(guildId: string, dayCount: number): Promise<GachaStats> {
    const { settings } = await this.stores.settings.get(guildId);
    const zone = settings.daily.timezone;
    const catalog = settings.catalog;
    const dayStarts: { day: string; from: Date }[] = [];
    let day = dayKey(this.now(), zone);
    for (let i = 0; i < dayCount; i++) {
      dayStarts.unshift({ day, from: parseAdminDate(`${day} 00:00`, zone) });
      day = previousDay(day);
    }
    const end = new Date(this.now().getTime() + 1);
    const days = await Promise.all(
      dayStarts.map(async ({ day: d, from }, i) => ({
        ...(await this.stores.adminQueries.activity(guildId, from, dayStarts[i + 1]?.from ?? end)),
        day: d,
      })),
    );
    const from = dayStarts[0]?.from ?? end;
    const [period, tiers] = await Promise.all([
      this.stores.adminQueries.activity(guildId, from, end),
      this.stores.adminQueries.tierDraws(guildId, from, end),
    ]);
    const top = [...catalog.tiers].sort((a, b) => b.rank - a.rank)[0]?.id ?? '';
    const disclosure = discloseBanner(catalog, standardBanner(catalog).id);
    return {
      days,
      activePlayers: period.activePlayers,
      draws: tiers.reduce((sum, t) => sum + t.draws, 0),
      topDraws: tiers.find((t) => t.tierId === top)?.draws ?? 0,
      publishedTopRate: disclosure.tiers.find((t) => t.tierId === top)?.consolidatedSingle ?? 0,
    };
  }

  /** Puts a player back to the opening state and records who did it; returns the new state. */
  async resetPlayer(request: ResetRequest): Promise<PlayerState> {
    const { guildId, actorId, targetId, opKey } = request;
    const { settings } = await this.stores.settings.get(guildId);
    const { event } = await this.stores.ledger.commit(
      { guildId, userId: targetId },
      `reset:${opKey}`,
      null,
      settings.startingCurrency,
      () => ({ kind: 'reset', state: initialPlayerState(settings.startingCurrency) }),
    );
    // A retry of the same reset replays the event above and finds this entry already recorded.
    await this.stores.audit.record({
      id: `reset-player:${guildId}:${opKey}`,
      guildId,
      actorId,
      action: 'reset-player',
      target: targetId,
      details: { seq: event.seq },
    });
    return event.state;
  }
}
