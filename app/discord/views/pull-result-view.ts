/**
 * The pull result as a Components V2 message (pure: plain data in, discord.js builders out):
 *
 *   Container (accent = best rarity's colour)
 *     Text      title: count and banner
 *     Gallery   the pull image (attachment://pulls.jpg or pull.jpg)
 *     Text ×n   one block per item: tier glyph, name, NEW / shards, pick-up
 *     Separator
 *     Text      pity 74/90 · guarantee · spark 120/300 · shards · banner end · balance
 *     Row       [Pull ×1] [Pull ×10] [Odds] — custom ids carry the owner's user id
 *
 * No `content` or `embeds` (forbidden with the V2 flag); nobody is pinged (`allowed_mentions`
 * parses nothing); names are escaped and cut, so the total text stays under Discord's 4,000.
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ContainerBuilder,
  MediaGalleryBuilder,
  MediaGalleryItemBuilder,
  MessageFlags,
  SeparatorBuilder,
  SeparatorSpacingSize,
  TextDisplayBuilder,
  TimestampStyles,
  escapeMarkdown,
  time,
} from 'discord.js';
import type { Locale } from '../../domain/catalog';
import { pullButtonId } from './pull-button-ids';
import type { PullResultStrings } from './pull-result-strings';
import type { Mention } from '../command-mentions';

/** A command as plain text, when no mention helper is given. */
export const plainMention: Mention = (path) => `/${path}`;

export interface PullResultItem {
  readonly name: string;
  /** Tier label shown beside the name (e.g. "SSR" or "SSレア"). */
  readonly tierName: string;
  /** The tier's emoji from the catalog. */
  readonly tierEmoji: string;
  readonly tierColor: number;
  /** Higher is rarer; the best item tints the container. */
  readonly tierRank: number;
  readonly isNew: boolean;
  readonly shardsGained: number;
  readonly featured: boolean;
}

export interface PullResultViewInput {
  readonly locale: Locale;
  readonly strings: PullResultStrings;
  /** Command mentions (clients show the localized name); default the plain `/name` text. */
  readonly mention?: Mention;
  readonly ownerId: string;
  /** The puller's name as shown (escaped and cut here); absent: not shown. */
  readonly ownerName?: string;
  readonly bannerId: string;
  readonly bannerName: string;
  readonly items: readonly PullResultItem[];
  /** The rendered pull image to attach, or null for a text-only result. */
  readonly image: { readonly fileName: string; readonly data: Buffer; readonly description?: string } | null;
  /** Pulls since the last top-tier item and the hard pity (null: the banner has no hard pity). */
  readonly pity: { readonly count: number; readonly max: number } | null;
  /** Whether the next top-tier item is a guaranteed featured one (null: the banner has no rate-up). */
  readonly featuredGuaranteed: boolean | null;
  readonly spark: { readonly points: number; readonly threshold: number } | null;
  readonly shards: number;
  /** What the shards buy in the shard shop now, or how many more the cheapest tier needs. */
  readonly shardShop:
    | { readonly kind: 'buy'; readonly tier: string; readonly price: number }
    | { readonly kind: 'need'; readonly tier: string; readonly more: number }
    | null;
  readonly bannerEndsAt: Date | null;
  readonly balance: number;
  /** What this pull cost (null: not shown). */
  readonly cost?: number | null;
  readonly currencyName: string;
  /** Lines other features add below the status (e.g. a wish), already safe to show; at most 3. */
  readonly notes?: readonly string[];
}

export interface PullResultMessage {
  readonly flags: MessageFlags.IsComponentsV2;
  readonly components: [ContainerBuilder];
  readonly files: AttachmentBuilder[];
  readonly allowedMentions: { readonly parse: [] };
}

/** Longest item name shown (catalog names are ≤ 100; escaping can double them). */
const MAX_NAME = 100;
const MAX_INLINE = 60;
/** A server emoji (`<:name:id>` or animated `<a:name:id>`) is shown as it is. */
const CUSTOM_EMOJI = /^<a?:\w{2,32}:\d{17,20}>$/;

/** Escaped, single-line, bounded text for a message (markdown and mentions neutralised). */
export function safeInline(text: string, max = MAX_INLINE): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').trim();
  const graphemes = Array.from(
    new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(flat),
    (s) => s.segment,
  );
  const cut = graphemes.length > max ? `${graphemes.slice(0, max - 1).join('')}…` : flat;
  // Escaping markdown also breaks @everyone / <@id> forms; a zero-width space after @ finishes it.
  return escapeMarkdown(cut).replace(/@/g, '@\u200b');
}

function best(items: readonly PullResultItem[]): PullResultItem | null {
  return items.reduce<PullResultItem | null>((top, item) => (!top || item.tierRank > top.tierRank ? item : top), null);
}

function itemLine(item: PullResultItem, strings: PullResultStrings, format: Intl.NumberFormat): string {
  const badges: string[] = [];
  if (item.isNew) badges.push(strings.newBadge);
  else if (item.shardsGained > 0) badges.push(strings.shardBadge({ shards: format.format(item.shardsGained) }));
  if (item.featured) badges.push(strings.featured);
  const tier = safeInline(item.tierName, 24);
  const emoji = CUSTOM_EMOJI.test(item.tierEmoji) ? item.tierEmoji : safeInline(item.tierEmoji, 8);
  return `${emoji} **${safeInline(item.name, MAX_NAME)}** · ${tier}${badges.length ? ` · ${badges.join(' · ')}` : ''}`;
}

function statusLines(input: PullResultViewInput, format: Intl.NumberFormat): string {
  const { strings } = input;
  const lines: string[] = [];
  const facts: string[] = [];
  if (input.pity)
    facts.push(strings.pity({ count: format.format(input.pity.count), max: format.format(input.pity.max) }));
  if (input.spark)
    facts.push(
      strings.spark({ points: format.format(input.spark.points), threshold: format.format(input.spark.threshold) }),
    );
  facts.push(strings.shards({ shards: format.format(input.shards) }));
  lines.push(facts.join(' ｜ '));
  const shop = input.shardShop;
  if (shop?.kind === 'buy')
    lines.push(strings.shardsBuy({ tier: safeInline(shop.tier, 24), price: format.format(shop.price) }));
  else if (shop?.kind === 'need')
    lines.push(strings.shardsNeed({ tier: safeInline(shop.tier, 24), more: format.format(shop.more) }));
  if (input.featuredGuaranteed !== null)
    lines.push(input.featuredGuaranteed ? strings.nextTopFeatured : strings.nextTopFiftyFifty);
  if (input.spark && input.spark.threshold > 0 && input.spark.points >= input.spark.threshold)
    lines.push(strings.sparkReady({ spark: (input.mention ?? plainMention)('gacha spark') }));
  if (input.bannerEndsAt) {
    lines.push(
      strings.bannerEnds({
        relative: time(input.bannerEndsAt, TimestampStyles.RelativeTime),
        absolute: time(input.bannerEndsAt, TimestampStyles.LongDateShortTime),
      }),
    );
  }
  const currency = safeInline(input.currencyName, 32);
  const balance = strings.balance({ amount: format.format(input.balance), currency });
  lines.push(
    input.cost !== undefined && input.cost !== null
      ? `${strings.cost({ amount: format.format(input.cost), currency })} · ${balance}`
      : balance,
  );
  return lines.map((line) => `-# ${line}`).join('\n');
}

export function pullResultView(input: PullResultViewInput): PullResultMessage {
  if (input.items.length < 1 || input.items.length > 10) throw new RangeError('a pull result shows 1 to 10 items');
  const { strings } = input;
  const format = new Intl.NumberFormat(input.locale === 'ja' ? 'ja-JP' : 'en-US');
  const top = best(input.items);
  const container = new ContainerBuilder().setAccentColor(top?.tierColor ?? 0x5865f2);
  container.addTextDisplayComponents(
    new TextDisplayBuilder().setContent(
      strings.title({ count: input.items.length, banner: safeInline(input.bannerName) }) +
        (input.ownerName ? `\n-# ${strings.pulledBy({ player: safeInline(input.ownerName, 32) })}` : ''),
    ),
  );
  const files: AttachmentBuilder[] = [];
  if (input.image) {
    const file = new AttachmentBuilder(input.image.data, { name: input.image.fileName });
    files.push(file);
    const item = new MediaGalleryItemBuilder().setURL(`attachment://${input.image.fileName}`);
    if (input.image.description) item.setDescription(input.image.description.slice(0, 1024));
    container.addMediaGalleryComponents(new MediaGalleryBuilder().addItems(item));
  }
  for (const item of input.items) {
    container.addTextDisplayComponents(new TextDisplayBuilder().setContent(itemLine(item, strings, format)));
  }
  container.addSeparatorComponents(new SeparatorBuilder().setDivider(true).setSpacing(SeparatorSpacingSize.Small));
  container.addTextDisplayComponents(new TextDisplayBuilder().setContent(statusLines(input, format)));
  const notes = (input.notes ?? []).slice(0, 3).map((note) => note.slice(0, 300));
  if (notes.length > 0) container.addTextDisplayComponents(new TextDisplayBuilder().setContent(notes.join('\n')));
  const button = (action: 'p1' | 'p10' | 'odds', label: string, style: ButtonStyle): ButtonBuilder =>
    new ButtonBuilder()
      .setCustomId(pullButtonId({ action, ownerId: input.ownerId, bannerId: input.bannerId }))
      .setLabel(label)
      .setStyle(style);
  container.addActionRowComponents(
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      button('p1', strings.pullOne, ButtonStyle.Primary),
      button('p10', strings.pullTen, ButtonStyle.Primary),
      button('odds', strings.odds, ButtonStyle.Secondary),
    ),
  );
  return { flags: MessageFlags.IsComponentsV2, components: [container], files, allowedMentions: { parse: [] } };
}
