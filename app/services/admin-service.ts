/**
 * The use cases of server admins: settings edits (each a new audited revision), catalog import
 * (staged, then confirmed by the same admin) and player resets (a ledger event plus its audit
 * entry). The admin check itself is the Discord adapter's (member permissions).
 */
import type { Catalog } from '../domain/catalog';
import type { GuildSettings } from '../domain/guild-settings';
import { initialPlayerState, type PlayerState } from '../domain/player-state';
import type { AuditLog } from '../storage/audit-log';
import type { PlayerLedger } from '../storage/player-ledger';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';
import { PendingImports } from './pending-imports';

export interface AdminStores {
  readonly settings: SettingsStore;
  readonly audit: AuditLog;
  readonly ledger: PlayerLedger;
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
  private readonly imports = new PendingImports();

  constructor(private readonly stores: AdminStores) {}

  /** Applies `change` as a new settings revision recording who, when and what. */
  async changeSettings(
    guildId: string,
    actorId: string,
    action: string,
    change: SettingsChange,
  ): Promise<SettingsSnapshot> {
    return this.stores.settings.update(guildId, actorId, action, change);
  }

  /** Holds a validated catalog until `actorId` confirms it; returns the confirmation token. */
  stageImport(guildId: string, actorId: string, catalog: Catalog): string {
    return this.imports.hold(guildId, actorId, catalog);
  }

  /** Replaces the catalog with the staged one; null when the token is unknown, expired or not theirs. */
  async confirmImport(guildId: string, actorId: string, token: string): Promise<SettingsSnapshot | null> {
    const catalog = this.imports.take(token, guildId, actorId);
    if (!catalog) return null;
    return this.stores.settings.update(guildId, actorId, 'import', (s) => ({ ...s, catalog }));
  }

  dropImport(guildId: string, actorId: string, token: string): void {
    this.imports.take(token, guildId, actorId);
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
