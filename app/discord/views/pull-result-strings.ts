/**
 * Text of the pull result message in Japanese and English (kept here until the bot's i18n module
 * takes it over). Every entry takes the same typed parameters in both languages.
 */
import type { Locale } from '../../domain/catalog';

export interface PullResultStrings {
  readonly title: (p: { readonly count: number; readonly banner: string }) => string;
  readonly newBadge: string;
  readonly shardBadge: (p: { readonly shards: string }) => string;
  readonly featured: string;
  readonly pity: (p: { readonly count: string; readonly max: string }) => string;
  readonly nextTopFeatured: string;
  readonly nextTopFiftyFifty: string;
  readonly spark: (p: { readonly points: string; readonly threshold: string }) => string;
  readonly sparkReady: string;
  readonly shards: (p: { readonly shards: string }) => string;
  readonly bannerEnds: (p: { readonly relative: string; readonly absolute: string }) => string;
  readonly balance: (p: { readonly amount: string; readonly currency: string }) => string;
  readonly pullOne: string;
  readonly pullTen: string;
  readonly odds: string;
}

export const PULL_RESULT_STRINGS: Record<Locale, PullResultStrings> = {
  en: {
    title: (p) => (p.count === 1 ? `## Pull · ${p.banner}` : `## ${p.count}-pull · ${p.banner}`),
    newBadge: '**NEW**',
    shardBadge: (p) => `◆ +${p.shards} shards`,
    featured: 'PICK UP',
    pity: (p) => `Pity ${p.count}/${p.max}`,
    nextTopFeatured: 'Next top-tier item is a guaranteed featured item',
    nextTopFiftyFifty: 'Next top-tier item: 50/50 for a featured item',
    spark: (p) => `Spark ${p.points}/${p.threshold}`,
    sparkReady: 'Spark ready: exchange for a featured item with /gacha spark',
    shards: (p) => `Shards ◆ ${p.shards}`,
    bannerEnds: (p) => `Banner ends ${p.relative} (${p.absolute})`,
    balance: (p) => `Balance ${p.amount} ${p.currency}`,
    pullOne: 'Pull ×1',
    pullTen: 'Pull ×10',
    odds: 'Odds',
  },
  ja: {
    title: (p) => (p.count === 1 ? `## 単発ガチャ・${p.banner}` : `## ${p.count}連ガチャ・${p.banner}`),
    newBadge: '**NEW**',
    shardBadge: (p) => `◆ かけら+${p.shards}`,
    featured: 'ピックアップ',
    pity: (p) => `天井まで ${p.count}/${p.max}`,
    nextTopFeatured: 'すり抜けた場合、次の最高レアはピックアップ確定',
    nextTopFiftyFifty: '次の最高レアは50%でピックアップ',
    spark: (p) => `交換ポイント ${p.points}/${p.threshold}`,
    sparkReady: '交換ポイントが貯まりました：/gacha spark でピックアップと交換できます',
    shards: (p) => `かけら ◆${p.shards}`,
    bannerEnds: (p) => `終了 ${p.relative}（${p.absolute}）`,
    balance: (p) => `所持 ${p.amount}${p.currency}`,
    pullOne: '単発',
    pullTen: '10連',
    odds: '排出率',
  },
};
