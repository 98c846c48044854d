/**
 * The pull result as a reply: what the charge returned (under the settings revision it used), the
 * player's state after it and the rendered picture → the Components V2 view; and the private odds
 * answer of the [Odds] button.
 */
import { type Locale, findBanner, findTier } from '../../domain/catalog';
import { discloseBanner } from '../../domain/disclosure';
import type { GuildSettings } from '../../domain/guild-settings';
import type { PlayerState } from '../../domain/player-state';
import type { PulledItem } from '../../domain/pull-engine';
import { formatPercent } from '../../domain/rates';
import { exchangePrice } from '../../domain/shard-shop';
import type { CommandReply } from '../command';
import { PULL_RESULT_STRINGS } from './pull-result-strings';
import type { Mention } from '../command-mentions';
import { type PullResultViewInput, plainMention, pullResultView, safeInline } from './pull-result-view';

/** What a pull answer is drawn from (a PullResult's fields). */
export interface PullOutcome {
  readonly settings: GuildSettings;
  readonly bannerId: string;
  readonly items: readonly PulledItem[];
  readonly state: PlayerState;
  readonly cost: number;
}

export interface PullPicture {
  readonly fileName: string;
  readonly data: Buffer;
}

/** The dearest shop tier the shards buy now, or the shards still missing for the cheapest. */
export function shardShopFact(
  settings: GuildSettings,
  shards: number,
  locale: Locale,
): PullResultViewInput['shardShop'] {
  const tiers = [...settings.catalog.tiers]
    .map((tier) => ({ tier, price: exchangePrice(settings, tier.id) }))
    .sort((a, b) => a.price - b.price || a.tier.rank - b.tier.rank);
  const cheapest = tiers[0];
  if (!cheapest) return null;
  const affordable = tiers.filter((t) => t.price <= shards).at(-1);
  if (affordable) return { kind: 'buy', tier: affordable.tier.name[locale], price: affordable.price };
  return { kind: 'need', tier: cheapest.tier.name[locale], more: cheapest.price - shards };
}

export function pullReply(
  outcome: PullOutcome,
  owner: { readonly id: string; readonly name: string },
  locale: Locale,
  picture: PullPicture | null,
  notes: readonly string[] = [],
  mention: Mention = plainMention,
): CommandReply {
  const { settings, state } = outcome;
  const catalog = settings.catalog;
  const banner = findBanner(catalog, outcome.bannerId);
  const strings = PULL_RESULT_STRINGS[locale];
  const pity = state.pity[banner.kind];
  const share = banner.rateUpSharePpm;
  const hasRateUp = banner.featuredItemIds.length > 0 && share > 0 && share < 1_000_000;
  const bannerName = banner.name[locale];
  const view = pullResultView({
    locale,
    strings,
    mention,
    ownerId: owner.id,
    ownerName: owner.name,
    bannerId: banner.id,
    bannerName,
    items: outcome.items.map((pulled) => {
      const tier = findTier(catalog, pulled.tierId);
      const item = catalog.items.find((i) => i.id === pulled.itemId);
      return {
        name: item?.name[locale] ?? pulled.itemId,
        tierName: tier.name[locale],
        tierEmoji: tier.emoji,
        tierColor: tier.color,
        tierRank: tier.rank,
        isNew: !pulled.duplicate,
        shardsGained: pulled.shardsGained,
        featured: pulled.featured,
      };
    }),
    image: picture
      ? {
          ...picture,
          description: strings.imageAlt({ count: outcome.items.length, banner: bannerName.slice(0, 200) }),
        }
      : null,
    pity: banner.pity.hardPity > 0 ? { count: pity.sinceTop, max: banner.pity.hardPity } : null,
    featuredGuaranteed: hasRateUp ? pity.featuredGuaranteed : null,
    spark:
      banner.sparkThreshold > 0
        ? {
            points: state.spark.bannerId === banner.id ? state.spark.points : 0,
            threshold: banner.sparkThreshold,
          }
        : null,
    shards: state.shards,
    shardShop: shardShopFact(settings, state.shards, locale),
    bannerEndsAt: banner.endsAt ?? null,
    balance: state.currency,
    cost: outcome.cost,
    currencyName: strings.currency,
    notes,
  });
  return {
    components: view.components,
    files: view.files,
    allowedMentions: view.allowedMentions,
    componentsV2: true,
  };
}

/** The banner's odds, privately: published and long-run rate per tier, pity, featured items, spark. */
export function oddsReply(
  settings: GuildSettings,
  bannerId: string,
  locale: Locale,
  mention: Mention = plainMention,
): CommandReply {
  const strings = PULL_RESULT_STRINGS[locale];
  const d = discloseBanner(settings.catalog, bannerId);
  const percent = (p: number): string => formatPercent(p, 3);
  const format = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US');
  const lines = [strings.oddsTitle({ banner: safeInline(d.bannerName[locale]) })];
  for (const tier of d.tiers) {
    lines.push(
      strings.oddsTier({
        emoji: safeInline(tier.emoji, 8),
        tier: safeInline(tier.name[locale], 24),
        rate: percent(tier.baseProbability),
        longRun: percent(tier.consolidatedSingle),
        items: format.format(tier.itemCount),
      }),
    );
  }
  lines.push(
    d.pity.hardPity > 0
      ? strings.oddsPity({
          hard: format.format(d.pity.hardPity),
          soft: d.pity.softPityStart > 0 ? format.format(d.pity.softPityStart) : '—',
          expected: d.expectedPullsToTop.toFixed(1),
        })
      : strings.oddsNoPity,
  );
  const featured = d.items.filter((i) => i.featured).slice(0, 10);
  if (featured.length > 0 && d.rateUpShare > 0) {
    lines.push(
      strings.oddsFeatured({
        share: percent(d.rateUpShare),
        items: featured.map((i) => safeInline(i.name[locale], 40)).join('、'),
      }),
    );
  }
  if (d.sparkThreshold > 0) lines.push(strings.oddsSpark({ threshold: format.format(d.sparkThreshold) }));
  lines.push(`-# ${strings.oddsFooter({ rates: mention('gacha rates') })}`);
  return { content: lines.join('\n').slice(0, 2_000), allowedMentions: { parse: [] }, ephemeral: true };
}
