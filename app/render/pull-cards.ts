/** Turns a catalog and a pull outcome into the plain cards the renderer draws. */
import type { Catalog, Locale, TierDefinition } from '../domain/catalog';
import type { PulledItem } from '../domain/pull-engine';
import type { CardFace, CardTier, PulledCard } from './card-model';

const ART_ID = /^[0-9a-f]{64}$/;

/** The item's art id if it carries a valid one (catalog items gain an optional `art` field). */
function artOf(item: object): string | null {
  const art = 'art' in item ? item.art : undefined;
  return typeof art === 'string' && ART_ID.test(art) ? art : null;
}

export function cardTier(catalog: Catalog, tier: TierDefinition): CardTier {
  const ranks = catalog.tiers.map((t) => t.rank).sort((a, b) => a - b);
  return {
    id: tier.id,
    color: tier.color,
    stars: ranks.indexOf(tier.rank) + 1,
    top: tier.rank === ranks[ranks.length - 1],
  };
}

export function cardFace(catalog: Catalog, itemId: string, locale: Locale): CardFace {
  const item = catalog.items.find((i) => i.id === itemId);
  const tier = catalog.tiers.find((t) => t.id === item?.tierId);
  if (!item || !tier) throw new RangeError(`item "${itemId}" is not in the catalog`);
  return { itemId, name: item.name[locale], tier: cardTier(catalog, tier), artId: artOf(item) };
}

export function pulledCards(catalog: Catalog, items: readonly PulledItem[], locale: Locale): PulledCard[] {
  return items.map((pulled) => ({
    ...cardFace(catalog, pulled.itemId, locale),
    isNew: !pulled.duplicate,
    shardsGained: pulled.shardsGained,
    featured: pulled.featured,
  }));
}
