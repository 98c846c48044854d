import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { bannerPool, findBanner, parseCatalog } from '../../app/domain/catalog';
import { catalogSchemaText, SCHEMA_PATH } from '../../scripts/catalog-schema';

const EXAMPLE_PATH = resolve(__dirname, '..', '..', 'docs', 'examples', 'catalog.example.json');

function example(): Record<string, unknown> {
  return JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as Record<string, unknown>;
}

function validator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // Formats are not checked by ajv without ajv-formats; the schema's date-time pattern checks the dates.
  return new Ajv2020({ allErrors: true, validateFormats: false }).compile(schema);
}

describe('docs/catalog.schema.json', () => {
  it('is the committed output of `npm run catalog:schema`', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(catalogSchemaText());
  });

  it('accepts the documented example, which the bot also imports', () => {
    const validate = validator();
    expect(validate(example())).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const catalog = parseCatalog(example());
    expect(catalog.banners.map((b) => b.kind)).toEqual(['standard', 'limited']);
    expect(catalog.items.filter((i) => i.art !== undefined)).toHaveLength(3);
    const standard = bannerPool(catalog, findBanner(catalog, 'standard')).map((i) => i.id);
    expect(standard).not.toContain('tsukuyomi');
    expect(findBanner(catalog, 'moon-festival').startsAt?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });

  it('rejects what the bot rejects for its shape: bad colours, both rate forms, unknown keys, bad dates', () => {
    const validate = validator();
    const cases: ((c: Record<string, unknown>) => void)[] = [
      (c) => ((c.tiers as Record<string, unknown>[])[0]!.color = 'grey'),
      (c) => ((c.tiers as Record<string, unknown>[])[0]!.ratePpm = 790_000),
      (c) => ((c.items as Record<string, unknown>[])[0]!.colour = 1),
      (c) => ((c.banners as Record<string, unknown>[])[1]!.startsAt = '2026-12-01 18:00'),
      (c) => ((c.items as Record<string, unknown>[])[0]!.art = 'not-hex'),
    ];
    for (const mutate of cases) {
      const input = example();
      mutate(input);
      expect(validate(input)).toBe(false);
      expect(() => parseCatalog(input)).toThrow(/Invalid gacha configuration/);
    }
  });
});
