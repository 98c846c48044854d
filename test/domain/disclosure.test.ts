import { BannerOdds } from '../../app/domain/banner-odds';
import type { Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner, pullsToTopMoments, stationaryDistribution } from '../../app/domain/disclosure';

function twoTierCatalog(hardPity: number): Catalog {
  return {
    tiers: [
      {
        id: 'low',
        name: { ja: '低', en: 'Low' },
        rank: 1,
        ratePpm: 500_000,
        color: 0,
        emoji: '⚪',
        duplicateShards: 0,
      },
      {
        id: 'top',
        name: { ja: '高', en: 'Top' },
        rank: 2,
        ratePpm: 500_000,
        color: 0,
        emoji: '🌈',
        duplicateShards: 0,
      },
    ],
    items: [
      { id: 'a', tierId: 'low', name: { ja: 'あ', en: 'A' } },
      { id: 'b', tierId: 'top', name: { ja: 'い', en: 'B' } },
    ],
    banners: [
      {
        id: 'standard',
        kind: 'standard',
        name: { ja: '常設', en: 'Standard' },
        featuredItemIds: [],
        rateUpSharePpm: 0,
        pity: { hardPity, softPityStart: 0, softPityStepPpm: 0 },
        sparkThreshold: 0,
      },
    ],
    pullCost: 1,
    tenPullCost: 10,
    tenPullGuaranteeTierId: 'low',
  };
}

describe('odds disclosure', () => {
  it('matches a chain solved by hand: 50 % top rate with hard pity at 2', () => {
    const d = discloseBanner(twoTierCatalog(2), 'standard');
    // E[pulls to top] = 1 + P(miss first) = 1.5, so the long-run top rate is 2/3.
    expect(d.expectedPullsToTop).toBeCloseTo(1.5, 12);
    expect(d.tiers[0]!.consolidatedSingle).toBeCloseTo(2 / 3, 12);
    expect(d.tiers[1]!.consolidatedSingle).toBeCloseTo(1 / 3, 12);
    // Var(N) for N in {1, 2} with 1/2 each is 1/4.
    expect(d.pullsToTopVariance).toBeCloseTo(0.25, 12);
  });

  it('equals the base rates when there is no pity', () => {
    const d = discloseBanner(twoTierCatalog(0), 'standard');
    expect(d.tiers[0]!.consolidatedSingle).toBeCloseTo(0.5, 12);
    expect(d.expectedPullsToTop).toBeCloseTo(2, 12);
  });

  it('reproduces the well-known 0.6 % / soft 74 / hard 90 figures (about 1.6 % consolidated)', () => {
    const d = discloseBanner(defaultCatalog(), 'standard');
    const ur = d.tiers.find((t) => t.tierId === 'UR')!;
    expect(ur.baseProbability).toBeCloseTo(0.006, 12);
    expect(ur.consolidatedSingle).toBeGreaterThan(0.015);
    expect(ur.consolidatedSingle).toBeLessThan(0.017);
    expect(ur.consolidatedSingle).toBeCloseTo(1 / d.expectedPullsToTop, 12);
    expect(d.pityCap).toBe(90);
    for (const key of ['consolidatedSingle', 'consolidatedTenPull', 'baseProbability'] as const) {
      expect(d.tiers.reduce((s, t) => s + t[key], 0)).toBeCloseTo(1, 12);
    }
    expect(d.items.reduce((s, i) => s + i.baseProbability, 0)).toBeCloseTo(1, 12);
    expect(d.items.reduce((s, i) => s + i.consolidatedSingle, 0)).toBeCloseTo(1, 12);
    // The 10-pull guarantee lifts SR-or-better to at least one in ten draws.
    const srOrBetter = d.tiers.filter((t) => t.rank >= 3).reduce((s, t) => s + t.consolidatedTenPull, 0);
    expect(srOrBetter).toBeGreaterThan(
      d.tiers.filter((t) => t.rank >= 3).reduce((s, t) => s + t.consolidatedSingle, 0),
    );
  });

  it('gives featured top items the long-run 50/50-with-guarantee share of 2/3', () => {
    const catalog = defaultCatalog();
    catalog.banners.push({
      ...catalog.banners[0]!,
      id: 'limited',
      kind: 'limited',
      featuredItemIds: ['susanoo'],
      rateUpSharePpm: 500_000,
      sparkThreshold: 300,
    });
    const d = discloseBanner(catalog, 'limited');
    const ur = d.tiers.find((t) => t.tierId === 'UR')!;
    const susanoo = d.items.find((i) => i.itemId === 'susanoo')!;
    expect(susanoo.featured).toBe(true);
    expect(susanoo.baseProbability).toBeCloseTo(0.003, 12);
    expect(susanoo.consolidatedSingle).toBeCloseTo((ur.consolidatedSingle * 2) / 3, 12);
    expect(d.expectedPullsToFeaturedTop).toBeCloseTo(d.expectedPullsToTop * 1.5, 9);
  });

  it('computes moments and stationary distributions exactly', () => {
    expect(
      stationaryDistribution([
        [0.5, 0.5],
        [1, 0],
      ]),
    ).toEqual([expect.closeTo(2 / 3, 12), expect.closeTo(1 / 3, 12)]);
    const catalog = twoTierCatalog(3);
    const odds = new BannerOdds(catalog, catalog.banners[0]!);
    // N = 1, 2, 3 with probabilities 1/2, 1/4, 1/4.
    const m = pullsToTopMoments(odds);
    expect(m.mean).toBeCloseTo(1.75, 12);
    expect(m.variance).toBeCloseTo(0.5 + 1 + 2.25 - 1.75 * 1.75, 12);
  });
});
