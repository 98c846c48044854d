/**
 * Admin changes to a catalog, as pure functions. Each returns a new catalog or throws a GachaError
 * with a clear message; the settings store validates the whole result again before saving.
 */
import { parseRateInput } from './admin-input';
import type { BannerDefinition, Catalog, ItemDefinition } from './catalog';
import { GachaError } from './errors';

/** Refuses an edit: `reason` and `params` let the adapter say it in the admin's language. */
function invalid(message: string, reason: string, params: Readonly<Record<string, string | number>> = {}): never {
  throw new GachaError('invalid-config', message, { reason, ...params });
}

/** Parses a rate ("0.6", "3.4%", "34000ppm") into ppm, exactly (see `parseRateInput`). */
export function percentToPpm(text: string): number {
  return parseRateInput(text);
}

/** "N=50, R=35, SR=11, SSR=3.4, UR=0.6" → new tier rates. Every tier must be named once. */
export function setRates(catalog: Catalog, text: string): Catalog {
  const rates = new Map<string, number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [tierId = '', value = ''] = part.split('=').map((x) => x.trim());
    if (!catalog.tiers.some((t) => t.id === tierId)) invalid(`unknown tier "${tierId}"`, 'unknown-tier', { tierId });
    if (rates.has(tierId)) invalid(`tier "${tierId}" is given twice`, 'tier-twice', { tierId });
    rates.set(tierId, percentToPpm(value));
  }
  const missing = catalog.tiers.filter((t) => !rates.has(t.id)).map((t) => t.id);
  if (missing.length > 0)
    invalid(`give a rate for every tier; missing: ${missing.join(', ')}`, 'rates-missing', {
      tierIds: missing.join(', '),
    });
  return { ...catalog, tiers: catalog.tiers.map((t) => ({ ...t, ratePpm: rates.get(t.id) ?? t.ratePpm })) };
}

export function addItem(catalog: Catalog, item: ItemDefinition): Catalog {
  if (catalog.items.some((i) => i.id === item.id))
    invalid(`an item "${item.id}" already exists`, 'item-exists', { itemId: item.id });
  return { ...catalog, items: [...catalog.items, item] };
}

export function removeItem(catalog: Catalog, itemId: string): Catalog {
  if (!catalog.items.some((i) => i.id === itemId)) throw new GachaError('unknown-item', `there is no item "${itemId}"`);
  const featuredIn = catalog.banners.filter((b) => b.featuredItemIds.includes(itemId)).map((b) => b.id);
  if (featuredIn.length > 0)
    invalid(`"${itemId}" is featured on ${featuredIn.join(', ')}: end or change those banners first`, 'item-featured', {
      itemId,
      bannerIds: featuredIn.join(', '),
    });
  return { ...catalog, items: catalog.items.filter((i) => i.id !== itemId) };
}

export interface NewLimitedBanner {
  readonly id: string;
  readonly name: { ja: string; en: string };
  readonly featuredItemIds: readonly string[];
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly rateUpSharePpm: number;
  readonly sparkThreshold: number;
}

/** A limited banner with the standard banner's pity rules. */
export function createLimitedBanner(catalog: Catalog, input: NewLimitedBanner): Catalog {
  if (catalog.banners.some((b) => b.id === input.id))
    invalid(`a banner "${input.id}" already exists`, 'banner-exists', { bannerId: input.id });
  if (Number.isNaN(input.startsAt.getTime()) || Number.isNaN(input.endsAt.getTime()))
    invalid('invalid start or end date', 'bad-dates');
  const standard = catalog.banners.find((b) => b.kind === 'standard');
  if (!standard) invalid('a permanent standard banner is required', 'standard-required');
  const banner: BannerDefinition = {
    id: input.id,
    kind: 'limited',
    name: input.name,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    featuredItemIds: [...input.featuredItemIds],
    rateUpSharePpm: input.rateUpSharePpm,
    pity: { ...standard.pity },
    sparkThreshold: input.sparkThreshold,
  };
  return { ...catalog, banners: [...catalog.banners, banner] };
}

/** Closes a limited banner now (its history stays; it can no longer be pulled). */
export function endBanner(catalog: Catalog, bannerId: string, at: Date): Catalog {
  const banner = catalog.banners.find((b) => b.id === bannerId);
  if (!banner) throw new GachaError('unknown-banner', `There is no banner "${bannerId}"`, { bannerId });
  if (banner.kind === 'standard') invalid('the standard banner is permanent', 'standard-permanent');
  const startsAt = banner.startsAt && banner.startsAt < at ? banner.startsAt : new Date(at.getTime() - 1);
  return {
    ...catalog,
    banners: catalog.banners.map((b) => (b.id === bannerId ? { ...b, startsAt, endsAt: at } : b)),
  };
}
