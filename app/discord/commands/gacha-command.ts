/** /gacha pull | rates | banners | spark */
import {
  EmbedBuilder,
  SlashCommandBuilder,
  type SlashCommandStringOption,
  type ChatInputCommandInteraction,
  InteractionContextType,
} from 'discord.js';
import { activeBanners, findBanner, type Locale } from '../../domain/catalog';
import { discloseBanner } from '../../domain/disclosure';
import { formatPercent } from '../../domain/rates';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { itemName, pullEmbed } from '../embeds';

function bannerOption(
  o: SlashCommandStringOption,
  required: boolean,
  en: string,
  ja: string,
): SlashCommandStringOption {
  return o
    .setName('banner')
    .setNameLocalizations({ ja: 'バナー' })
    .setDescription(en)
    .setDescriptionLocalizations({ ja })
    .setRequired(required)
    .setAutocomplete(true)
    .setMaxLength(64);
}

const data = new SlashCommandBuilder()
  .setName('gacha')
  .setNameLocalizations({ ja: 'ガチャ' })
  .setDescription('Pull, see the odds and banners')
  .setDescriptionLocalizations({ ja: 'ガチャを引く・提供割合・開催中のガチャ' })
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sc) =>
    sc
      .setName('pull')
      .setNameLocalizations({ ja: '引く' })
      .setDescription('Pull once or ten times')
      .setDescriptionLocalizations({ ja: '単発または10連で引く' })
      .addIntegerOption((o) =>
        o
          .setName('count')
          .setNameLocalizations({ ja: '回数' })
          .setDescription('1 or 10')
          .setDescriptionLocalizations({ ja: '1回か10回' })
          .addChoices({ name: '1', value: 1 }, { name: '10', value: 10 }),
      )
      .addStringOption((o) => bannerOption(o, false, 'Banner (default: standard)', 'ガチャの種類（既定: 常設）')),
  )
  .addSubcommand((sc) =>
    sc
      .setName('rates')
      .setNameLocalizations({ ja: '提供割合' })
      .setDescription('Published and long-run odds, pity and expected pulls')
      .setDescriptionLocalizations({ ja: '提供割合・天井・期待回数' })
      .addStringOption((o) => bannerOption(o, false, 'Banner (default: standard)', 'ガチャの種類（既定: 常設）')),
  )
  .addSubcommand((sc) =>
    sc
      .setName('banners')
      .setNameLocalizations({ ja: '開催中' })
      .setDescription('Open banners')
      .setDescriptionLocalizations({ ja: '開催中のガチャ一覧' }),
  )
  .addSubcommand((sc) =>
    sc
      .setName('spark')
      .setNameLocalizations({ ja: '交換' })
      .setDescription('Exchange spark points for a featured item')
      .setDescriptionLocalizations({ ja: '交換ポイントでピックアップを交換' })
      .addStringOption((o) => bannerOption(o, true, 'Limited banner', '限定ガチャ'))
      .addStringOption((o) =>
        o
          .setName('item')
          .setNameLocalizations({ ja: 'アイテム' })
          .setDescription('Featured item id')
          .setDescriptionLocalizations({ ja: 'ピックアップのアイテムID' })
          .setRequired(true)
          .setMaxLength(64),
      ),
  )
  .toJSON();

async function pull(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandReply> {
  const count = interaction.options.getInteger('count') ?? 1;
  const bannerId = interaction.options.getString('banner') ?? undefined;
  const result = await ctx.gacha.pull(
    { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
    { count, ...(bannerId ? { bannerId } : {}) },
    ctx.settingsSnapshot,
  );
  // The answer names what the charge used: the same settings revision.
  const catalog = result.settings.catalog;
  const banner = findBanner(catalog, result.bannerId);
  const pity = result.state.pity[banner.kind];
  const embed = pullEmbed({
    catalog,
    locale: ctx.locale,
    t: ctx.t,
    title: ctx.t.pullTitle({ user: interaction.user.username, count: result.count, banner: banner.name[ctx.locale] }),
    footer: ctx.t.pullFooter({
      cost: result.cost,
      balance: result.state.currency,
      pity: pity.sinceTop,
      cap: banner.pity.hardPity || '∞',
    }),
    items: result.items,
  });
  return { embeds: [embed] };
}

function percent(p: number): string {
  return formatPercent(p, 3);
}

function rates(interaction: ChatInputCommandInteraction, ctx: CommandContext): CommandReply {
  const catalog = ctx.settings.catalog;
  const bannerId =
    interaction.options.getString('banner') ?? catalog.banners.find((b) => b.kind === 'standard')?.id ?? '';
  const d = discloseBanner(catalog, bannerId);
  const L: Locale = ctx.locale;
  const tierLines = d.tiers.map(
    (t) =>
      `${t.emoji} **${t.name[L]}** ${percent(t.baseProbability)} → ${percent(t.consolidatedSingle)} / ${percent(t.consolidatedTenPull)} (${t.itemCount})`,
  );
  const guarantee = catalog.tiers.find((t) => t.id === d.tenPullGuaranteeTierId)?.name[L] ?? d.tenPullGuaranteeTierId;
  const embed = new EmbedBuilder().setTitle(ctx.t.ratesTitle({ banner: d.bannerName[L] })).setDescription(
    [
      ctx.t.ratesBody({
        hard: d.pity.hardPity || '—',
        soft: d.pity.softPityStart || '—',
        expected: d.expectedPullsToTop.toFixed(1),
        guarantee,
      }),
      d.rateUpShare > 0 && d.rateUpShare < 1 ? ctx.t.ratesFeatured({ share: percent(d.rateUpShare) }) : '',
      '',
      ...tierLines,
    ]
      .filter((l, i) => l !== '' || i === 2)
      .join('\n'),
  );
  const topItems = d.items.filter((i) => i.tierId === d.tiers[0]?.tierId || i.featured).slice(0, 20);
  embed.addFields({
    name: ctx.t.ratesItems(),
    value:
      topItems
        .map((i) => `${i.featured ? '★ ' : ''}${i.name[L]} ${percent(i.baseProbability)}`)
        .join('\n')
        .slice(0, 1024) || '—',
  });
  return { embeds: [embed] };
}

function banners(ctx: CommandContext): CommandReply {
  const L = ctx.locale;
  const catalog = ctx.settings.catalog;
  const lines = activeBanners(catalog, new Date()).map((b) =>
    ctx.t.bannerLine({
      name: b.name[L],
      id: b.id,
      kind: b.kind,
      until: b.endsAt ? `<t:${Math.floor(b.endsAt.getTime() / 1000)}:f>` : '',
      featured: b.featuredItemIds.map((id) => itemName(catalog, id, L)).join(', '),
    }),
  );
  return { embeds: [new EmbedBuilder().setTitle(ctx.t.bannersTitle()).setDescription(lines.join('\n'))] };
}

async function spark(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandReply> {
  const bannerId = interaction.options.getString('banner', true);
  const itemId = interaction.options.getString('item', true);
  const result = await ctx.gacha.exchangeSpark(
    { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
    bannerId,
    itemId,
    ctx.settingsSnapshot,
  );
  return {
    content: ctx.t.sparkDone({
      points: findBanner(result.settings.catalog, bannerId).sparkThreshold,
      item: itemName(result.settings.catalog, result.itemId, ctx.locale),
    }),
  };
}

export const gachaCommand: BotCommand = {
  data,
  adminOnly: false,
  cooldown: 'pull',
  async execute(interaction, ctx) {
    switch (interaction.options.getSubcommand()) {
      case 'pull':
        return pull(interaction, ctx);
      case 'rates':
        return rates(interaction, ctx);
      case 'banners':
        return banners(ctx);
      default:
        return spark(interaction, ctx);
    }
  },
  autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const open = activeBanners(ctx.settings.catalog, new Date());
    return Promise.resolve(
      open
        .filter((b) => b.id.includes(typed) || b.name[ctx.locale].toLowerCase().includes(typed))
        .slice(0, 25)
        .map((b) => ({ name: b.name[ctx.locale], value: b.id })),
    );
  },
};
