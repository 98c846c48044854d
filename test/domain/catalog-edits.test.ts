import { parseCatalog } from '../../app/domain/catalog';
import {
  addItem,
  createLimitedBanner,
  endBanner,
  type NewLimitedBanner,
  percentToPpm,
  removeItem,
  setRates,
} from '../../app/domain/catalog-edits';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { isBannerActive } from '../../app/domain/catalog';
import { exportCatalogJson, parseCatalogJson } from '../../app/discord/catalog-transfer';

const NOW = new Date('2026-11-28T12:00:00Z');

const OROCHI: NewLimitedBanner = {
  id: 'orochi',
  name: { ja: '大蛇', en: 'Orochi' },
  featuredItemIds: ['yamata-no-orochi'],
  startsAt: new Date('2026-11-01T00:00:00Z'),
  endsAt: new Date('2026-12-31T00:00:00Z'),
  rateUpSharePpm: 500_000,
  sparkThreshold: 300,
};

describe('catalog edits', () => {
  it('parses percentages exactly into ppm', () => {
    expect(percentToPpm('0.6')).toBe(6_000);
    expect(percentToPpm('3.4%')).toBe(34_000);
    expect(percentToPpm('100')).toBe(1_000_000);
    expect(percentToPpm('0.0001')).toBe(1);
    expect(() => percentToPpm('0.00001')).toThrow(/is not a rate/); // more than 4 decimals of a percent
    expect(() => percentToPpm('-1')).toThrow(/is not a rate/);
    expect(() => percentToPpm('100.5')).toThrow(/more than 100%/);
  });

  it('sets every tier rate, and the result is validated to sum to 100%', () => {
    const catalog = setRates(defaultCatalog(), 'N=49, R=35, SR=12, SSR=3.4, UR=0.6');
    expect(parseCatalog(catalog).tiers.find((t) => t.id === 'SR')?.ratePpm).toBe(120_000);
    expect(() => parseCatalog(setRates(defaultCatalog(), 'N=50,R=35,SR=11,SSR=3.4,UR=0.7'))).toThrow(
      /sum to exactly 100%/,
    );
    expect(() => setRates(defaultCatalog(), 'N=50,R=35')).toThrow(/missing: SR, SSR, UR/);
    expect(() => setRates(defaultCatalog(), 'X=100')).toThrow(/unknown tier "X"/);
  });

  it('adds and removes items, refusing to remove a featured one', () => {
    const added = addItem(defaultCatalog(), {
      id: 'new-sword',
      tierId: 'SR',
      name: { ja: '新しい剣', en: 'New Sword' },
    });
    expect(parseCatalog(added).items.some((i) => i.id === 'new-sword')).toBe(true);
    expect(() => addItem(added, { id: 'new-sword', tierId: 'SR', name: { ja: 'a', en: 'a' } })).toThrow(
      /already exists/,
    );
    expect(removeItem(added, 'new-sword').items.some((i) => i.id === 'new-sword')).toBe(false);
    expect(() => removeItem(added, 'nothing')).toThrow(/no item "nothing"/);
    const withBanner = createLimitedBanner(added, {
      id: 'sword-fest',
      name: { ja: '剣祭', en: 'Sword Festival' },
      featuredItemIds: ['new-sword'],
      startsAt: NOW,
      endsAt: new Date('2026-12-31T00:00:00Z'),
      rateUpSharePpm: 500_000,
      sparkThreshold: 300,
    });
    expect(() => removeItem(withBanner, 'new-sword')).toThrow(/featured on sword-fest/);
  });

  it('creates a limited banner with the standard pity and ends it', () => {
    const catalog = createLimitedBanner(defaultCatalog(), OROCHI);
    const banner = parseCatalog(catalog).banners.find((b) => b.id === 'orochi');
    expect(banner?.pity.hardPity).toBe(90);
    expect(banner && isBannerActive(banner, NOW)).toBe(true);
    const ended = parseCatalog(endBanner(catalog, 'orochi', NOW)).banners.find((b) => b.id === 'orochi');
    expect(ended && isBannerActive(ended, NOW)).toBe(false);
    expect(() => endBanner(catalog, 'standard', NOW)).toThrow(/permanent/);
    expect(() =>
      parseCatalog(
        createLimitedBanner(catalog, {
          ...catalog.banners[1]!,
          id: 'ghost',
          name: { ja: 'x', en: 'x' },
          featuredItemIds: ['ghost-item'],
          startsAt: NOW,
          endsAt: new Date('2027-01-01'),
          rateUpSharePpm: 500_000,
          sparkThreshold: 0,
        }),
      ),
    ).toThrow(/unknown item "ghost-item"/);
  });

  it('round-trips the catalog through the export JSON and rejects malformed files clearly', () => {
    const catalog = createLimitedBanner(defaultCatalog(), OROCHI);
    expect(parseCatalogJson(exportCatalogJson(catalog))).toEqual(parseCatalog(catalog));
    expect(() => parseCatalogJson('{"tiers": [')).toThrow(/not valid JSON/);
    expect(() => parseCatalogJson('{"tiers": []}')).toThrow(/Invalid gacha configuration/);
  });
});
