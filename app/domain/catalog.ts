/**
 * What a guild's gacha is made of: rarity tiers, items, banners and prices. Validated as a whole:
 * a catalog that passes `parseCatalog` can be pulled from without further checks.
 */
import { z } from 'zod';
import { GachaError } from './errors';
import { PPM } from './rates';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, "_" and "-" only');
const text = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('\u0000'), 'text must not contain NUL characters');
const localizedText = z.object({ ja: text, en: text }).strict();
const ppm = z.number().int().min(0).max(PPM);
const count = (max: number) => z.number().int().min(0).max(max);

const tierSchema = z
  .object({
    id,
    name: localizedText,
    /** Higher is rarer. The highest rank is the top tier, the one pity applies to. */
    rank: z.number().int().min(0).max(100),
    ratePpm: ppm,
    color: z.number().int().min(0).max(0xffffff),
    emoji: z.string().min(1).max(64),
    /** Shards granted when an item of this tier is drawn again. */
    duplicateShards: count(1_000_000),
  })
  .strict();

const itemSchema = z.object({ id, tierId: id, name: localizedText }).strict();

const pitySchema = z
  .object({
    /** Top tier guaranteed on this pull count since the last top-tier item (0 = no hard pity). */
    hardPity: count(1000),
    /** From this pull count on, the top rate rises by `softPityStepPpm` per pull (0 = no soft pity). */
    softPityStart: count(1000),
    softPityStepPpm: ppm,
  })
  .strict();

const bannerSchema = z
  .object({
    id,
    kind: z.enum(['standard', 'limited']),
    name: localizedText,
    startsAt: z.coerce.date().optional(),
    endsAt: z.coerce.date().optional(),
    featuredItemIds: z.array(id).max(20),
    /** Share of a tier's rate that goes to its featured items (e.g. 500_000 = 50/50). */
    rateUpSharePpm: ppm,
    pity: pitySchema,
    /** Spark points needed to exchange for a featured item (0 = no spark on this banner). */
    sparkThreshold: count(10_000),
  })
  .strict();

const catalogSchema = z
  .object({
    tiers: z.array(tierSchema).min(1).max(10),
    items: z.array(itemSchema).min(1).max(1000),
    banners: z.array(bannerSchema).min(1).max(50),
    pullCost: count(1_000_000_000),
    tenPullCost: count(1_000_000_000),
    /** Every 10-pull holds at least one item of this tier or rarer. */
    tenPullGuaranteeTierId: id,
  })
  .strict();

export type TierDefinition = z.infer<typeof tierSchema>;
export type ItemDefinition = z.infer<typeof itemSchema>;
export type PityRules = z.infer<typeof pitySchema>;
export type BannerDefinition = z.infer<typeof bannerSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type LocalizedText = z.infer<typeof localizedText>;
export type BannerKind = BannerDefinition['kind'];

export const catalogInputSchema = catalogSchema;

/** Consistency rules that a schema cannot express. Returns the problems, empty when valid. */
export function catalogProblems(catalog: Catalog): string[] {
  const problems: string[] = [];
  const tierIds = new Set<string>();
  const ranks = new Set<number>();
  for (const tier of catalog.tiers) {
    if (tierIds.has(tier.id)) problems.push(`tier "${tier.id}" is defined twice`);
    if (ranks.has(tier.rank)) problems.push(`two tiers share rank ${tier.rank}`);
    tierIds.add(tier.id);
    ranks.add(tier.rank);
  }
  const rateSum = catalog.tiers.reduce((sum, t) => sum + t.ratePpm, 0);
  if (rateSum !== PPM) {
    problems.push(`tier rates must sum to exactly 100% (${PPM} ppm), they sum to ${rateSum} ppm`);
  }
  const itemIds = new Set<string>();
  for (const item of catalog.items) {
    if (itemIds.has(item.id)) problems.push(`item "${item.id}" is defined twice`);
    itemIds.add(item.id);
    if (!tierIds.has(item.tierId)) problems.push(`item "${item.id}" names unknown tier "${item.tierId}"`);
  }
  for (const tier of catalog.tiers) {
    if (tier.ratePpm > 0 && !catalog.items.some((i) => i.tierId === tier.id)) {
      problems.push(`tier "${tier.id}" has a non-zero rate but no items`);
    }
  }
  if (!tierIds.has(catalog.tenPullGuaranteeTierId)) {
    problems.push(`10-pull guarantee names unknown tier "${catalog.tenPullGuaranteeTierId}"`);
  }
  const bannerIds = new Set<string>();
  for (const banner of catalog.banners) {
    if (bannerIds.has(banner.id)) problems.push(`banner "${banner.id}" is defined twice`);
    bannerIds.add(banner.id);
    for (const itemId of banner.featuredItemIds) {
      if (!itemIds.has(itemId)) problems.push(`banner "${banner.id}" features unknown item "${itemId}"`);
    }
    if (banner.startsAt && banner.endsAt && banner.endsAt <= banner.startsAt) {
      problems.push(`banner "${banner.id}" ends before it starts`);
    }
    if (banner.kind === 'limited' && banner.featuredItemIds.length === 0) {
      problems.push(`limited banner "${banner.id}" needs at least one featured item`);
    }
    if (banner.sparkThreshold > 0 && banner.featuredItemIds.length === 0) {
      problems.push(`banner "${banner.id}" has a spark but no featured item to exchange for`);
    }
    const { hardPity, softPityStart, softPityStepPpm } = banner.pity;
    if (softPityStart > 0 && softPityStepPpm === 0) {
      problems.push(`banner "${banner.id}": soft pity needs a positive step`);
    }
    if (hardPity > 0 && softPityStart > hardPity) {
      problems.push(`banner "${banner.id}": soft pity starts after hard pity`);
    }
  }
  if (!catalog.banners.some((b) => b.kind === 'standard')) problems.push('a permanent standard banner is required');
  if (catalog.tenPullCost > catalog.pullCost * 10) {
    problems.push('a 10-pull may not cost more than ten single pulls');
  }
  return problems;
}

/** The first schema problems as `path: message` lines, for error messages. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Parses untrusted input (admin JSON, stored documents) into a valid catalog or throws GachaError. */
export function parseCatalog(input: unknown): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error);
    throw new GachaError('invalid-config', `Invalid gacha configuration: ${lines.join('; ')}`, { problems: lines });
  }
  const problems = catalogProblems(parsed.data);
  if (problems.length > 0) {
    throw new GachaError('invalid-config', `Invalid gacha configuration: ${problems.slice(0, 10).join('; ')}`, {
      problems,
    });
  }
  return parsed.data;
}

export function topTier(catalog: Catalog): TierDefinition {
  return catalog.tiers.reduce((best, t) => (t.rank > best.rank ? t : best));
}

export function findTier(catalog: Catalog, tierId: string): TierDefinition {
  const tier = catalog.tiers.find((t) => t.id === tierId);
  if (!tier) throw new GachaError('invalid-config', `Unknown tier "${tierId}"`);
  return tier;
}

export function findBanner(catalog: Catalog, bannerId: string): BannerDefinition {
  const banner = catalog.banners.find((b) => b.id === bannerId);
  if (!banner) throw new GachaError('unknown-banner', `There is no banner "${bannerId}"`, { bannerId });
  return banner;
}

export function isBannerActive(banner: BannerDefinition, at: Date): boolean {
  if (banner.startsAt && at < banner.startsAt) return false;
  if (banner.endsAt && at >= banner.endsAt) return false;
  return true;
}

export function activeBanners(catalog: Catalog, at: Date): BannerDefinition[] {
  return catalog.banners.filter((b) => isBannerActive(b, at));
}

export function standardBanner(catalog: Catalog): BannerDefinition {
  const banner = catalog.banners.find((b) => b.kind === 'standard');
  if (!banner) throw new GachaError('invalid-config', 'a permanent standard banner is required');
  return banner;
}
