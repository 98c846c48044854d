import { parseCatalog, type Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { GachaError } from '../../app/domain/errors';
import { defaultGuildSettings, parseGuildSettings } from '../../app/domain/guild-settings';
import { apportion } from '../../app/domain/rates';

function expectInvalid(mutate: (c: Catalog) => void, message: RegExp): void {
  const catalog = defaultCatalog();
  mutate(catalog);
  let caught: unknown;
  try {
    parseCatalog(catalog);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GachaError);
  expect((caught as GachaError).code).toBe('invalid-config');
  expect((caught as GachaError).message).toMatch(message);
}

describe('catalog validation', () => {
  it('accepts the default catalog: 40–80 items with Japanese and English names', () => {
    const catalog = parseCatalog(defaultCatalog());
    expect(catalog.items.length).toBeGreaterThanOrEqual(40);
    expect(catalog.items.length).toBeLessThanOrEqual(80);
    for (const item of catalog.items) {
      expect(item.name.ja).not.toBe('');
      expect(item.name.en).not.toBe('');
    }
  });

  it('rejects rates that do not sum to 100%', () => {
    expectInvalid((c) => {
      c.tiers[0]!.ratePpm += 1;
    }, /sum to exactly 100%.*1000001 ppm/);
  });

  it('rejects negative rates and costs', () => {
    expectInvalid((c) => {
      c.tiers[0]!.ratePpm = -1;
    }, /tiers\.0\.ratePpm/);
    expectInvalid((c) => {
      c.pullCost = -5;
    }, /pullCost/);
  });

  it('rejects a tier with a rate but no items', () => {
    expectInvalid((c) => {
      c.items = c.items.filter((i) => i.tierId !== 'UR');
    }, /tier "UR" has a non-zero rate but no items/);
  });

  it('rejects featured items that are not in the pool', () => {
    expectInvalid((c) => {
      c.banners.push({ ...c.banners[0]!, id: 'x', kind: 'limited', featuredItemIds: ['no-such-item'] });
    }, /features unknown item "no-such-item"/);
  });

  it('rejects a 10-pull dearer than ten singles and a missing standard banner', () => {
    expectInvalid((c) => {
      c.tenPullCost = c.pullCost * 10 + 1;
    }, /10-pull/);
    expectInvalid((c) => {
      c.banners[0]!.kind = 'limited';
      c.banners[0]!.featuredItemIds = ['amaterasu'];
    }, /standard banner is required/);
  });

  it('validates whole guild settings, including the timezone', () => {
    expect(parseGuildSettings(defaultGuildSettings()).daily.timezone).toBe('Asia/Tokyo');
    const bad = { ...defaultGuildSettings(), daily: { ...defaultGuildSettings().daily, timezone: 'Mars/Olympus' } };
    expect(() => parseGuildSettings(bad)).toThrow(/Unknown timezone "Mars\/Olympus"/);
    expect(() => parseGuildSettings({ ...defaultGuildSettings(), allowedChannelIds: ['general'] })).toThrow(
      /allowedChannelIds/,
    );
  });
});

describe('apportion', () => {
  it('splits integers exactly by largest remainder', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(1_000_000, [500_000, 350_000, 110_000]).reduce((a, b) => a + b, 0)).toBe(1_000_000);
    expect(apportion(7, [0, 0])).toEqual([0, 0]);
    expect(apportion(5, [0, 3])).toEqual([0, 5]);
  });
});
