/**
 * Odds disclosure for a banner, computed exactly from the same ppm tables the pull engine draws
 * from: published per-tier and per-item rates, and the consolidated rate per pull including pity
 * (stationary distribution of a Markov chain over the pity counter), for single pulls and for
 * 10-pulls with their guarantee slot, plus the expected number of pulls to the top tier.
 */
import { BannerOdds } from './banner-odds';
import { type Catalog, type LocalizedText, type PityRules, findBanner } from './catalog';
import { PPM } from './rates';

export interface TierDisclosure {
  readonly tierId: string;
  readonly name: LocalizedText;
  readonly rank: number;
  readonly emoji: string;
  /** Published base rate. */
  readonly baseProbability: number;
  /** Long-run share of single pulls that land in this tier, pity included. */
  readonly consolidatedSingle: number;
  /** Long-run share of draws in 10-pulls that land in this tier, pity and guarantee included. */
  readonly consolidatedTenPull: number;
  readonly itemCount: number;
}

export interface ItemDisclosure {
  readonly itemId: string;
  readonly tierId: string;
  readonly name: LocalizedText;
  readonly featured: boolean;
  readonly baseProbability: number;
  readonly consolidatedSingle: number;
}

export interface BannerDisclosure {
  readonly bannerId: string;
  readonly bannerName: LocalizedText;
  readonly kind: 'standard' | 'limited';
  readonly pullCost: number;
  readonly tenPullCost: number;
  readonly pity: PityRules;
  /** Pull count at which the top tier is certain, 0 if never. */
  readonly pityCap: number;
  readonly rateUpShare: number;
  readonly tenPullGuaranteeTierId: string;
  readonly sparkThreshold: number;
  readonly duplicatesPossible: true;
  readonly tiers: readonly TierDisclosure[];
  readonly items: readonly ItemDisclosure[];
  /** Expected single pulls from a fresh pity counter to a top-tier item. */
  readonly expectedPullsToTop: number;
  readonly pullsToTopVariance: number;
  /** Expected single pulls to a featured top-tier item, when the banner has one. */
  readonly expectedPullsToFeaturedTop: number | null;
}

/** Number of states of the pity chain: 1 when the top rate never changes. */
function stateCount(odds: BannerOdds): number {
  return odds.pityCap > 0 ? odds.pityCap : 1;
}

interface BatchModel {
  /** transition[from][to] of the pity counter over one batch. */
  readonly transition: number[][];
  /** expectedTierDraws[from][tierIndex] during one batch. */
  readonly expectedTierDraws: number[][];
}

function batchModel(odds: BannerOdds, batchSize: 1 | 10): BatchModel {
  const states = stateCount(odds);
  const tierCount = odds.tiers.length;
  const transition: number[][] = [];
  const expectedTierDraws: number[][] = [];
  for (let start = 0; start < states; start++) {
    // mass[met][k]: probability of pity counter k, `met` = the 10-pull guarantee is already met.
    let mass = [new Array<number>(states).fill(0), new Array<number>(states).fill(0)];
    (mass[0] as number[])[start] = 1;
    const draws = new Array<number>(tierCount).fill(0);
    for (let slot = 0; slot < batchSize; slot++) {
      const next = [new Array<number>(states).fill(0), new Array<number>(states).fill(0)];
      for (let met = 0; met < 2; met++) {
        const row = mass[met] as number[];
        for (let k = 0; k < states; k++) {
          const m = row[k] ?? 0;
          if (m === 0) continue;
          const guaranteeSlot = batchSize === 10 && slot === 9 && met === 0;
          const table = odds.tierTable(k + 1, guaranteeSlot);
          table.forEach((ppm, tierIndex) => {
            if (ppm === 0) return;
            const p = (m * ppm) / PPM;
            draws[tierIndex] = (draws[tierIndex] ?? 0) + p;
            const tier = odds.tiers[tierIndex];
            const nextMet = met === 1 || (tier !== undefined && tier.rank >= odds.guaranteeRank) ? 1 : 0;
            const nextK = tierIndex === 0 ? 0 : Math.min(k + 1, states - 1);
            const target = next[nextMet] as number[];
            target[nextK] = (target[nextK] ?? 0) + p;
          });
        }
      }
      mass = next;
    }
    transition.push((mass[0] as number[]).map((v, k) => v + ((mass[1] as number[])[k] ?? 0)));
    expectedTierDraws.push(draws);
  }
  return { transition, expectedTierDraws };
}

/** Stationary distribution of a row-stochastic matrix, by Gaussian elimination with pivoting. */
export function stationaryDistribution(transition: readonly (readonly number[])[]): number[] {
  const n = transition.length;
  // Solve pi (P - I) = 0 with sum(pi) = 1, i.e. (P^T - I) pi^T = 0 with the last equation replaced.
  const a: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push((transition[j]?.[i] ?? 0) - (i === j ? 1 : 0));
    row.push(0);
    a.push(row);
  }
  a[n - 1] = [...new Array<number>(n).fill(1), 1];
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const pivotRow = a[col] as number[];
    const p = pivotRow[col] ?? 0;
    if (Math.abs(p) < 1e-300) throw new Error('singular chain');
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const factor = (row[col] ?? 0) / p;
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) row[c] = (row[c] ?? 0) - factor * (pivotRow[c] ?? 0);
    }
  }
  return a.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

function consolidatedTierRates(odds: BannerOdds, batchSize: 1 | 10): number[] {
  const model = batchModel(odds, batchSize);
  const pi = stationaryDistribution(model.transition);
  return odds.tiers.map(
    (_, t) =>
      pi.reduce((sum, weight, state) => sum + weight * (model.expectedTierDraws[state]?.[t] ?? 0), 0) / batchSize,
  );
}

/** Mean and variance of the number of single pulls from a fresh counter to the first top-tier item. */
export function pullsToTopMoments(odds: BannerOdds): { mean: number; variance: number } {
  if (odds.pityCap === 0) {
    const p = odds.top.ratePpm / PPM;
    return { mean: 1 / p, variance: (1 - p) / (p * p) };
  }
  // P(N > n) = product of misses over pulls 1..n.
  let survival = 1;
  let mean = 0;
  let secondMoment = 0;
  for (let n = 0; n < odds.pityCap; n++) {
    mean += survival;
    secondMoment += (2 * n + 1) * survival;
    survival *= 1 - odds.topRatePpm(n + 1) / PPM;
  }
  return { mean, variance: secondMoment - mean * mean };
}

export function discloseBanner(catalog: Catalog, bannerId: string): BannerDisclosure {
  const banner = findBanner(catalog, bannerId);
  const odds = new BannerOdds(catalog, banner);
  const single = consolidatedTierRates(odds, 1);
  const ten = consolidatedTierRates(odds, 10);
  const moments = pullsToTopMoments(odds);
  const share = odds.featuredSharePpm(odds.top.id) / PPM;
  // With the 50/50 carried to the next top-tier item, the long-run featured share of top-tier items
  // is 1 / (2 - s), and a featured one takes (2 - s) top-tier items on average from a fresh state.
  const topFeaturedShare = share > 0 && share < 1 ? 1 / (2 - share) : share;
  const tiers: TierDisclosure[] = odds.tiers.map((tier, i) => ({
    tierId: tier.id,
    name: tier.name,
    rank: tier.rank,
    emoji: tier.emoji,
    baseProbability: tier.ratePpm / PPM,
    consolidatedSingle: single[i] ?? 0,
    consolidatedTenPull: ten[i] ?? 0,
    itemCount: odds.itemsOf(tier.id).featured.length + odds.itemsOf(tier.id).others.length,
  }));
  const items: ItemDisclosure[] = [];
  odds.tiers.forEach((tier, i) => {
    const { featured, others } = odds.itemsOf(tier.id);
    const tierShare = odds.featuredSharePpm(tier.id) / PPM;
    const longRunShare = i === 0 ? topFeaturedShare : tierShare;
    const entries = [
      ...featured.map((item) => ({
        item,
        isFeatured: true,
        base: tierShare,
        longRun: longRunShare,
        n: featured.length,
      })),
      ...others.map((item) => ({
        item,
        isFeatured: false,
        base: 1 - tierShare,
        longRun: 1 - longRunShare,
        n: others.length,
      })),
    ];
    for (const { item, isFeatured, base, longRun, n } of entries) {
      items.push({
        itemId: item.id,
        tierId: tier.id,
        name: item.name,
        featured: isFeatured,
        baseProbability: ((tier.ratePpm / PPM) * base) / n,
        consolidatedSingle: ((single[i] ?? 0) * longRun) / n,
      });
    }
  });
  return {
    bannerId: banner.id,
    bannerName: banner.name,
    kind: banner.kind,
    pullCost: catalog.pullCost,
    tenPullCost: catalog.tenPullCost,
    pity: banner.pity,
    pityCap: odds.pityCap,
    rateUpShare: share,
    tenPullGuaranteeTierId: catalog.tenPullGuaranteeTierId,
    sparkThreshold: banner.sparkThreshold,
    duplicatesPossible: true,
    tiers,
    items,
    expectedPullsToTop: moments.mean,
    pullsToTopVariance: moments.variance,
    expectedPullsToFeaturedTop: share > 0 ? moments.mean * (share < 1 ? 2 - share : 1) : null,
  };
}
