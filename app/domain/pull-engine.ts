/**
 * Pure pull logic: given a catalog, a banner, a player's state and an RNG, decide what is drawn,
 * what it costs and what the state becomes. No I/O.
 */
import { BannerOdds } from './banner-odds';
import {
  type BannerDefinition,
  type BannerKind,
  type Catalog,
  type ItemDefinition,
  findBanner,
  isBannerActive,
} from './catalog';
import { GachaError } from './errors';
import type { PityState, PlayerState } from './player-state';
import { PPM, pickByPpm } from './rates';
import type { Rng } from './rng';

export type PullCount = 1 | 10;

export interface PulledItem {
  readonly itemId: string;
  readonly tierId: string;
  /** Pull count since the last top-tier item, this pull included (1 = first pull after one). */
  readonly pityCount: number;
  readonly featured: boolean;
  /** The item is of the top tier (the pity counter restarts after it). */
  readonly topTier: boolean;
  readonly duplicate: boolean;
  readonly shardsGained: number;
  /** Drawn in the 10-pull's guarantee slot with the common tiers excluded. */
  readonly guaranteeSlot: boolean;
}

export interface PullOutcome {
  readonly bannerId: string;
  readonly bannerKind: BannerKind;
  readonly count: PullCount;
  readonly cost: number;
  readonly items: readonly PulledItem[];
  readonly state: PlayerState;
}

const oddsCache = new WeakMap<BannerDefinition, BannerOdds>();

/** Cached odds tables for a banner object of a validated catalog. */
export function oddsFor(catalog: Catalog, banner: BannerDefinition): BannerOdds {
  let odds = oddsCache.get(banner);
  if (!odds || odds.catalog !== catalog) {
    odds = new BannerOdds(catalog, banner);
    oddsCache.set(banner, odds);
  }
  return odds;
}

export function pullCost(catalog: Catalog, count: PullCount): number {
  return count === 10 ? catalog.tenPullCost : catalog.pullCost;
}

function pickItem(odds: BannerOdds, tierId: string, pity: PityState, isTop: boolean, rng: Rng) {
  const { featured, others } = odds.itemsOf(tierId);
  const share = odds.featuredSharePpm(tierId);
  let wonFeatured: boolean;
  if (share === 0) wonFeatured = false;
  else if (share === PPM) wonFeatured = true;
  else if (isTop && pity.featuredGuaranteed) wonFeatured = true;
  else wonFeatured = rng.nextInt(PPM) < share;
  const pool = wonFeatured ? featured : others;
  const item = pool[rng.nextInt(pool.length)] as ItemDefinition;
  const nextGuaranteed = isTop && share > 0 ? !wonFeatured : pity.featuredGuaranteed;
  return { item, featured: wonFeatured, nextGuaranteed };
}

/** Draws one slot and returns the item with the pity state after it. */
export function drawSlot(
  odds: BannerOdds,
  pity: PityState,
  guaranteeSlot: boolean,
  rng: Rng,
): { tierIndex: number; item: ItemDefinition; featured: boolean; pity: PityState; pityCount: number } {
  const pityCount = pity.sinceTop + 1;
  const table = odds.tierTable(pityCount, guaranteeSlot);
  const tierIndex = pickByPpm(table, rng.nextInt(PPM));
  const tier = odds.tiers[tierIndex];
  if (!tier) throw new RangeError('tier index out of range');
  const isTop = tierIndex === 0;
  const picked = pickItem(odds, tier.id, pity, isTop, rng);
  const next: PityState = isTop
    ? { sinceTop: 0, featuredGuaranteed: picked.nextGuaranteed }
    : { sinceTop: pityCount, featuredGuaranteed: pity.featuredGuaranteed };
  return { tierIndex, item: picked.item, featured: picked.featured, pity: next, pityCount };
}

/** Resolves the banner a pull is for and checks that it can be pulled on at `at`. */
export function resolvePullBanner(catalog: Catalog, bannerId: string, at: Date): BannerDefinition {
  const banner = findBanner(catalog, bannerId);
  if (!isBannerActive(banner, at)) {
    throw new GachaError('banner-not-active', `The banner "${bannerId}" is not open now`, { bannerId });
  }
  return banner;
}

/**
 * One single pull or one 10-pull. Throws GachaError for an unknown or closed banner, a bad count or
 * too little currency; then nothing changes.
 */
export function performPull(
  catalog: Catalog,
  bannerId: string,
  count: number,
  state: PlayerState,
  rng: Rng,
  at: Date,
): PullOutcome {
  if (count !== 1 && count !== 10) {
    throw new GachaError('invalid-pull-count', `A pull is 1 or 10 draws, not ${count}`, { count });
  }
  const banner = resolvePullBanner(catalog, bannerId, at);
  const cost = pullCost(catalog, count);
  if (state.currency < cost) {
    throw new GachaError('insufficient-currency', `This pull costs ${cost} and the balance is ${state.currency}`, {
      cost,
      balance: state.currency,
    });
  }
  const odds = oddsFor(catalog, banner);
  let pity = state.pity[banner.kind];
  let shards = state.shards;
  const owned: Record<string, number> = { ...state.owned };
  const items: PulledItem[] = [];
  let guaranteeMet = false;
  for (let slot = 0; slot < count; slot++) {
    const guaranteeSlot = count === 10 && slot === 9 && !guaranteeMet;
    rng.beginSlot?.(slot);
    const drawn = drawSlot(odds, pity, guaranteeSlot, rng);
    pity = drawn.pity;
    const tier = odds.tiers[drawn.tierIndex];
    if (!tier) throw new RangeError('tier index out of range');
    if (tier.rank >= odds.guaranteeRank) guaranteeMet = true;
    const copies = owned[drawn.item.id] ?? 0;
    const duplicate = copies > 0;
    const shardsGained = duplicate ? tier.duplicateShards : 0;
    owned[drawn.item.id] = copies + 1;
    shards += shardsGained;
    items.push({
      itemId: drawn.item.id,
      tierId: tier.id,
      pityCount: drawn.pityCount,
      featured: drawn.featured,
      topTier: drawn.tierIndex === 0,
      duplicate,
      shardsGained,
      guaranteeSlot,
    });
  }
  const spark =
    banner.sparkThreshold > 0
      ? {
          bannerId: banner.id,
          points: (state.spark.bannerId === banner.id ? state.spark.points : 0) + count,
        }
      : state.spark;
  return {
    bannerId: banner.id,
    bannerKind: banner.kind,
    count,
    cost,
    items,
    state: {
      ...state,
      currency: state.currency - cost,
      shards,
      owned,
      spark,
      pity: { ...state.pity, [banner.kind]: pity },
      totalPulls: state.totalPulls + count,
    },
  };
}

export interface SparkOutcome {
  readonly bannerId: string;
  readonly itemId: string;
  readonly tierId: string;
  readonly duplicate: boolean;
  readonly shardsGained: number;
  readonly state: PlayerState;
}

/** Exchanges spark points of an open banner for one of its featured items. */
export function exchangeSpark(
  catalog: Catalog,
  bannerId: string,
  itemId: string,
  state: PlayerState,
  at: Date,
): SparkOutcome {
  const banner = resolvePullBanner(catalog, bannerId, at);
  if (banner.sparkThreshold === 0) {
    throw new GachaError('insufficient-spark', `The banner "${bannerId}" has no spark exchange`, { bannerId });
  }
  if (!banner.featuredItemIds.includes(itemId)) {
    throw new GachaError('unknown-item', `"${itemId}" is not a featured item of "${bannerId}"`, { itemId, bannerId });
  }
  const points = state.spark.bannerId === banner.id ? state.spark.points : 0;
  if (points < banner.sparkThreshold) {
    throw new GachaError(
      'insufficient-spark',
      `The exchange needs ${banner.sparkThreshold} points, you have ${points}`,
      {
        points,
        needed: banner.sparkThreshold,
      },
    );
  }
  const item = catalog.items.find((i) => i.id === itemId);
  const tier = catalog.tiers.find((t) => t.id === item?.tierId);
  if (!item || !tier) throw new GachaError('unknown-item', `Unknown item "${itemId}"`, { itemId });
  const copies = state.owned[itemId] ?? 0;
  const shardsGained = copies > 0 ? tier.duplicateShards : 0;
  return {
    bannerId,
    itemId,
    tierId: tier.id,
    duplicate: copies > 0,
    shardsGained,
    state: {
      ...state,
      shards: state.shards + shardsGained,
      owned: { ...state.owned, [itemId]: copies + 1 },
      spark: { bannerId: banner.id, points: points - banner.sparkThreshold },
    },
  };
}
