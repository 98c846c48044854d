/**
 * The exact odds of one banner, as integer ppm tables: the rate of the top tier at each pity count
 * (soft and hard pity), the tier table for a normal slot and for the 10-pull's guarantee slot, and
 * which items of the banner's pool a tier draws from. Both the pull engine and the disclosure read these same tables, so
 * what is published is what is drawn.
 */
import {
  type BannerDefinition,
  type Catalog,
  type ItemDefinition,
  type TierDefinition,
  bannerPool,
  findTier,
  topTier,
} from './catalog';
import { PPM, apportion } from './rates';

export interface TierItems {
  readonly featured: readonly ItemDefinition[];
  readonly others: readonly ItemDefinition[];
}

export class BannerOdds {
  /** Tiers from rarest to most common. */
  readonly tiers: readonly TierDefinition[];
  readonly top: TierDefinition;
  readonly guaranteeRank: number;
  /** Pull count at which the top tier is certain (hard pity, or soft pity reaching 100 %); 0 if none. */
  readonly pityCap: number;
  private readonly itemsByTier = new Map<string, TierItems>();
  private readonly tables = new Map<string, readonly number[]>();

  constructor(
    readonly catalog: Catalog,
    readonly banner: BannerDefinition,
  ) {
    this.tiers = [...catalog.tiers].sort((a, b) => b.rank - a.rank);
    this.top = topTier(catalog);
    this.guaranteeRank = findTier(catalog, catalog.tenPullGuaranteeTierId).rank;
    const featured = new Set(banner.featuredItemIds);
    const pool = bannerPool(catalog, banner);
    for (const tier of this.tiers) {
      const items = pool.filter((i) => i.tierId === tier.id);
      this.itemsByTier.set(tier.id, {
        featured: items.filter((i) => featured.has(i.id)),
        others: items.filter((i) => !featured.has(i.id)),
      });
    }
    this.pityCap = this.computePityCap();
  }

  /** Top-tier rate in ppm for the pull that is the `pullCount`-th since the last top-tier item (1-based). */
  topRatePpm(pullCount: number): number {
    const { hardPity, softPityStart, softPityStepPpm } = this.banner.pity;
    if (hardPity > 0 && pullCount >= hardPity) return PPM;
    let rate = this.top.ratePpm;
    if (softPityStart > 0 && pullCount >= softPityStart) {
      rate += softPityStepPpm * (pullCount - softPityStart + 1);
    }
    return Math.min(rate, PPM);
  }

  /**
   * Tier table (ppm per tier, in `tiers` order) for a slot. The top tier takes its pity-adjusted
   * rate; the rest is shared among the other eligible tiers in proportion to their base rates. The
   * guarantee slot of a 10-pull makes tiers below the guarantee ineligible.
   */
  tierTable(pullCount: number, guaranteeSlot: boolean): readonly number[] {
    const effectiveCount = this.pityCap > 0 ? Math.min(pullCount, this.pityCap) : pullCount;
    const topRate = this.topRatePpm(effectiveCount);
    const key = `${topRate}:${guaranteeSlot ? 1 : 0}`;
    const cached = this.tables.get(key);
    if (cached) return cached;
    const others = this.tiers.slice(1);
    const weights = others.map((t) => (guaranteeSlot && t.rank < this.guaranteeRank ? 0 : t.ratePpm));
    const rest = weights.some((w) => w > 0) ? PPM - topRate : 0;
    const table = [rest > 0 ? topRate : PPM, ...apportion(rest, weights)];
    this.tables.set(key, table);
    return table;
  }

  itemsOf(tierId: string): TierItems {
    const items = this.itemsByTier.get(tierId);
    if (!items) throw new RangeError(`unknown tier ${tierId}`);
    return items;
  }

  /** Share (ppm) of a tier's draws that go to its featured items: 0 without featured items or others. */
  featuredSharePpm(tierId: string): number {
    const { featured, others } = this.itemsOf(tierId);
    if (featured.length === 0) return 0;
    if (others.length === 0) return PPM;
    return this.banner.rateUpSharePpm;
  }

  private computePityCap(): number {
    const { hardPity, softPityStart, softPityStepPpm } = this.banner.pity;
    let cap = hardPity;
    if (softPityStart > 0 && softPityStepPpm > 0) {
      const steps = Math.ceil((PPM - this.top.ratePpm) / softPityStepPpm);
      const softCap = softPityStart + Math.max(steps, 1) - 1;
      cap = cap > 0 ? Math.min(cap, softCap) : softCap;
    }
    if (this.top.ratePpm >= PPM) cap = 1;
    return cap;
  }
}
