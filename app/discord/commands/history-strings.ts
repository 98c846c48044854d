/** Text of /history in Japanese and English (typed parameters, the same in both; numbers arrive formatted). */
import type { Locale } from '../../domain/catalog';

export interface HistoryStrings {
  readonly title: (p: { readonly user: string; readonly total: string }) => string;
  readonly pullLine: (p: {
    readonly when: string;
    readonly banner: string;
    readonly count: string;
    readonly cost: string;
    readonly currency: string;
  }) => string;
  readonly sparkLine: (p: { readonly when: string; readonly banner: string }) => string;
  readonly monthlyTitle: () => string;
  readonly monthLine: (p: {
    readonly month: string;
    readonly spent: string;
    readonly currency: string;
    readonly pulls: string;
  }) => string;
  readonly noSpending: () => string;
  readonly more: (p: { readonly count: string }) => string;
}

export const HISTORY_STRINGS: Readonly<Record<Locale, HistoryStrings>> = {
  en: {
    title: (p) => `${p.user}'s pulls (${p.total})`,
    pullLine: (p) =>
      `${p.when} **${p.banner}** · ${p.count === '1' ? 'single' : `${p.count}-pull`} · ${p.cost} ${p.currency}`,
    sparkLine: (p) => `${p.when} **${p.banner}** · spark exchange`,
    monthlyTitle: () => 'Spent per month',
    monthLine: (p) => `${p.month}: ${p.spent} ${p.currency} (${p.pulls} ${p.pulls === '1' ? 'pull' : 'pulls'})`,
    noSpending: () => 'Nothing spent in the last months.',
    more: (p) => `+${p.count} more`,
  },
  ja: {
    title: (p) => `${p.user}のガチャ履歴（${p.total}件）`,
    pullLine: (p) =>
      `${p.when} **${p.banner}** · ${p.count === '1' ? '単発' : `${p.count}連`} · ${p.cost}${p.currency}`,
    sparkLine: (p) => `${p.when} **${p.banner}** · 交換`,
    monthlyTitle: () => '月別の消費',
    monthLine: (p) => `${p.month}: ${p.spent}${p.currency}（${p.pulls}回）`,
    noSpending: () => '最近の消費はありません。',
    more: (p) => `ほか${p.count}件`,
  },
};
