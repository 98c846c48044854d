/**
 * Guild settings as an append-only list of revisions: a change inserts revision n+1 (unique _id),
 * so concurrent admin edits cannot silently overwrite each other, and every revision records who
 * made it, when and what. Reads are cached briefly per guild.
 */
import type { Db } from 'mongodb';
import { type GuildSettings, defaultGuildSettings, parseGuildSettings } from '../domain/guild-settings';
import { GachaError } from '../domain/errors';
import { collections, type Collections, type SettingsRevisionDoc } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export interface SettingsSnapshot {
  readonly revision: number;
  readonly settings: GuildSettings;
}

export interface SettingsStoreOptions {
  /** How long a process trusts its cached copy; other processes' changes show up within it. */
  readonly cacheTtlMs?: number;
  readonly now?: () => Date;
}

export class SettingsStore {
  private readonly c: Collections;
  private readonly cache = new Map<string, { at: number; snapshot: SettingsSnapshot }>();
  private readonly cacheTtlMs: number;
  private readonly now: () => Date;

  constructor(db: Db, options: SettingsStoreOptions = {}) {
    this.c = collections(db);
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
  }

  async get(guildId: string): Promise<SettingsSnapshot> {
    const cached = this.cache.get(guildId);
    const nowMs = Date.now();
    if (cached && nowMs - cached.at < this.cacheTtlMs) return cached.snapshot;
    const snapshot = await this.load(guildId);
    this.cache.set(guildId, { at: nowMs, snapshot });
    return snapshot;
  }

  private async load(guildId: string): Promise<SettingsSnapshot> {
    const latest = await this.c.settings.findOne({ guildId }, { sort: { revision: -1 } });
    if (!latest) return { revision: 0, settings: defaultGuildSettings() };
    return { revision: latest.revision, settings: parseGuildSettings(latest.settings) };
  }

  /**
   * Applies `change` to the newest settings and stores the result as a new revision. Invalid
   * results throw GachaError('invalid-config') and nothing is written.
   */
  async update(
    guildId: string,
    actorId: string,
    action: string,
    change: (current: GuildSettings) => unknown,
  ): Promise<SettingsSnapshot> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.load(guildId);
      const settings = parseGuildSettings(change(current.settings));
      const revision = current.revision + 1;
      const doc: SettingsRevisionDoc = {
        _id: `${guildId}:${revision}`,
        guildId,
        revision,
        settings,
        at: this.now(),
        actorId,
        action,
      };
      try {
        await this.c.settings.insertOne(doc);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      const snapshot = { revision, settings };
      this.cache.set(guildId, { at: Date.now(), snapshot });
      return snapshot;
    }
    throw new GachaError('busy', 'The settings are being changed by someone else; please try again');
  }
}
