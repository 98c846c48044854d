/** Everything a server admin configures: the catalog plus economy, cooldowns and channels. */
import { z } from 'zod';
import { type Catalog, type Locale, catalogInputSchema, describeIssues, parseCatalog } from './catalog';
import type { DailyRules } from './daily';
import { isValidTimezone } from './daily';
import { defaultCatalog } from './default-catalog';
import { GachaError } from './errors';

/** Longest currency name an admin may set (it is shown in balances and prices). */
export const MAX_CURRENCY_NAME = 24;

/** The currency's name when the server has not named it. */
export const DEFAULT_CURRENCY_NAME: Readonly<Record<Locale, string>> = { en: 'coins', ja: 'コイン' };

const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord id (17–20 digits)');

const settingsSchema = z
  .object({
    catalog: catalogInputSchema,
    startingCurrency: z.number().int().min(0).max(1_000_000_000),
    daily: z
      .object({
        amount: z.number().int().min(0).max(1_000_000_000),
        streakBonus: z.number().int().min(0).max(1_000_000),
        streakCap: z.number().int().min(0).max(365),
        timezone: z.string().min(1).max(64),
      })
      .strict(),
    cooldownSeconds: z
      .object({ pull: z.number().int().min(0).max(86_400), other: z.number().int().min(0).max(86_400) })
      .strict(),
    allowedChannelIds: z.array(snowflake).max(100),
    locale: z.enum(['ja', 'en']),
    /** The currency's name per language; absent (or a language missing) means the default name. */
    currencyName: z
      .object({
        ja: z.string().trim().min(1).max(MAX_CURRENCY_NAME).optional(),
        en: z.string().trim().min(1).max(MAX_CURRENCY_NAME).optional(),
      })
      .strict()
      .optional(),
    /** Gifts, trades, the shard shop and wishlists; absent in revisions stored before them. */
    economy: z
      .object({
        tradingEnabled: z.boolean(),
        wishlistLimit: z.number().int().min(0).max(25),
        /** Shards for one item of a tier, by tier id; tiers not named use the default price. */
        exchangePrices: z.record(z.string().min(1).max(32), z.number().int().min(1).max(1_000_000)),
      })
      .strict()
      .optional(),
    /** Catalog administration: preview budget and the announcement channel; absent before them. */
    admin: z
      .object({
        budgetDays: z.number().int().min(1).max(365),
        announceChannelId: snowflake.nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface GuildSettings {
  readonly catalog: Catalog;
  readonly startingCurrency: number;
  readonly daily: DailyRules;
  readonly cooldownSeconds: { readonly pull: number; readonly other: number };
  /** Empty means every channel. */
  readonly allowedChannelIds: readonly string[];
  /**
   * The server's language: replies to players whose Discord locale is neither Japanese nor English
   * (new servers: English; stored revisions keep theirs).
   */
  readonly locale: Locale;
  /** The currency's name per language (see `currencyNameOf`). */
  readonly currencyName?: Readonly<Partial<Record<Locale, string>>>;
  /** Missing means the defaults (see `economyRules`). */
  readonly economy?: EconomySettings;
  /** Missing means the defaults (see `adminRules`). */
  readonly admin?: AdminSettings;
}

export interface AdminSettings {
  /** Previews warn when the expected cost to the top tier exceeds this many days of dailies. */
  readonly budgetDays: number;
  /** Where banner starts, ends and live odds changes are announced (null: nowhere). */
  readonly announceChannelId: string | null;
}

export const DEFAULT_ADMIN: AdminSettings = { budgetDays: 30, announceChannelId: null };

/** The guild's admin rules, with the defaults for anything not set. */
export function adminRules(settings: GuildSettings): AdminSettings {
  return settings.admin ?? DEFAULT_ADMIN;
}

export interface EconomySettings {
  readonly tradingEnabled: boolean;
  readonly wishlistLimit: number;
  readonly exchangePrices: Readonly<Record<string, number>>;
}

export const DEFAULT_ECONOMY: EconomySettings = { tradingEnabled: true, wishlistLimit: 10, exchangePrices: {} };

/** The guild's economy rules, with the defaults for anything not set. */
export function economyRules(settings: GuildSettings): EconomySettings {
  return settings.economy ?? DEFAULT_ECONOMY;
}

/** The currency's name in `locale`: the server's, else its name in the other language, else the default. */
export function currencyNameOf(settings: GuildSettings, locale: Locale): string {
  const names = settings.currencyName;
  return names?.[locale] ?? DEFAULT_CURRENCY_NAME[locale];
}

export function defaultGuildSettings(): GuildSettings {
  return {
    catalog: defaultCatalog(),
    startingCurrency: 1_000,
    daily: { amount: 300, streakBonus: 50, streakCap: 6, timezone: 'Asia/Tokyo' },
    cooldownSeconds: { pull: 2, other: 1 },
    allowedChannelIds: [],
    locale: 'en',
  };
}

/** Validates untrusted settings; throws GachaError('invalid-config') with every problem found. */
export function parseGuildSettings(input: unknown): GuildSettings {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error);
    throw new GachaError('invalid-config', `Invalid server settings: ${lines.join('; ')}`, { problems: lines });
  }
  if (!isValidTimezone(parsed.data.daily.timezone)) {
    const timezone = parsed.data.daily.timezone;
    throw new GachaError('invalid-config', `Unknown timezone "${timezone}"`, { reason: 'unknown-timezone', timezone });
  }
  return { ...parsed.data, catalog: parseCatalog(parsed.data.catalog) };
}
