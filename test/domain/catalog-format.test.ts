import { BannerOdds } from '../../app/domain/banner-odds';
import {
  type Catalog,
  bannerPool,
  catalogJsonSchema,
  findBanner,
  parseCatalog,
  validateCatalog,
} from '../../app/domain/catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { GachaError } from '../../app/domain/errors';

/** A small catalog written the way an admin would: percentages, hex colours, English names only. */
function adminFile(): Record<string, unknown> {
  return {
    mainLanguage: 'en',
    tiers: [
      { id: 'C', name: 'Common', rank: 1, rate: '90%', color: '#9e9e9e', emoji: '⚪', duplicateShards: 1 },
      {
        id: 'R',
        name: { en: 'Rare', ja: 'レア' },
        rank: 2,
        rate: 9.4,
        color: '#2196F3',
        emoji: '🔵',
        duplicateShards: 5,
      },
      { id: 'S', name: 'Star', rank: 3, ratePpm: 6_000, color: 0xffc107, emoji: '⭐', duplicateShards: 50 },
    ],
    items: [
      { id: 'pebble', tierId: 'C', name: 'Pebble' },
      { id: 'leaf', tierId: 'C', name: 'Leaf' },
      { id: 'gem', tierId: 'R', name: 'Gem', art: 'a'.repeat(64) },
      { id: 'sun', tierId: 'S', name: 'Sun' },
      { id: 'moon', tierId: 'S', name: 'Moon' },
    ],
    banners: [
      { id: 'standard', kind: 'standard', name: 'Standard', pity: { hardPity: 80, softPityStart: 0 } },
      {
        id: 'moon-fest',
        kind: 'limited',
        name: 'Moon Festival',
        startsAt: '2026-12-01T00:00:00+09:00',
        endsAt: '2026-12-15T00:00:00+09:00',
        featuredItemIds: ['moon'],
        rateUpShare: '50%',
        pity: { hardPity: 80, softPityStart: 60, softPityStep: '5%' },
        sparkThreshold: 200,
        art: 'b'.repeat(64),
      },
    ],
    pullCost: 100,
    tenPullCost: 1000,
    tenPullGuaranteeTierId: 'R',
  };
}

function issuesOf(input: unknown) {
  const result = validateCatalog(input);
  if (result.ok) throw new Error('expected the catalog to be invalid');
  return result.issues;
}

describe('catalog file format', () => {
  it('accepts percentages, hex colours and main-language names, and normalizes them', () => {
    const catalog = parseCatalog(adminFile());
    expect(catalog.tiers.map((t) => t.ratePpm)).toEqual([900_000, 94_000, 6_000]);
    expect(catalog.tiers.map((t) => t.color)).toEqual([0x9e9e9e, 0x2196f3, 0xffc107]);
    expect(catalog.tiers[0]!.name).toEqual({ en: 'Common', ja: 'Common' });
    expect(catalog.tiers[1]!.name).toEqual({ en: 'Rare', ja: 'レア' });
    const fest = findBanner(catalog, 'moon-fest');
    expect(fest.startsAt?.toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(fest.rateUpSharePpm).toBe(500_000);
    expect(fest.pity.softPityStepPpm).toBe(50_000);
    expect(fest.art).toBe('b'.repeat(64));
    expect(findBanner(catalog, 'standard').sparkThreshold).toBe(0);
    expect(catalog.items.find((i) => i.id === 'gem')?.art).toBe('a'.repeat(64));
    expect('art' in catalog.items[0]!).toBe(false);
  });

  it('is idempotent: a parsed catalog (Dates included) parses to itself', () => {
    const once = parseCatalog(adminFile());
    expect(parseCatalog(once)).toEqual(once);
    expect(parseCatalog(JSON.parse(JSON.stringify(once)))).toEqual(once);
    expect(parseCatalog(defaultCatalog())).toEqual(defaultCatalog());
  });

  it('keeps files exported before the new format importable', () => {
    const old = JSON.parse(JSON.stringify(defaultCatalog())) as Record<string, unknown>;
    delete old.mainLanguage;
    const parsed = parseCatalog(old);
    expect(parsed.mainLanguage).toBe('en');
    expect(parsed.tiers).toEqual(defaultCatalog().tiers);
  });

  it('requires the main-language name only, with the path and a message in both languages', () => {
    const file = adminFile();
    (file.items as { name: unknown }[])[0]!.name = { ja: '小石' };
    const issues = issuesOf(file);
    expect(issues).toEqual([
      {
        path: ['items', 0, 'name', 'en'],
        message: { en: 'a name in the main language (English) is required', ja: 'メイン言語（英語）の名前が必要です' },
      },
    ]);
    const japanese: Record<string, unknown> = { ...adminFile(), mainLanguage: 'ja' };
    (japanese.items as { name: unknown }[])[1]!.name = { en: 'Leaf' };
    expect(issuesOf(japanese).map((i) => i.path)).toEqual([['items', 1, 'name', 'ja']]);
    (file.items as { name: unknown }[])[0]!.name = { ja: '小石', en: 'Pebble' };
    expect(parseCatalog({ ...file, mainLanguage: 'ja' }).items[0]!.name).toEqual({ ja: '小石', en: 'Pebble' });
  });

  it('rejects ambiguous or malformed rates, colours, art ids and dates at their fields', () => {
    const both = adminFile();
    (both.tiers as Record<string, unknown>[])[0]!.ratePpm = 900_000;
    expect(issuesOf(both)[0]?.path).toEqual(['tiers', 0, 'rate']);
    const neither = adminFile();
    delete (neither.tiers as Record<string, unknown>[])[0]!.rate;
    expect(issuesOf(neither)[0]?.message.en).toMatch(/rate is required/);
    const fine = adminFile();
    (fine.tiers as Record<string, unknown>[])[0]!.rate = '90.00001%';
    const rateIssue = issuesOf(fine)[0]!;
    expect(rateIssue.path).toEqual(['tiers', 0, 'rate']);
    expect(rateIssue.message.ja).toMatch(/パーセント/);
    const colour = adminFile();
    (colour.tiers as Record<string, unknown>[])[1]!.color = '#12345';
    expect(issuesOf(colour)[0]).toMatchObject({
      path: ['tiers', 1, 'color'],
      message: { en: 'a colour such as "#ff8800"' },
    });
    const art = adminFile();
    (art.items as Record<string, unknown>[])[2]!.art = 'A'.repeat(64);
    expect(issuesOf(art)[0]?.path).toEqual(['items', 2, 'art']);
    const date = adminFile();
    (date.banners as Record<string, unknown>[])[1]!.startsAt = '2026-12-01 00:00';
    expect(issuesOf(date)[0]).toMatchObject({ path: ['banners', 1, 'startsAt'] });
    const unknownKey = { ...adminFile(), colour: 1 };
    expect(issuesOf(unknownKey)[0]?.message.ja).toMatch(/colour/);
  });

  it('reports the rate sum in both languages and throws GachaError with every issue', () => {
    const file = adminFile();
    (file.tiers as Record<string, unknown>[])[0]!.rate = '91%';
    let caught: unknown;
    try {
      parseCatalog(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GachaError);
    const error = caught as GachaError;
    expect(error.message).toMatch(/tiers: tier rates must sum to exactly 100%.*1010000 ppm/);
    expect(error.details.issues).toEqual([
      {
        path: ['tiers'],
        message: {
          en: 'tier rates must sum to exactly 100% (1000000 ppm), they sum to 1010000 ppm',
          ja: 'ティアの確率の合計はちょうど100%（1000000 ppm）でなければなりません。現在 1010000 ppm です',
        },
      },
    ]);
  });
});

describe('banner pools', () => {
  function ids(catalog: Catalog, bannerId: string): string[] {
    return bannerPool(catalog, findBanner(catalog, bannerId)).map((i) => i.id);
  }

  it("keeps a limited banner's featured items out of the standard banner by default", () => {
    const catalog = parseCatalog(adminFile());
    expect(ids(catalog, 'standard')).toEqual(['pebble', 'leaf', 'gem', 'sun']);
    expect(ids(catalog, 'moon-fest')).toEqual(['pebble', 'leaf', 'gem', 'sun', 'moon']);
    const odds = new BannerOdds(catalog, findBanner(catalog, 'standard'));
    expect(odds.itemsOf('S').others.map((i) => i.id)).toEqual(['sun']);
    expect(discloseBanner(catalog, 'standard').tiers.find((t) => t.tierId === 'S')?.itemCount).toBe(1);
    expect(discloseBanner(catalog, 'moon-fest').tiers.find((t) => t.tierId === 'S')?.itemCount).toBe(2);
  });

  it('lets the admin share the featured items with the standard banner', () => {
    const file = adminFile();
    (file.banners as Record<string, unknown>[])[1]!.featuredInStandard = true;
    expect(ids(parseCatalog(file), 'standard')).toContain('moon');
    (file.banners as Record<string, unknown>[])[0]!.featuredInStandard = true;
    expect(issuesOf(file)[0]?.path).toEqual(['banners', 0, 'featuredInStandard']);
  });

  it('draws only from its own pool plus featured items, and every rated tier needs an item there', () => {
    const file = adminFile();
    (file.banners as Record<string, unknown>[])[1]!.poolItemIds = ['pebble', 'gem'];
    expect(ids(parseCatalog(file), 'moon-fest')).toEqual(['pebble', 'gem', 'moon']);
    (file.banners as Record<string, unknown>[])[1]!.poolItemIds = ['pebble', 'ghost'];
    const messages = issuesOf(file).map((i) => i.message.en);
    expect(messages).toContain('banner "moon-fest" pools unknown item "ghost"');
    expect(messages).toContain('banner "moon-fest" has no item of tier "R" to draw (its rate is not 0)');
  });

  it('refuses a standard banner left without a top-tier item by exclusive featured items', () => {
    const file = adminFile();
    (file.banners as Record<string, unknown>[])[1]!.featuredItemIds = ['sun', 'moon'];
    const issues = issuesOf(file);
    expect(issues.map((i) => [i.path, i.message.en])).toEqual([
      [['banners', 0, 'featuredItemIds'], 'banner "standard" has no item of tier "S" to draw (its rate is not 0)'],
    ]);
  });
});

describe('catalog JSON Schema', () => {
  it('documents the tier rate as exactly one of rate / ratePpm', () => {
    const schema = catalogJsonSchema() as { $defs: Record<string, { oneOf?: unknown }> };
    expect(schema.$defs.Tier?.oneOf).toEqual([{ required: ['rate'] }, { required: ['ratePpm'] }]);
  });
});
