/**
 * Text of /gacha rates in Japanese and English: every entry takes the same typed parameters in both
 * languages (checked by test/discord/i18n.test.ts). Numbers arrive formatted for the language.
 */
import type { Locale } from '../../../domain/catalog';

export interface RatesStrings {
  readonly title: (p: { readonly banner: string }) => string;
  readonly legend: () => string;
  readonly hardPity: (p: { readonly pulls: string; readonly tier: string }) => string;
  readonly noHardPity: () => string;
  readonly softPity: (p: { readonly start: string; readonly step: string }) => string;
  readonly noSoftPity: () => string;
  readonly guarantee: (p: { readonly tier: string }) => string;
  readonly featured: (p: { readonly share: string }) => string;
  readonly spark: (p: { readonly threshold: string; readonly command: string }) => string;
  readonly noSpark: () => string;
  readonly expectedTop: (p: {
    readonly tier: string;
    readonly pulls: string;
    readonly cost: string;
    readonly currency: string;
  }) => string;
  readonly expectedItem: (p: {
    readonly item: string;
    readonly pulls: string;
    readonly cost: string;
    readonly currency: string;
  }) => string;
  readonly sparkCap: (p: { readonly pulls: string }) => string;
  readonly notInBanner: (p: { readonly item: string }) => string;
  readonly changedAt: (p: { readonly when: string }) => string;
  readonly neverChanged: () => string;
  readonly itemsHeader: (p: { readonly from: string; readonly to: string; readonly total: string }) => string;
  readonly page: (p: { readonly page: string; readonly pages: string }) => string;
  readonly fileNote: () => string;
  readonly csvHeader: () => string;
  readonly yes: () => string;
  readonly no: () => string;
}

export const RATES_STRINGS: Readonly<Record<Locale, RatesStrings>> = {
  en: {
    title: (p) => `Odds: ${p.banner}`,
    legend: () => 'Rate per pull → effective rate with pity (single / 10-pull)',
    hardPity: (p) => `Hard pity: a ${p.tier} is certain by pull ${p.pulls}`,
    noHardPity: () => 'No hard pity on this banner',
    softPity: (p) => `Soft pity: from pull ${p.start}, the top-tier rate rises by ${p.step} per pull`,
    noSoftPity: () => 'No soft pity on this banner',
    guarantee: (p) => `Every 10-pull has at least one ${p.tier} or better`,
    featured: (p) =>
      `Rate-up: ${p.share} of top-tier items are featured; after a miss, the next top-tier item is a guaranteed featured item`,
    spark: (p) => `Spark: at ${p.threshold} points (one per pull here), exchange for a featured item with ${p.command}`,
    noSpark: () => 'No spark exchange on this banner',
    expectedTop: (p) => `Expected to a ${p.tier}: about ${p.pulls} pulls ≈ ${p.cost} ${p.currency}`,
    expectedItem: (p) => `Expected to ${p.item}: about ${p.pulls} pulls ≈ ${p.cost} ${p.currency}`,
    sparkCap: (p) => ` (at most ${p.pulls} pulls with spark)`,
    notInBanner: (p) => `${p.item} is not drawn on this banner.`,
    changedAt: (p) => `Rates last changed ${p.when}`,
    neverChanged: () => 'Default rates: never changed on this server',
    itemsHeader: (p) => `Items ${p.from}–${p.to} of ${p.total} (rate per pull → effective rate)`,
    page: (p) => `Page ${p.page}/${p.pages}`,
    fileNote: () => 'Every item and its rates are in the attached CSV file.',
    csvHeader: () => 'item_id,name,tier,featured,rate_per_pull,effective_rate',
    yes: () => 'yes',
    no: () => 'no',
  },
  ja: {
    title: (p) => `提供割合: ${p.banner}`,
    legend: () => '排出率 → 天井込みの実質排出率（単発 / 10連）',
    hardPity: (p) => `天井: ${p.pulls}回で${p.tier}確定`,
    noHardPity: () => 'このガチャに天井はありません',
    softPity: (p) => `${p.start}回目から最高レアの排出率が1回ごとに${p.step}上昇`,
    noSoftPity: () => 'このガチャに確率上昇（ソフト天井）はありません',
    guarantee: (p) => `10連は${p.tier}以上が1つ確定`,
    featured: (p) =>
      `ピックアップ: 最高レアのうち${p.share}がピックアップ。すり抜けた場合、次の最高レアはピックアップ確定`,
    spark: (p) => `交換: ${p.threshold}ポイント（1回につき1ポイント）でピックアップと交換できます（${p.command}）`,
    noSpark: () => 'このガチャに交換はありません',
    expectedTop: (p) => `${p.tier}までの期待値: 約${p.pulls}回（約${p.cost}${p.currency}）`,
    expectedItem: (p) => `${p.item}までの期待値: 約${p.pulls}回（約${p.cost}${p.currency}）`,
    sparkCap: (p) => `（交換なら最大${p.pulls}回）`,
    notInBanner: (p) => `${p.item}はこのガチャでは排出されません。`,
    changedAt: (p) => `排出率の最終変更: ${p.when}`,
    neverChanged: () => '既定の排出率（このサーバーでは未変更）',
    itemsHeader: (p) => `排出アイテム: ${p.from}〜${p.to}件目/全${p.total}件（排出率 → 実質排出率）`,
    page: (p) => `${p.page}/${p.pages}ページ`,
    fileNote: () => '全アイテムの排出率は添付のCSVファイルにあります。',
    csvHeader: () => 'アイテムID,名前,レア度,ピックアップ,排出率,実質排出率',
    yes: () => 'はい',
    no: () => 'いいえ',
  },
};
