/**
 * Text of the pull result message in Japanese and English (kept here until the bot's i18n module
 * takes it over). Every entry takes the same typed parameters in both languages.
 */
import type { Locale } from '../../domain/catalog';

export interface PullResultStrings {
  readonly title: (p: { readonly count: number; readonly banner: string }) => string;
  /** Who pulled (their name as Discord shows it, escaped and cut). */
  readonly pulledBy: (p: { readonly player: string }) => string;
  readonly newBadge: string;
  readonly shardBadge: (p: { readonly shards: string }) => string;
  readonly featured: string;
  readonly pity: (p: { readonly count: string; readonly max: string }) => string;
  readonly nextTopFeatured: string;
  readonly nextTopFiftyFifty: string;
  readonly spark: (p: { readonly points: string; readonly threshold: string }) => string;
  /** `spark`: the mention of /gacha spark. */
  readonly sparkReady: (p: { readonly spark: string }) => string;
  readonly shards: (p: { readonly shards: string }) => string;
  readonly bannerEnds: (p: { readonly relative: string; readonly absolute: string }) => string;
  readonly balance: (p: { readonly amount: string; readonly currency: string }) => string;
  readonly cost: (p: { readonly amount: string; readonly currency: string }) => string;
  readonly pullOne: string;
  readonly pullTen: string;
  readonly odds: string;
  /** The currency's name when the server has not named it. */
  readonly currency: string;
  /** What the shards buy now: the dearest shop tier they afford. */
  readonly shardsBuy: (p: { readonly tier: string; readonly price: string }) => string;
  /** Shards still missing for the cheapest shop tier. */
  readonly shardsNeed: (p: { readonly more: string; readonly tier: string }) => string;
  /** Alt text of the pull picture. */
  readonly imageAlt: (p: { readonly count: number; readonly banner: string }) => string;
  /** Someone other than the puller pressed a button. */
  readonly notYours: (p: { readonly command: string }) => string;
  readonly oddsTitle: (p: { readonly banner: string }) => string;
  readonly oddsTier: (p: {
    readonly emoji: string;
    readonly tier: string;
    readonly rate: string;
    readonly longRun: string;
    readonly items: string;
  }) => string;
  readonly oddsPity: (p: { readonly hard: string; readonly soft: string; readonly expected: string }) => string;
  readonly oddsNoPity: string;
  readonly oddsFeatured: (p: { readonly share: string; readonly items: string }) => string;
  readonly oddsSpark: (p: { readonly threshold: string }) => string;
  /** `rates`: the mention of /gacha rates. */
  readonly oddsFooter: (p: { readonly rates: string }) => string;
}

export const PULL_RESULT_STRINGS: Record<Locale, PullResultStrings> = {
  en: {
    title: (p) => (p.count === 1 ? `## Pull · ${p.banner}` : `## ${p.count}-pull · ${p.banner}`),
    pulledBy: (p) => `Pulled by ${p.player}`,
    newBadge: '**NEW**',
    shardBadge: (p) => `◆ +${p.shards} shards`,
    featured: 'PICK UP',
    pity: (p) => `Pity ${p.count}/${p.max}`,
    nextTopFeatured: 'Next top-tier item is a guaranteed featured item',
    nextTopFiftyFifty: 'Next top-tier item: 50/50 for a featured item',
    spark: (p) => `Spark ${p.points}/${p.threshold}`,
    sparkReady: (p) => `Spark ready: exchange for a featured item with ${p.spark}`,
    shards: (p) => `Shards ◆ ${p.shards}`,
    bannerEnds: (p) => `Banner ends ${p.relative} (${p.absolute})`,
    balance: (p) => `Balance ${p.amount} ${p.currency}`,
    cost: (p) => `Cost ${p.amount} ${p.currency}`,
    pullOne: 'Pull ×1',
    pullTen: 'Pull ×10',
    odds: 'Odds',
    currency: 'coins',
    shardsBuy: (p) => `enough for a ${p.tier} item from the shard shop (◆ ${p.price})`,
    shardsNeed: (p) => `◆ ${p.more} more for a ${p.tier} item from the shard shop`,
    imageAlt: (p) => (p.count === 1 ? `The card pulled on ${p.banner}` : `${p.count} cards pulled on ${p.banner}`),
    notYours: (p) => `These buttons belong to the player who pulled. Use ${p.command} to pull yourself.`,
    oddsTitle: (p) => `## Odds · ${p.banner}`,
    oddsTier: (p) => `${p.emoji} **${p.tier}** ${p.rate} (long-run ${p.longRun}) · ${p.items} items`,
    oddsPity: (p) =>
      `Top tier guaranteed by pull ${p.hard}; rates rise from pull ${p.soft}; about ${p.expected} pulls per top-tier item on average`,
    oddsNoPity: 'No pity on this banner',
    oddsFeatured: (p) => `Featured (${p.share} of their tier): ${p.items}`,
    oddsSpark: (p) => `Spark: pick a featured item after ${p.threshold} pulls`,
    oddsFooter: (p) => `Full list: ${p.rates}`,
  },
  ja: {
    title: (p) => (p.count === 1 ? `## 単発ガチャ・${p.banner}` : `## ${p.count}連ガチャ・${p.banner}`),
    pulledBy: (p) => `${p.player}さんのガチャ結果`,
    newBadge: '**NEW**',
    shardBadge: (p) => `◆ かけら+${p.shards}`,
    featured: 'ピックアップ',
    pity: (p) => `天井まで${p.count}/${p.max}`,
    nextTopFeatured: 'すり抜けた場合、次の最高レアはピックアップ確定',
    nextTopFiftyFifty: '次の最高レアは50%でピックアップ',
    spark: (p) => `交換ポイント${p.points}/${p.threshold}`,
    sparkReady: (p) => `交換ポイントが貯まりました：${p.spark} でピックアップと交換できます`,
    shards: (p) => `かけら ◆${p.shards}`,
    bannerEnds: (p) => `終了 ${p.relative}（${p.absolute}）`,
    balance: (p) => `所持${p.amount}${p.currency}`,
    cost: (p) => `消費${p.amount}${p.currency}`,
    pullOne: '単発',
    pullTen: '10連',
    odds: '排出率',
    currency: '通貨',
    shardsBuy: (p) => `かけら交換所で${p.tier}のアイテムと交換できます（◆${p.price}）`,
    shardsNeed: (p) => `あと◆${p.more}で${p.tier}のアイテムと交換できます`,
    imageAlt: (p) => (p.count === 1 ? `${p.banner}で引いたカード` : `${p.banner}で引いた${p.count}枚のカード`),
    notYours: (p) => `このボタンはガチャを引いた本人だけが使えます。${p.command} で引いてください。`,
    oddsTitle: (p) => `## 排出率・${p.banner}`,
    oddsTier: (p) => `${p.emoji} **${p.tier}** ${p.rate}（実質排出率${p.longRun}）・${p.items}種`,
    oddsPity: (p) => `${p.hard}回目で最高レア確定、${p.soft}回目から確率上昇、最高レア1枚あたり平均約${p.expected}回`,
    oddsNoPity: 'このガチャに天井はありません',
    oddsFeatured: (p) => `ピックアップ（同レア内${p.share}）：${p.items}`,
    oddsSpark: (p) => `${p.threshold}回引くとピックアップを1つ選んで交換できます`,
    oddsFooter: (p) => `全アイテムの排出率：${p.rates}`,
  },
};
