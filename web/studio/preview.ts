/**
 * The live preview: exact published odds, long-run rates, expected pulls and cost, the distribution
 * of the spend to a top-tier item (SVG), the daily-budget warning and the changes since the opened
 * file — all computed by app/domain, the code the bot runs.
 */
import type { BannerPreview, PullDistribution } from '../../app/domain/banner-preview';
import { type Catalog, type Locale } from '../../app/domain/catalog';
import { type CatalogDiff, type DailyIncomeRules, dailyIncome, diffCatalogs } from '../../app/domain/catalog-diff';
import { formatPercent } from '../../app/domain/rates';
import { type Child, h, svg } from './dom';
import type { Strings } from './i18n';

export interface Budget extends DailyIncomeRules {
  readonly days: number;
}

export function percent(probability: number): string {
  return formatPercent(probability, 4);
}

function number(value: number, locale: Locale): string {
  return Math.round(value).toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US');
}

function oddsTable(preview: BannerPreview, locale: Locale, t: Strings): HTMLElement {
  const d = preview.disclosure;
  return h('table', { class: 'odds' }, [
    h('caption', {}, [d.bannerName[locale]]),
    h('thead', {}, [
      h('tr', {}, [
        h('th', { scope: 'col' }, [t.tier]),
        h('th', { scope: 'col' }, [t.published]),
        h('th', { scope: 'col' }, [t.longRunSingle]),
        h('th', { scope: 'col' }, [t.longRunTen]),
        h('th', { scope: 'col' }, [t.itemCount]),
      ]),
    ]),
    h(
      'tbody',
      {},
      d.tiers.map((tier) =>
        h('tr', {}, [
          h('th', { scope: 'row' }, [`${tier.emoji} ${tier.name[locale]}`]),
          h('td', { 'data-testid': `odds-${tier.tierId}-published` }, [percent(tier.baseProbability)]),
          h('td', { 'data-testid': `odds-${tier.tierId}-single` }, [percent(tier.consolidatedSingle)]),
          h('td', { 'data-testid': `odds-${tier.tierId}-ten` }, [percent(tier.consolidatedTenPull)]),
          h('td', {}, [String(tier.itemCount)]),
        ]),
      ),
    ),
  ]);
}

function stat(label: string, value: string, testId: string): Child[] {
  return [h('dt', {}, [label]), h('dd', { 'data-testid': testId }, [value])];
}

function stats(preview: BannerPreview, locale: Locale, t: Strings): HTMLElement {
  const dist = preview.pullsToTop;
  return h('dl', { class: 'stats' }, [
    ...stat(t.expectedPulls, preview.expectedPullsToTop.toFixed(2), 'expected-pulls'),
    ...stat(t.expectedCost, number(preview.expectedCostToTop, locale), 'expected-cost'),
    ...(preview.expectedPullsToFeaturedTop !== null && preview.expectedCostToFeaturedTop !== null
      ? stat(
          t.expectedFeatured,
          `${preview.expectedPullsToFeaturedTop.toFixed(2)} / ${number(preview.expectedCostToFeaturedTop, locale)}`,
          'expected-featured',
        )
      : []),
    ...stat(t.quantiles, `${dist.median} / ${dist.p90} / ${dist.p99}${dist.truncated ? '+' : ''}`, 'quantiles'),
    ...stat(t.pity, preview.disclosure.pityCap > 0 ? String(preview.disclosure.pityCap) : t.none, 'pity-cap'),
  ]);
}

const W = 560;
const H = 240;
const M = { left: 48, right: 28, top: 12, bottom: 36 };

function polyline(dist: PullDistribution, maxPulls: number, cls: string): SVGElement {
  const points: string[] = [`${M.left},${H - M.bottom}`];
  const step = Math.max(1, Math.floor(dist.cdf.length / 400));
  for (let n = 1; n <= Math.min(dist.cdf.length, maxPulls); n += step) {
    const x = M.left + ((W - M.left - M.right) * n) / maxPulls;
    const y = H - M.bottom - (H - M.top - M.bottom) * (dist.cdf[n - 1] ?? 1);
    points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return svg('polyline', { points: points.join(' '), class: cls, fill: 'none' });
}

/** Cumulative chance of a top-tier (and a featured top-tier) item against currency spent. */
function plot(preview: BannerPreview, locale: Locale, t: Strings): SVGElement {
  const featured = preview.pullsToFeaturedTop;
  const longest = featured ?? preview.pullsToTop;
  const maxPulls = Math.max(1, Math.min(longest.cdf.length, Math.ceil(longest.p99 * 1.1)));
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(maxPulls * f));
  const axes: SVGElement[] = [];
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    const y = H - M.bottom - (H - M.top - M.bottom) * p;
    axes.push(svg('line', { x1: M.left, x2: W - M.right, y1: y, y2: y, class: 'grid' }));
    axes.push(svg('text', { x: M.left - 6, y: y + 4, 'text-anchor': 'end' }, [`${p * 100}%`]));
  }
  for (const n of xTicks) {
    const x = M.left + ((W - M.left - M.right) * n) / maxPulls;
    axes.push(
      svg('text', { x, y: H - M.bottom + 16, 'text-anchor': 'middle' }, [number(n * preview.pricePerPull, locale)]),
    );
  }
  axes.push(svg('text', { x: (W + M.left) / 2, y: H - 4, 'text-anchor': 'middle' }, [t.spend]));
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'plot-title plot-desc', class: 'plot' },
    [
      svg('title', { id: 'plot-title' }, [t.plotTitle]),
      svg('desc', { id: 'plot-desc' }, [
        `${t.plotTop}: ${t.quantiles} ${preview.pullsToTop.median} / ${preview.pullsToTop.p90} / ${preview.pullsToTop.p99}`,
      ]),
      ...axes,
      polyline(preview.pullsToTop, maxPulls, 'top'),
      featured ? polyline(featured, maxPulls, 'featured') : null,
    ],
  );
}

function legend(preview: BannerPreview, t: Strings): HTMLElement {
  return h('ul', { class: 'legend' }, [
    h('li', { class: 'top' }, [t.plotTop]),
    preview.pullsToFeaturedTop ? h('li', { class: 'featured' }, [t.plotFeatured]) : null,
  ]);
}

function changes(diff: CatalogDiff, locale: Locale, t: Strings): HTMLElement {
  if (diff.unchanged) return h('p', { 'data-testid': 'changes' }, [t.noChanges]);
  const lines: string[] = [];
  for (const [label, d] of [
    [t.tiers, diff.tiers],
    [t.items, diff.items],
    [t.banners, diff.banners],
  ] as const) {
    if (d.added.length) lines.push(`${label} ${t.added}: ${d.added.join(', ')}`);
    if (d.removed.length) lines.push(`${label} ${t.removed}: ${d.removed.join(', ')}`);
    if (d.changed.length)
      lines.push(`${label} ${t.changed}: ${d.changed.map((c) => `${c.id} (${c.fields.join(', ')})`).join('; ')}`);
  }
  if (diff.settings.length) lines.push(`${t.general} ${t.changed}: ${diff.settings.join(', ')}`);
  const unobtainable = diff.unobtainable.map((u) => `${u.itemId} (${u.reason})`);
  return h('div', { 'data-testid': 'changes' }, [
    h(
      'ul',
      {},
      lines.map((line) => h('li', {}, [line])),
    ),
    unobtainable.length ? h('p', { class: 'warning' }, [`${t.unobtainable}: ${unobtainable.join(', ')}`]) : null,
  ]);
}

export interface PreviewInput {
  readonly catalog: Catalog;
  readonly original: Catalog | null;
  readonly bannerId: string;
  readonly budget: Budget;
  readonly locale: Locale;
  readonly t: Strings;
  readonly now: Date;
}

export function renderPreview(input: PreviewInput): { body: HTMLElement; bannerId: string } {
  const { catalog, locale, t, budget } = input;
  const bannerId = catalog.banners.some((b) => b.id === input.bannerId)
    ? input.bannerId
    : (catalog.banners[0]?.id ?? '');
  const diff = diffCatalogs(input.original ?? catalog, catalog, {
    at: input.now,
    daily: budget,
    budgetDays: budget.days,
  });
  const consequence = diff.consequences.find((c) => c.bannerId === bannerId);
  const preview = consequence?.after;
  const income = number(dailyIncome(budget, budget.days), locale);
  const warnings = diff.warnings.map((w) => h('li', {}, [w.message[locale]]));
  return {
    bannerId,
    body: h('div', {}, [
      preview ? oddsTable(preview, locale, t) : null,
      preview ? stats(preview, locale, t) : null,
      preview
        ? h('figure', {}, [plot(preview, locale, t), h('figcaption', {}, [t.plotTitle]), legend(preview, t)])
        : null,
      h('section', { 'aria-labelledby': 'h-budget-result' }, [
        h('h3', { id: 'h-budget-result' }, [t.budget]),
        warnings.length
          ? h('ul', { class: 'warning', 'data-testid': 'warnings' }, warnings)
          : h('p', { 'data-testid': 'warnings' }, [t.budgetOk(budget.days, income)]),
      ]),
      input.original ? h('section', {}, [h('h3', {}, [t.changes]), changes(diff, locale, t)]) : null,
    ]),
  };
}
