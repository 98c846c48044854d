/**
 * Guild settings as an append-only list of revisions: a change inserts revision n+1 (unique _id),
 * so concurrent admin edits cannot silently overwrite each other, and every revision records who
 * made it, when and what. Reads are cached briefly per guild.
 */
import type { Db } from 'mongodb';
import type { Catalog } from '../domain/catalog';
import { type GuildSettings, defaultGuildSettings, parseGuildSettings } from '../domain/guild-settings';
import { GachaError } from '../domain/errors';
import { collections, type Collections, type SettingsRevisionDoc } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

/** Revisions `ratesChangedAt` reads at most. */
const RATE_HISTORY_WINDOW = 200;

/** What decides the odds, in a stable form (keys sorted): tiers, items, banners, the 10-pull guarantee. */
function oddsKey(catalog: Catalog): string {
  const { tiers, items, banners, tenPullGuaranteeTierId } = catalog;
  return stableJson({ tiers, items, banners, tenPullGuaranteeTierId });
}

let defaultOddsKey: string | undefined;
/** The default catalog's key, as a stored revision would hold it (validated and normalized). */
function defaultOdds(): string {
  defaultOddsKey ??= oddsKey(parseGuildSettings(defaultGuildSettings()).catalog);
  return defaultOddsKey;
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

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
   * When the odds last changed: the time of the newest revision whose tiers, items or banners differ
   * from the revision before it (the first revision is compared with the defaults). Null when no
   * stored revision changed them. Looks at the newest RATE_HISTORY_WINDOW revisions; beyond that,
   * the oldest one read stands for "at or before".
   */
  async ratesChangedAt(guildId: string): Promise<Date | null> {
    const docs = await this.c.settings
      .find({ guildId }, { projection: { revision: 1, at: 1, 'settings.catalog': 1 }, sort: { revision: -1 } })
      .limit(RATE_HISTORY_WINDOW + 1)
      .toArray();
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (!doc) break;
      const previous = docs[i + 1];
      const before = previous ? oddsKey(previous.settings.catalog) : doc.revision === 1 ? defaultOdds() : null;
      if (before === null) return doc.at;
      if (before !== oddsKey(doc.settings.catalog)) return doc.at;
    }
    return null;
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
