/**
 * /gacha rates [banner] [item]: every item's probability (paged with buttons only the opener can
 * use; large pools also as an attached CSV file), per-tier published and effective rates, hard and
 * soft pity, the 10-pull guarantee, the rate-up rule, the spark threshold, the expected cost to the
 * top tier and to a chosen item, and when the rates last changed.
 */
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import type { APIEmbedField, AutocompleteInteraction } from 'discord.js';
import type { Catalog, Locale } from '../../../domain/catalog';
import { activeBanners } from '../../../domain/catalog';
import { type BannerDisclosure, type ItemDisclosure, discloseBanner } from '../../../domain/disclosure';
import { PPM, formatPercent } from '../../../domain/rates';
import type { CommandContext, CommandReply } from '../../command';
import { formatDecimal, formatNumber } from '../../i18n';
import type { Subcommand } from '../../subcommand';
import { oddsChangelogField } from '../admin/odds-changelog-view';
import { autocompleteOpenBanner, bannerOption } from './banner-option';
import { RATES_STRINGS, type RatesStrings } from './rates-strings';

/** Items listed per page (each line ≤ ~120 characters: a page stays far below 4,096). */
export const RATES_PAGE_SIZE = 20;
/** Pools larger than this also get every item as an attached CSV file. */
export const RATES_FILE_THRESHOLD = 100;
const MAX_NAME = 60;
/** The button action: `gacha:rp:<banner index>:<page>:<item index or ->:<opener id>` (≤ 100 characters). */
const PAGE_ACTION = 'rp';

function percent(p: number): string {
  return formatPercent(p, 4);
}

function name(text: string): string {
  const clean = text.replace(/[\n\r]/g, ' ');
  return clean.length > MAX_NAME ? `${clean.slice(0, MAX_NAME - 1)}…` : clean;
}

interface RatesView {
  readonly catalog: Catalog;
  readonly bannerIndex: number;
  readonly page: number;
  /** Index of the chosen item in the disclosure's list, or -1. */
  readonly itemIndex: number;
  /** The chosen item id when it is not drawn on this banner. */
  readonly missingItem: string | null;
  readonly ownerId: string;
  readonly changedAt: Date | null;
  /** The banner's public odds changelog (changes made while it ran), if any. */
  readonly changelog: APIEmbedField | null;
}

function expectedLines(ctx: CommandContext, s: RatesStrings, d: BannerDisclosure, view: RatesView): string[] {
  const L = ctx.locale;
  const perPull = Math.min(d.pullCost, d.tenPullCost / 10);
  const cost = (pulls: number) => formatNumber(L, Math.ceil(pulls * perPull));
  const top = [...d.tiers].sort((a, b) => b.rank - a.rank)[0];
  const lines: string[] = [];
  if (top) {
    lines.push(
      s.expectedTop({
        tier: top.name[L],
        pulls: formatDecimal(L, d.expectedPullsToTop),
        cost: cost(d.expectedPullsToTop),
        currency: ctx.currencyName,
      }),
    );
  }
  const item: ItemDisclosure | undefined = d.items[view.itemIndex];
  if (item) {
    const featuredTop = d.items.filter((i) => i.featured && i.tierId === top?.tierId).length;
    const pulls =
      item.featured && item.tierId === top?.tierId && d.expectedPullsToFeaturedTop !== null
        ? d.expectedPullsToFeaturedTop * featuredTop
        : item.consolidatedSingle > 0
          ? 1 / item.consolidatedSingle
          : Number.POSITIVE_INFINITY;
    const capped = item.featured && d.sparkThreshold > 0 && pulls > d.sparkThreshold;
    lines.push(
      s.expectedItem({
        item: `**${name(item.name[L])}**`,
        pulls: Number.isFinite(pulls) ? formatDecimal(L, pulls) : '∞',
        cost: Number.isFinite(pulls) ? cost(pulls) : '∞',
        currency: ctx.currencyName,
      }) + (capped ? s.sparkCap({ pulls: formatNumber(L, d.sparkThreshold) }) : ''),
    );
  } else if (view.missingItem !== null) {
    lines.push(s.notInBanner({ item: `\`${view.missingItem.slice(0, 64)}\`` }));
  }
  return lines;
}

function ratesView(ctx: CommandContext, view: RatesView): CommandReply {
  const L: Locale = ctx.locale;
  const s = RATES_STRINGS[L];
  const banner = view.catalog.banners[view.bannerIndex];
  if (!banner) return { content: ctx.t.expired(), ephemeral: true };
  const d = discloseBanner(view.catalog, banner.id);
  const tierName = (tierId: string) => view.catalog.tiers.find((t) => t.id === tierId)?.name[L] ?? tierId;
  const top = [...d.tiers].sort((a, b) => b.rank - a.rank)[0];
  const tierLines = d.tiers.map(
    (t) =>
      `${t.emoji} **${name(t.name[L])}** ${percent(t.baseProbability)} → ${percent(t.consolidatedSingle)} / ${percent(t.consolidatedTenPull)} (${formatNumber(L, t.itemCount)})`,
  );
  const rules = [
    d.pity.hardPity > 0
      ? s.hardPity({ pulls: formatNumber(L, d.pity.hardPity), tier: top ? top.name[L] : '' })
      : s.noHardPity(),
    d.pity.softPityStart > 0 && d.pity.softPityStepPpm > 0
      ? s.softPity({ start: formatNumber(L, d.pity.softPityStart), step: percent(d.pity.softPityStepPpm / PPM) })
      : s.noSoftPity(),
    s.guarantee({ tier: tierName(d.tenPullGuaranteeTierId) }),
    ...(d.rateUpShare > 0 && d.rateUpShare < 1 ? [s.featured({ share: percent(d.rateUpShare) })] : []),
    d.sparkThreshold > 0
      ? s.spark({ threshold: formatNumber(L, d.sparkThreshold), command: ctx.mention('gacha spark') })
      : s.noSpark(),
    ...expectedLines(ctx, s, d, view),
    view.changedAt ? s.changedAt({ when: `<t:${Math.floor(view.changedAt.getTime() / 1000)}:f>` }) : s.neverChanged(),
  ].map((line) => `• ${line}`);
  const pages = Math.max(1, Math.ceil(d.items.length / RATES_PAGE_SIZE));
  const page = Math.min(Math.max(0, view.page), pages - 1);
  const shown = d.items.slice(page * RATES_PAGE_SIZE, (page + 1) * RATES_PAGE_SIZE);
  const emoji = (tierId: string) => d.tiers.find((t) => t.tierId === tierId)?.emoji ?? '';
  const itemLines = shown.map(
    (i) =>
      `${i.featured ? '★' : ''}${emoji(i.tierId)} ${name(i.name[L])} ${percent(i.baseProbability)} → ${percent(i.consolidatedSingle)}`,
  );
  const from = d.items.length === 0 ? 0 : page * RATES_PAGE_SIZE + 1;
  const description = [
    s.legend(),
    ...tierLines,
    '',
    ...rules,
    '',
    `**${s.itemsHeader({ from: formatNumber(L, from), to: formatNumber(L, page * RATES_PAGE_SIZE + shown.length), total: formatNumber(L, d.items.length) })}**`,
    ...itemLines,
    ...(d.items.length > RATES_FILE_THRESHOLD ? ['', s.fileNote()] : []),
  ].join('\n');
  const embed = new EmbedBuilder()
    .setTitle(s.title({ banner: name(d.bannerName[L]) }))
    .setDescription(description.slice(0, 4_096))
    .setFooter({ text: s.page({ page: formatNumber(L, page + 1), pages: formatNumber(L, pages) }) });
  const id = (p: number) =>
    `gacha:${PAGE_ACTION}:${view.bannerIndex}:${p}:${view.itemIndex >= 0 ? view.itemIndex : '-'}:${view.ownerId}`;
  const components =
    pages > 1
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId(id(page - 1))
              .setLabel('◀')
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(page <= 0),
            new ButtonBuilder()
              .setCustomId(id(page + 1))
              .setLabel('▶')
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(page >= pages - 1),
          ),
        ]
      : [];
  if (view.changelog) embed.addFields(view.changelog);
  return { embeds: [embed], components };
}

/** Every item of the banner as CSV (UTF-8 with BOM so spreadsheet programs read Japanese). */
export function ratesCsv(d: BannerDisclosure, locale: Locale, s: RatesStrings): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const rows = d.items.map((i) =>
    [
      i.itemId,
      i.name[locale],
      i.tierId,
      i.featured ? s.yes() : s.no(),
      i.baseProbability.toFixed(8),
      i.consolidatedSingle.toFixed(8),
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${[s.csvHeader(), ...rows].join('\r\n')}\r\n`;
}

export const ratesSubcommand: Subcommand = {
  name: 'rates',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '提供割合' })
      .setDescription('Every item’s odds, pity, spark, expected cost, last change')
      .setDescriptionLocalizations({ ja: '全アイテムの排出率・天井・交換・期待値・最終変更日' })
      .addStringOption((o) => bannerOption(o, false, 'Banner (default: standard)', 'ガチャの種類（既定: 常設）'))
      .addStringOption((o) =>
        o
          .setName('item')
          .setNameLocalizations({ ja: 'アイテム' })
          .setDescription('An item to show the expected cost of (e.g. a featured one)')
          .setDescriptionLocalizations({ ja: '期待値を表示するアイテム（ピックアップなど）' })
          .setAutocomplete(true)
          .setMaxLength(64),
      ),
  async execute(interaction, ctx) {
    const catalog = ctx.settings.catalog;
    const requested = interaction.options.getString('banner');
    const bannerIndex = requested
      ? catalog.banners.findIndex((b) => b.id === requested)
      : catalog.banners.findIndex((b) => b.kind === 'standard');
    if (bannerIndex < 0) {
      return { content: ctx.t.errors['unknown-banner']({ bannerId: (requested ?? '').slice(0, 64) }), ephemeral: true };
    }
    const banner = catalog.banners[bannerIndex];
    const d = discloseBanner(catalog, banner?.id ?? '');
    const itemId = interaction.options.getString('item');
    const itemIndex = itemId ? d.items.findIndex((i) => i.itemId === itemId) : -1;
    const reply = ratesView(ctx, {
      catalog,
      bannerIndex,
      page: 0,
      itemIndex,
      missingItem: itemId && itemIndex < 0 ? itemId : null,
      ownerId: ctx.userId,
      changedAt: await ctx.gacha.ratesChangedAt(ctx.guildId),
      changelog: await oddsChangelogField(ctx, banner?.id ?? ''),
    });
    if (d.items.length <= RATES_FILE_THRESHOLD) return reply;
    const csv = ratesCsv(d, ctx.locale, RATES_STRINGS[ctx.locale]);
    return { ...reply, files: [new AttachmentBuilder(Buffer.from(csv), { name: `rates-${d.bannerId}.csv` })] };
  },
  buttons: {
    async [PAGE_ACTION](_interaction, ctx, [bannerIndex = '', page = '', itemIndex = '', ownerId = '']) {
      if (ownerId !== ctx.userId) return { content: ctx.t.notYourButton(), ephemeral: true };
      const index = (text: string) => (/^\d{1,4}$/.test(text) ? Number(text) : -1);
      return ratesView(ctx, {
        catalog: ctx.settings.catalog,
        bannerIndex: index(bannerIndex),
        page: Math.max(0, index(page)),
        itemIndex: index(itemIndex),
        missingItem: null,
        ownerId,
        changedAt: await ctx.gacha.ratesChangedAt(ctx.guildId),
        changelog: await oddsChangelogField(ctx, ctx.settings.catalog.banners[index(bannerIndex)]?.id ?? ''),
      });
    },
  },
  autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'item') return autocompleteOpenBanner(interaction, ctx);
    const typed = focused.value.toLowerCase();
    const catalog = ctx.settings.catalog;
    const bannerId = interaction.options.getString('banner');
    const banner =
      catalog.banners.find((b) => b.id === bannerId) ??
      activeBanners(catalog, new Date()).find((b) => b.kind === 'limited');
    const featured = new Set(banner?.featuredItemIds ?? []);
    return Promise.resolve(
      [...catalog.items]
        .sort((a, b) => Number(featured.has(b.id)) - Number(featured.has(a.id)))
        .filter((i) => i.id.toLowerCase().includes(typed) || i.name[ctx.locale].toLowerCase().includes(typed))
        .slice(0, 25)
        .map((i) => ({ name: `${featured.has(i.id) ? '★ ' : ''}${i.name[ctx.locale]}`.slice(0, 100), value: i.id })),
    );
  },
};
