/**
 * What /collection lists: a player's items filtered by tier, banner, owned/missing and duplicates,
 * searched by name, sorted — and the compact code that carries those choices in a page button.
 */
import { type Catalog, type ItemDefinition, type Locale, bannerPool } from './catalog';

export type CollectionShow = 'owned' | 'missing' | 'all';
export type CollectionSort = 'rarity' | 'name' | 'count';

export interface CollectionFilter {
  readonly tierId: string | null;
  readonly bannerId: string | null;
  readonly show: CollectionShow;
  /** Only items owned more than once. */
  readonly duplicates: boolean;
  /** Part of the item's name (player's language) or id; at most SEARCH_MAX characters. */
  readonly search: string;
  readonly sort: CollectionSort;
}

export const SEARCH_MAX = 20;

export const DEFAULT_FILTER: CollectionFilter = {
  tierId: null,
  bannerId: null,
  show: 'owned',
  duplicates: false,
  search: '',
  sort: 'rarity',
};

export interface CollectionEntry {
  readonly item: ItemDefinition;
  readonly count: number;
}

export function filterCollection(
  catalog: Catalog,
  owned: Readonly<Record<string, number>>,
  filter: CollectionFilter,
  locale: Locale,
): CollectionEntry[] {
  const banner = filter.bannerId ? catalog.banners.find((b) => b.id === filter.bannerId) : undefined;
  const inBanner = banner ? new Set(bannerPool(catalog, banner).map((i) => i.id)) : null;
  const search = filter.search.toLowerCase();
  const rank = new Map(catalog.tiers.map((t) => [t.id, t.rank]));
  const entries = catalog.items
    .map((item) => ({ item, count: owned[item.id] ?? 0 }))
    .filter(({ item, count }) => {
      if (filter.tierId && item.tierId !== filter.tierId) return false;
      if (inBanner && !inBanner.has(item.id)) return false;
      if (filter.show === 'owned' && count === 0) return false;
      if (filter.show === 'missing' && count > 0) return false;
      if (filter.duplicates && count < 2) return false;
      if (search && !item.name[locale].toLowerCase().includes(search) && !item.id.toLowerCase().includes(search)) {
        return false;
      }
      return true;
    });
  const byRarity = (a: CollectionEntry, b: CollectionEntry) =>
    (rank.get(b.item.tierId) ?? 0) - (rank.get(a.item.tierId) ?? 0);
  const byName = (a: CollectionEntry, b: CollectionEntry) => a.item.name[locale].localeCompare(b.item.name[locale]);
  return entries.sort((a, b) =>
    filter.sort === 'name'
      ? byName(a, b) || byRarity(a, b)
      : filter.sort === 'count'
        ? b.count - a.count || byRarity(a, b) || byName(a, b)
        : byRarity(a, b) || a.item.id.localeCompare(b.item.id),
  );
}

const SHOW_CODES: Readonly<Record<CollectionShow, string>> = { owned: 'o', missing: 'm', all: 'a' };
const SORT_CODES: Readonly<Record<CollectionSort, string>> = { rarity: 'r', name: 'n', count: 'c' };

/** `<tier index>.<banner index>.<show>.<dup>.<sort>.<search>` (indexes into the catalog; `-` for none). */
export function encodeFilter(catalog: Catalog, filter: CollectionFilter): string {
  const tier = filter.tierId ? catalog.tiers.findIndex((t) => t.id === filter.tierId) : -1;
  const banner = filter.bannerId ? catalog.banners.findIndex((b) => b.id === filter.bannerId) : -1;
  return [
    tier < 0 ? '-' : String(tier),
    banner < 0 ? '-' : String(banner),
    SHOW_CODES[filter.show],
    filter.duplicates ? '1' : '0',
    SORT_CODES[filter.sort],
    filter.search.slice(0, SEARCH_MAX),
  ].join('.');
}

/** Reads a code back; anything unreadable (e.g. from an older catalog) falls back to the default. */
export function decodeFilter(catalog: Catalog, code: string): CollectionFilter {
  const [tier = '-', banner = '-', show = 'o', dup = '0', sort = 'r', ...search] = code.split('.');
  const index = (s: string) => (/^\d{1,3}$/.test(s) ? Number(s) : -1);
  const find = <K extends string>(table: Readonly<Record<K, string>>, value: string, fallback: K): K =>
    (Object.keys(table) as K[]).find((k) => table[k] === value) ?? fallback;
  return {
    tierId: catalog.tiers[index(tier)]?.id ?? null,
    bannerId: catalog.banners[index(banner)]?.id ?? null,
    show: find(SHOW_CODES, show, 'owned'),
    duplicates: dup === '1',
    sort: find(SORT_CODES, sort, 'rarity'),
    search: search.join('.').slice(0, SEARCH_MAX),
  };
}
