/**
 * The consequences of replacing one catalog with another, before it applies: what is added,
 * removed and changed; which (owned) items would no longer be obtainable; the new published odds,
 * expected pulls and expected cost to the top tier of every banner that is open or scheduled; and
 * a warning when that cost exceeds what a player earns from dailies in N days. Pure: the import
 * preview, each admin edit and the Banner Studio all call `diffCatalogs`.
 */
import { type BannerPreview, previewBanner } from './banner-preview';
import { type Catalog, type LocalizedText, bannerPool } from './catalog';

export interface EntityChange {
  readonly id: string;
  /** Top-level fields that differ (`name`, `ratePpm`, `pity`, …). */
  readonly fields: readonly string[];
}

export interface EntityDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly EntityChange[];
}

export interface UnobtainableItem {
  readonly itemId: string;
  /** `removed`: no longer in the catalog; `no-pool`: defined, but no open or scheduled banner draws it. */
  readonly reason: 'removed' | 'no-pool';
}

export interface BannerConsequence {
  readonly bannerId: string;
  readonly before: BannerPreview | null;
  readonly after: BannerPreview;
}

export interface CatalogWarning {
  readonly kind: 'top-tier-cost';
  readonly bannerId: string;
  readonly expectedCost: number;
  readonly dailyIncome: number;
  readonly days: number;
  readonly message: LocalizedText;
}

export interface CatalogDiff {
  readonly tiers: EntityDiff;
  readonly items: EntityDiff;
  readonly banners: EntityDiff;
  /** Catalog-wide fields that differ (`pullCost`, `tenPullCost`, `tenPullGuaranteeTierId`, `mainLanguage`). */
  readonly settings: readonly string[];
  /** Items (owned ones, when `ownedItemIds` is given) that could be drawn before and no longer can. */
  readonly unobtainable: readonly UnobtainableItem[];
  /** Every banner of the new catalog that is open at `at` or scheduled after it. */
  readonly consequences: readonly BannerConsequence[];
  readonly warnings: readonly CatalogWarning[];
  /** True when nothing differs. */
  readonly unchanged: boolean;
}

/** What a player earns from dailies: amount plus the streak bonus, claimed every day. */
export interface DailyIncomeRules {
  readonly amount: number;
  readonly streakBonus: number;
  readonly streakCap: number;
}

export interface DiffOptions {
  /** The moment the change would apply: banners that ended before it are left out. */
  readonly at: Date;
  /** Items players own (e.g. from the ledger); without it every item of the old catalog counts. */
  readonly ownedItemIds?: Iterable<string>;
  readonly daily?: DailyIncomeRules;
  /** The N of the warning (default 30). */
  readonly budgetDays?: number;
}

/** Currency a player earns by claiming the daily reward on `days` consecutive days. */
export function dailyIncome(rules: DailyIncomeRules, days: number): number {
  let total = 0;
  for (let day = 1; day <= days; day++) total += rules.amount + Math.min(day - 1, rules.streakCap) * rules.streakBonus;
  return total;
}

function comparable(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function changedFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...keys].filter((k) => comparable(a[k]) !== comparable(b[k])).sort();
}

function diffEntities<T extends { id: string }>(before: readonly T[], after: readonly T[]): EntityDiff {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const changed: EntityChange[] = [];
  for (const [id, entity] of now) {
    const previous = old.get(id);
    if (!previous) continue;
    const fields = changedFields(previous, entity);
    if (fields.length > 0) changed.push({ id, fields });
  }
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed,
  };
}

function openOrScheduled(catalog: Catalog, at: Date) {
  return catalog.banners.filter((b) => !b.endsAt || b.endsAt > at);
}

/** Items that some banner open at `at` or scheduled after it can draw (tiers with a rate only). */
export function obtainableItemIds(catalog: Catalog, at: Date): Set<string> {
  const rated = new Set(catalog.tiers.filter((t) => t.ratePpm > 0).map((t) => t.id));
  const ids = new Set<string>();
  for (const banner of openOrScheduled(catalog, at)) {
    for (const item of bannerPool(catalog, banner)) if (rated.has(item.tierId)) ids.add(item.id);
  }
  return ids;
}

function formatNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function diffCatalogs(before: Catalog, after: Catalog, options: DiffOptions): CatalogDiff {
  const tiers = diffEntities(before.tiers, after.tiers);
  const items = diffEntities(before.items, after.items);
  const banners = diffEntities(before.banners, after.banners);
  const settings = (['mainLanguage', 'pullCost', 'tenPullCost', 'tenPullGuaranteeTierId'] as const).filter(
    (k) => comparable(before[k]) !== comparable(after[k]),
  );

  const candidates = options.ownedItemIds ? new Set(options.ownedItemIds) : new Set(before.items.map((i) => i.id));
  const wasObtainable = obtainableItemIds(before, options.at);
  const isObtainable = obtainableItemIds(after, options.at);
  const stillDefined = new Set(after.items.map((i) => i.id));
  const unobtainable: UnobtainableItem[] = [];
  for (const itemId of candidates) {
    if (!stillDefined.has(itemId)) {
      if (before.items.some((i) => i.id === itemId)) unobtainable.push({ itemId, reason: 'removed' });
    } else if (wasObtainable.has(itemId) && !isObtainable.has(itemId)) {
      unobtainable.push({ itemId, reason: 'no-pool' });
    }
  }

  const consequences: BannerConsequence[] = openOrScheduled(after, options.at).map((banner) => ({
    bannerId: banner.id,
    before: before.banners.some((b) => b.id === banner.id) ? previewBanner(before, banner.id) : null,
    after: previewBanner(after, banner.id),
  }));

  const warnings: CatalogWarning[] = [];
  if (options.daily) {
    const days = options.budgetDays ?? 30;
    const income = dailyIncome(options.daily, days);
    for (const { bannerId, after: preview } of consequences) {
      if (preview.expectedCostToTop <= income) continue;
      const cost = formatNumber(preview.expectedCostToTop);
      const earned = formatNumber(income);
      warnings.push({
        kind: 'top-tier-cost',
        bannerId,
        expectedCost: preview.expectedCostToTop,
        dailyIncome: income,
        days,
        message: {
          en: `On "${bannerId}" a top-tier item costs ${cost} on average: more than the ${earned} a player earns from dailies in ${days} days.`,
          ja: `「${bannerId}」で最高レアを引くのに平均 ${cost} かかります。デイリー${days}日分の報酬（${earned}）を超えています。`,
        },
      });
    }
  }

  const unchanged =
    [tiers, items, banners].every((d) => d.added.length + d.removed.length + d.changed.length === 0) &&
    settings.length === 0;
  return { tiers, items, banners, settings, unobtainable, consequences, warnings, unchanged };
}
