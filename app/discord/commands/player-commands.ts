/** /daily, /profile, /collection, /leaderboard (/history is in history-command.ts) */
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  EmbedBuilder,
  SlashCommandBuilder,
  InteractionContextType,
} from 'discord.js';
import {
  type CollectionFilter,
  DEFAULT_FILTER,
  SEARCH_MAX,
  decodeFilter,
  encodeFilter,
  filterCollection,
} from '../../domain/collection-view';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { itemName, tierOf } from '../embeds';
import { socialStrings } from '../social-strings';

const COLLECTION_PAGE_SIZE = 15;

export const dailyCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('daily')
    .setNameLocalizations({ ja: 'デイリー' })
    .setDescription('Claim your daily currency')
    .setDescriptionLocalizations({ ja: '毎日の通貨を受け取る' })
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    const result = await ctx.gacha.daily(
      { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
      ctx.settingsSnapshot,
    );
    return {
      content: ctx.t.dailyClaimed({
        amount: result.amount,
        streak: result.streak,
        balance: result.state.currency,
        currency: ctx.currencyName,
      }),
    };
  },
};

export const profileCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('profile')
    .setNameLocalizations({ ja: 'プロフィール' })
    .setDescription('Currency, shards, pity, spark points and streak')
    .setDescriptionLocalizations({ ja: '所持通貨・欠片・天井・交換ポイント・連続日数' })
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    const player = { guildId: ctx.guildId, userId: ctx.userId };
    const [profile, prefs] = await Promise.all([
      ctx.gacha.profile(player, ctx.settingsSnapshot),
      ctx.social.prefs(player),
    ]);
    const s = profile.state;
    const t = ctx.t;
    const favourite =
      prefs.favouriteItemId && (s.owned[prefs.favouriteItemId] ?? 0) > 0
        ? itemName(profile.settings.catalog, prefs.favouriteItemId, ctx.locale).slice(0, 80)
        : null;
    const embed = new EmbedBuilder()
      .setTitle(t.profileTitle({ user: displayNameOf(interaction, ctx, ctx.userId) }))
      .setColor(0x5865f2)
      .addFields(
        { name: t.currency({ currency: ctx.currencyName }), value: t.count({ value: s.currency }), inline: true },
        { name: t.shards(), value: t.count({ value: s.shards }), inline: true },
        { name: t.totalPulls(), value: t.count({ value: s.totalPulls }), inline: true },
        {
          name: t.pity(),
          value: t.profilePity({ standard: s.pity.standard.sinceTop, limited: s.pity.limited.sinceTop }),
          inline: true,
        },
        { name: t.spark(), value: t.count({ value: s.spark.points }), inline: true },
        { name: t.streak(), value: t.streakDays({ days: s.daily.streak }), inline: true },
        {
          name: t.collectionProgress(),
          value: t.fraction({ value: profile.distinctItems, total: profile.totalItems }),
          inline: true,
        },
      );
    if (favourite) embed.addFields({ name: socialStrings(ctx.locale).favourite(), value: favourite, inline: true });
    return { embeds: [embed], ephemeral: true };
  },
};

/** The member's name in this server (nickname, global name, username), never a raw mention. */
function displayNameOf(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: CommandContext,
  userId: string,
) {
  const member = interaction.guild?.members.cache.get(userId);
  if (member) return member.displayName.slice(0, 40);
  if (interaction.user.id === userId) return interaction.user.displayName.slice(0, 40);
  return socialStrings(ctx.locale).aMember();
}

function collectionPager(openerId: string, targetId: string, page: number, pages: number, code: string) {
  const id = (p: number) => `collection:page:${openerId}:${targetId}:${p}:${code}`.slice(0, 100);
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
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
  );
}

function filterSummary(ctx: CommandContext, filter: CollectionFilter): string {
  const s = socialStrings(ctx.locale);
  const catalog = ctx.settings.catalog;
  const parts: string[] = [];
  if (filter.tierId)
    parts.push(s.filterTier({ tier: tierOf(catalog, filter.tierId)?.name[ctx.locale] ?? filter.tierId }));
  if (filter.bannerId) {
    const banner = catalog.banners.find((b) => b.id === filter.bannerId);
    parts.push(s.filterBanner({ banner: (banner?.name[ctx.locale] ?? filter.bannerId).slice(0, 60) }));
  }
  if (filter.show === 'missing') parts.push(s.filterMissing());
  if (filter.duplicates) parts.push(s.filterDuplicates());
  if (filter.search) parts.push(s.filterSearch({ text: filter.search }));
  return parts.length > 0 ? s.collectionFilters({ filters: parts.join(' · ') }) : '';
}

async function collectionPage(
  ctx: CommandContext,
  view: { openerId: string; targetId: string; targetName: string },
  filter: CollectionFilter,
  page: number,
): Promise<CommandReply> {
  const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: view.targetId }, ctx.settingsSnapshot);
  const catalog = profile.settings.catalog;
  const s = socialStrings(ctx.locale);
  const entries = filterCollection(catalog, profile.state.owned, filter, ctx.locale);
  const pages = Math.max(1, Math.ceil(entries.length / COLLECTION_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const lines = entries
    .slice(current * COLLECTION_PAGE_SIZE, (current + 1) * COLLECTION_PAGE_SIZE)
    .map(({ item, count }) =>
      count > 0
        ? `${tierOf(catalog, item.tierId)?.emoji ?? ''} ${item.name[ctx.locale].slice(0, 80)} ×${count}`
        : s.missingLine({ item: item.name[ctx.locale].slice(0, 80) }),
    );
  const percent = ((profile.distinctItems / Math.max(1, profile.totalItems)) * 100).toFixed(1);
  const summary = filterSummary(ctx, filter);
  const empty = isDefaultFilter(filter) ? ctx.t.collectionEmpty() : s.collectionNoMatch();
  return {
    embeds: [
      new EmbedBuilder()
        .setTitle(
          ctx.t.collectionTitle({
            user: view.targetName,
            owned: profile.distinctItems,
            total: profile.totalItems,
            percent,
          }),
        )
        .setDescription([summary, lines.join('\n') || empty].filter(Boolean).join('\n').slice(0, 4_000))
        .setFooter({ text: ctx.t.page({ page: current + 1, pages }) }),
    ],
    components: [collectionPager(view.openerId, view.targetId, current, pages, encodeFilter(catalog, filter))],
  };
}

function isDefaultFilter(filter: CollectionFilter): boolean {
  return Object.entries(filter).every(([key, value]) => DEFAULT_FILTER[key as keyof CollectionFilter] === value);
}

function choicesMatching(typed: string, choices: { name: string; value: string }[]) {
  const t = typed.toLowerCase();
  return choices
    .filter((c) => c.name.toLowerCase().includes(t) || c.value.toLowerCase().includes(t))
    .slice(0, 25)
    .map((c) => ({ name: c.name.slice(0, 100), value: c.value }));
}

export const collectionCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('collection')
    .setNameLocalizations({ ja: 'コレクション' })
    .setDescription('Your or another member’s collection')
    .setDescriptionLocalizations({ ja: '自分または他のメンバーのコレクション' })
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) =>
      o
        .setName('member')
        .setNameLocalizations({ ja: 'メンバー' })
        .setDescription('Member')
        .setDescriptionLocalizations({ ja: 'メンバー' }),
    )
    .addStringOption((o) =>
      o
        .setName('tier')
        .setNameLocalizations({ ja: 'レア度' })
        .setDescription('Only this tier')
        .setDescriptionLocalizations({ ja: 'このレア度だけ' })
        .setAutocomplete(true)
        .setMaxLength(32),
    )
    .addStringOption((o) =>
      o
        .setName('banner')
        .setNameLocalizations({ ja: 'バナー' })
        .setDescription('Only items of this banner')
        .setDescriptionLocalizations({ ja: 'このガチャのアイテムだけ' })
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .addStringOption((o) =>
      o
        .setName('show')
        .setNameLocalizations({ ja: '表示' })
        .setDescription('Owned (default), missing or all items')
        .setDescriptionLocalizations({ ja: '所持（既定）・未所持・すべて' })
        .addChoices(
          { name: 'owned', name_localizations: { ja: '所持' }, value: 'owned' },
          { name: 'missing', name_localizations: { ja: '未所持' }, value: 'missing' },
          { name: 'all', name_localizations: { ja: 'すべて' }, value: 'all' },
        ),
    )
    .addBooleanOption((o) =>
      o
        .setName('duplicates')
        .setNameLocalizations({ ja: '重複のみ' })
        .setDescription('Only items owned more than once')
        .setDescriptionLocalizations({ ja: '2つ以上持っているアイテムだけ' }),
    )
    .addStringOption((o) =>
      o
        .setName('sort')
        .setNameLocalizations({ ja: '並び順' })
        .setDescription('Order')
        .setDescriptionLocalizations({ ja: '並び順' })
        .addChoices(
          { name: 'rarity', name_localizations: { ja: 'レア度' }, value: 'rarity' },
          { name: 'name', name_localizations: { ja: '名前' }, value: 'name' },
          { name: 'count', name_localizations: { ja: '所持数' }, value: 'count' },
        ),
    )
    .addStringOption((o) =>
      o
        .setName('search')
        .setNameLocalizations({ ja: '検索' })
        .setDescription('Part of an item name')
        .setDescriptionLocalizations({ ja: 'アイテム名の一部' })
        .setMaxLength(SEARCH_MAX),
    )
    .addStringOption((o) =>
      o
        .setName('favourite')
        .setNameLocalizations({ ja: 'お気に入り' })
        .setDescription('Set your favourite item (shown on /profile)')
        .setDescriptionLocalizations({ ja: 'お気に入りのアイテムを設定（/profile に表示）' })
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    const favourite = interaction.options.getString('favourite');
    if (favourite !== null) {
      const player = { guildId: ctx.guildId, userId: ctx.userId };
      const s = socialStrings(ctx.locale);
      if (favourite === '-') {
        await ctx.social.setFavourite(player, null);
        return { content: s.favouriteCleared(), ephemeral: true };
      }
      await ctx.social.setFavourite(player, favourite, ctx.settingsSnapshot);
      return {
        content: s.favouriteSet({
          item: itemName(ctx.settings.catalog, favourite, ctx.locale).slice(0, 80),
          profile: ctx.mention('profile'),
        }),
        ephemeral: true,
      };
    }
    const target = interaction.options.getUser('member') ?? interaction.user;
    const show = interaction.options.getString('show');
    const sort = interaction.options.getString('sort');
    const filter: CollectionFilter = {
      tierId: interaction.options.getString('tier'),
      bannerId: interaction.options.getString('banner'),
      show: show === 'missing' || show === 'all' ? show : 'owned',
      duplicates: interaction.options.getBoolean('duplicates') ?? false,
      sort: sort === 'name' || sort === 'count' ? sort : 'rarity',
      search: (interaction.options.getString('search') ?? '').replaceAll(':', ' ').slice(0, SEARCH_MAX),
    };
    return collectionPage(
      ctx,
      { openerId: ctx.userId, targetId: target.id, targetName: displayNameOf(interaction, ctx, target.id) },
      filter,
      0,
    );
  },
  async button(interaction, ctx, args) {
    // page:<opener>:<target>:<page>:<filter code>
    const [, openerId = '', targetId = '', pageText = '0', ...code] = args;
    if (interaction.user.id !== openerId) {
      return {
        content: socialStrings(ctx.locale).notYourView({ collection: ctx.mention('collection') }),
        ephemeral: true,
      };
    }
    const page = Number(pageText);
    return collectionPage(
      ctx,
      { openerId, targetId, targetName: displayNameOf(interaction, ctx, targetId) },
      decodeFilter(ctx.settings.catalog, code.join(':')),
      Number.isSafeInteger(page) && page >= 0 ? page : 0,
    );
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const catalog = ctx.settings.catalog;
    if (focused.name === 'tier') {
      return choicesMatching(
        focused.value,
        catalog.tiers.map((t) => ({ name: `${t.name[ctx.locale]} (${t.id})`, value: t.id })),
      );
    }
    if (focused.name === 'banner') {
      return choicesMatching(
        focused.value,
        catalog.banners.map((b) => ({ name: b.name[ctx.locale], value: b.id })),
      );
    }
    const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: ctx.userId }, ctx.settingsSnapshot);
    return choicesMatching(
      focused.value,
      catalog.items
        .filter((i) => (profile.state.owned[i.id] ?? 0) > 0)
        .map((i) => ({ name: i.name[ctx.locale], value: i.id })),
    );
  },
};

export const leaderboardCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('leaderboard')
    .setNameLocalizations({ ja: 'ランキング' })
    .setDescription('Top players in this server')
    .setDescriptionLocalizations({ ja: 'このサーバーの上位プレイヤー' })
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) =>
      o
        .setName('by')
        .setNameLocalizations({ ja: '基準' })
        .setDescription('Ranking')
        .setDescriptionLocalizations({ ja: '並び順' })
        .addChoices(
          { name: 'pulls', name_localizations: { ja: 'ガチャ回数' }, value: 'pulls' },
          { name: 'collection', name_localizations: { ja: 'コレクション' }, value: 'collection' },
        ),
    )
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    const by = interaction.options.getString('by') === 'collection' ? 'collection' : 'pulls';
    const { entries, catchingUp } = await ctx.gacha.leaderboard(ctx.guildId, by, 10);
    const lines = entries.map((e, i) => `${i + 1}. <@${e.userId}> — ${e.value}`);
    return {
      embeds: [
        new EmbedBuilder()
          .setTitle(ctx.t.leaderboardTitle({ by: by === 'pulls' ? ctx.t.byPulls() : ctx.t.byCollection() }))
          .setDescription(
            [lines.join('\n') || ctx.t.leaderboardEmpty(), catchingUp ? ctx.t.rankingCatchingUp() : '']
              .filter(Boolean)
              .join('\n'),
          ),
      ],
    };
  },
};
