/**
 * The shard shop: shards bought with duplicates are spent on one copy of a chosen item. Prices are
 * per tier (guild settings, with defaults that scale with how many duplicates of the tier make one).
 */
import { type Catalog, findTier } from './catalog';
import { GachaError } from './errors';
import { type GuildSettings, economyRules } from './guild-settings';
import type { PlayerState } from './player-state';

/** Default price: this many duplicates' worth of the tier's shards (at least 10 shards). */
const DEFAULT_DUPLICATES_PER_ITEM = 10;

export function exchangePrice(settings: GuildSettings, tierId: string): number {
  const set = economyRules(settings).exchangePrices[tierId];
  if (set !== undefined) return set;
  const tier = findTier(settings.catalog, tierId);
  return Math.max(10, tier.duplicateShards * DEFAULT_DUPLICATES_PER_ITEM);
}

export interface ExchangeOutcome {
  readonly state: PlayerState;
  readonly itemId: string;
  readonly tierId: string;
  readonly cost: number;
}

/** Spends the tier's price in shards on one copy of `itemId`; refuses unknown items and short balances. */
export function exchangeShards(settings: GuildSettings, itemId: string, state: PlayerState): ExchangeOutcome {
  const item = findItem(settings.catalog, itemId);
  const cost = exchangePrice(settings, item.tierId);
  if (state.shards < cost) {
    throw new GachaError('insufficient-shards', `${state.shards} shards is less than ${cost}`, {
      cost,
      balance: state.shards,
    });
  }
  return {
    itemId,
    tierId: item.tierId,
    cost,
    state: {
      ...state,
      shards: state.shards - cost,
      owned: { ...state.owned, [itemId]: (state.owned[itemId] ?? 0) + 1 },
    },
  };
}

/** Shards still missing for the cheapest item in the shop (0 when one is affordable now). */
export function shardsToNextExchange(settings: GuildSettings, shards: number): number {
  const prices = settings.catalog.tiers.map((t) => exchangePrice(settings, t.id));
  const cheapest = prices.length > 0 ? Math.min(...prices) : 0;
  return Math.max(0, cheapest - shards);
}

function findItem(catalog: Catalog, itemId: string) {
  const item = catalog.items.find((i) => i.id === itemId);
  if (!item) throw new GachaError('unknown-item', `"${itemId.slice(0, 100)}" is not in the catalog`, { itemId });
  return item;
}
