import { previewBanner } from '../../app/domain/banner-preview';
import { type Catalog, parseCatalog } from '../../app/domain/catalog';
import { diffCatalogs, dailyIncome } from '../../app/domain/catalog-diff';
import { createLimitedBanner, removeItem, setRates } from '../../app/domain/catalog-edits';
import { catalogFileJson, catalogToFile, ppmToPercentText } from '../../app/domain/catalog-file';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAILY = { amount: 300, streakBonus: 50, streakCap: 6 };

function withSusanooFestival(): Catalog {
  return createLimitedBanner(defaultCatalog(), {
    id: 'susanoo-fest',
    name: { ja: 'スサノオ祭', en: 'Susanoo Festival' },
    featuredItemIds: ['susanoo'],
    startsAt: new Date('2026-11-01T00:00:00Z'),
    endsAt: new Date('2026-12-31T00:00:00Z'),
    rateUpSharePpm: 500_000,
    sparkThreshold: 300,
  });
}

function mean(pmf: readonly number[]): number {
  return pmf.reduce((sum, p, i) => sum + p * (i + 1), 0);
}

describe('catalog file form', () => {
  it('writes exact percentages and hex colours and reads back the same catalog', () => {
    expect([34_000, 6_000, 1, 1_000_000, 0, 123_456].map(ppmToPercentText)).toEqual([
      '3.4%',
      '0.6%',
      '0.0001%',
      '100%',
      '0%',
      '12.3456%',
    ]);
    const catalog = parseCatalog(withSusanooFestival());
    const file = catalogToFile(catalog);
    expect(file.tiers[0]).toMatchObject({
      id: 'N',
      rate: '50%',
      color: '#9e9e9e',
      name: { ja: 'ノーマル', en: 'Normal' },
    });
    expect(file.banners[1]).toMatchObject({ startsAt: '2026-11-01T00:00:00.000Z', rateUpShare: '50%' });
    expect(parseCatalog(JSON.parse(catalogFileJson(catalog)))).toEqual(catalog);
    const sameName = parseCatalog({ ...catalog, items: [...catalog.items, { id: 'x', tierId: 'N', name: 'Daruma' }] });
    expect(catalogToFile(sameName).items.at(-1)?.name).toBe('Daruma');
  });
});

describe('banner preview', () => {
  it('gives the exact distribution of pulls to the top tier, matching the disclosure', () => {
    const catalog = defaultCatalog();
    const preview = previewBanner(catalog, 'standard');
    const d = discloseBanner(catalog, 'standard');
    expect(preview.pullsToTop.truncated).toBe(false);
    expect(preview.pullsToTop.pmf).toHaveLength(d.pityCap);
    expect(preview.pullsToTop.cdf.at(-1)).toBeCloseTo(1, 12);
    expect(mean(preview.pullsToTop.pmf)).toBeCloseTo(d.expectedPullsToTop, 9);
    expect(preview.pricePerPull).toBe(100);
    expect(preview.expectedCostToTop).toBeCloseTo(d.expectedPullsToTop * 100, 6);
    expect(preview.pullsToFeaturedTop).toBeNull();
    expect(preview.pullsToTop.median).toBeGreaterThan(50);
    expect(preview.pullsToTop.p99).toBeLessThanOrEqual(90);
  });

  it('uses the cheaper 10-pull price and models the 50/50 for a featured top-tier item', () => {
    const catalog = { ...withSusanooFestival(), tenPullCost: 900 };
    const preview = previewBanner(catalog, 'susanoo-fest');
    expect(preview.pricePerPull).toBe(90);
    const featured = preview.pullsToFeaturedTop;
    expect(featured).not.toBeNull();
    expect(featured!.cdf.at(-1)).toBeCloseTo(1, 12);
    expect(mean(featured!.pmf)).toBeCloseTo(preview.expectedPullsToFeaturedTop!, 9);
    expect(preview.expectedPullsToFeaturedTop).toBeCloseTo(preview.expectedPullsToTop * 1.5, 9);
  });

  it('cuts the tail of a banner without pity and says so', () => {
    const catalog = defaultCatalog();
    catalog.banners[0]!.pity = { hardPity: 0, softPityStart: 0, softPityStepPpm: 0 };
    const preview = previewBanner(catalog, 'standard');
    expect(preview.pullsToTop.truncated).toBe(true);
    expect(preview.expectedPullsToTop).toBeCloseTo(1 / 0.006, 9);
    expect(mean(preview.pullsToTop.pmf)).toBeCloseTo(1 / 0.006, 0);
  });
});

describe('diffCatalogs', () => {
  it('lists added, removed and changed entries and the new odds of every open banner', () => {
    const before = defaultCatalog();
    const after = removeItem(setRates(withSusanooFestival(), 'N=49,R=35,SR=11,SSR=4.4,UR=0.6'), 'daruma');
    const diff = diffCatalogs(before, parseCatalog(after), { at: NOW });
    expect(diff.unchanged).toBe(false);
    expect(diff.tiers.changed).toEqual([
      { id: 'N', fields: ['ratePpm'] },
      { id: 'SSR', fields: ['ratePpm'] },
    ]);
    expect(diff.items.removed).toEqual(['daruma']);
    expect(diff.banners.added).toEqual(['susanoo-fest']);
    expect(diff.consequences.map((c) => [c.bannerId, c.before === null])).toEqual([
      ['standard', false],
      ['susanoo-fest', true],
    ]);
    const standard = diff.consequences[0]!;
    const ssr = (p: typeof standard.after) => p.disclosure.tiers.find((t) => t.tierId === 'SSR')!.baseProbability;
    expect(ssr(standard.before!)).toBeCloseTo(0.034, 12);
    expect(ssr(standard.after)).toBeCloseTo(0.044, 12);
    expect(diffCatalogs(before, defaultCatalog(), { at: NOW }).unchanged).toBe(true);
  });

  it('names owned items that would become unobtainable, and only those', () => {
    const before = defaultCatalog();
    const after = removeItem(withSusanooFestival(), 'daruma');
    // While the festival runs, Susanoo can still be drawn there.
    expect(diffCatalogs(before, after, { at: NOW }).unobtainable).toEqual([{ itemId: 'daruma', reason: 'removed' }]);
    // Applied after the festival ended, Susanoo (kept to the festival) is gone from every open pool.
    const later = new Date('2027-01-05T00:00:00Z');
    expect(diffCatalogs(before, after, { at: later }).unobtainable).toEqual([
      { itemId: 'daruma', reason: 'removed' },
      { itemId: 'susanoo', reason: 'no-pool' },
    ]);
    expect(diffCatalogs(before, after, { at: later, ownedItemIds: ['susanoo', 'amaterasu'] }).unobtainable).toEqual([
      { itemId: 'susanoo', reason: 'no-pool' },
    ]);
    const shared = withSusanooFestival();
    shared.banners[1]!.featuredInStandard = true;
    expect(diffCatalogs(before, shared, { at: later }).unobtainable).toEqual([]);
  });

  it('warns when the expected cost to the top tier exceeds N days of dailies', () => {
    expect(dailyIncome(DAILY, 7)).toBe(7 * 300 + 50 * (0 + 1 + 2 + 3 + 4 + 5 + 6));
    expect(dailyIncome(DAILY, 30)).toBe(30 * 300 + 50 * (21 + 6 * 23));
    const catalog = defaultCatalog();
    const cost = previewBanner(catalog, 'standard').expectedCostToTop;
    expect(diffCatalogs(catalog, catalog, { at: NOW, daily: DAILY, budgetDays: 30 }).warnings).toEqual([]);
    const [warning, ...rest] = diffCatalogs(catalog, catalog, { at: NOW, daily: DAILY, budgetDays: 7 }).warnings;
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ kind: 'top-tier-cost', bannerId: 'standard', dailyIncome: 3150, days: 7 });
    expect(warning!.expectedCost).toBeCloseTo(cost, 9);
    expect(warning!.message.en).toContain('more than the 3,150 a player earns from dailies in 7 days');
    expect(warning!.message.ja).toContain('デイリー7日分の報酬（3,150）');
  });
});
