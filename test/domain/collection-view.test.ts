import { decodeFilter, DEFAULT_FILTER, encodeFilter, filterCollection } from '../../app/domain/collection-view';
import { defaultCatalog } from '../../app/domain/default-catalog';

const catalog = defaultCatalog();

describe('the collection view', () => {
  const [first, second, third] = catalog.items;
  if (!first || !second || !third) throw new Error('catalog too small');
  const owned = { [first.id]: 3, [second.id]: 1 };

  it('filters owned, missing, duplicates, tier and search; sorts by count', () => {
    const ids = (f: Partial<typeof DEFAULT_FILTER>) =>
      filterCollection(catalog, owned, { ...DEFAULT_FILTER, ...f }, 'en').map((e) => e.item.id);
    expect(ids({}).sort()).toEqual([first.id, second.id].sort());
    expect(ids({ show: 'missing' })).not.toContain(first.id);
    expect(ids({ show: 'missing' })).toContain(third.id);
    expect(ids({ show: 'all' })).toHaveLength(catalog.items.length);
    expect(ids({ duplicates: true })).toEqual([first.id]);
    expect(
      ids({ tierId: first.tierId, show: 'all' }).every(
        (id) => catalog.items.find((i) => i.id === id)?.tierId === first.tierId,
      ),
    ).toBe(true);
    expect(ids({ search: first.name.ja.slice(0, 3), show: 'all' })).toEqual([]);
    expect(filterCollection(catalog, owned, { ...DEFAULT_FILTER, search: first.name.ja }, 'ja')[0]?.item.id).toBe(
      first.id,
    );
    expect(ids({ sort: 'count' })).toEqual([first.id, second.id]);
  });

  it('carries the filter through a page button and reads anything else as the default', () => {
    const filter = {
      tierId: first.tierId,
      bannerId: catalog.banners[0]?.id ?? null,
      show: 'all',
      duplicates: true,
      sort: 'name',
      search: 'a.b',
    } as const;
    const code = encodeFilter(catalog, filter);
    expect(code.length).toBeLessThanOrEqual(40);
    expect(decodeFilter(catalog, code)).toEqual(filter);
    expect(decodeFilter(catalog, 'garbage')).toEqual({ ...DEFAULT_FILTER, tierId: null });
  });
});
