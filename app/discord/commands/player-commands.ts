/** /daily, /profile, /collection, /leaderboard (/history is in history-command.ts) */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  SlashCommandBuilder,
  type User,
  InteractionContextType,
} from 'discord.js';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { tierOf } from '../embeds';

const COLLECTION_PAGE_SIZE = 15;

function pager(command: string, targetId: string, page: number, pages: number) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${command}:page:${targetId}:${page - 1}`)
      .setLabel('◀')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page <= 0),
    new ButtonBuilder()
      .setCustomId(`${command}:page:${targetId}:${page + 1}`)
      .setLabel('▶')
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(page >= pages - 1),
  );
}

function pageArg(args: readonly string[]): { targetId: string; page: number } {
  const targetId = args[1] ?? '';
  const page = Number(args[2] ?? 0);
  return { targetId, page: Number.isSafeInteger(page) && page >= 0 ? page : 0 };
}

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
    const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: ctx.userId }, ctx.settingsSnapshot);
    const s = profile.state;
    const t = ctx.t;
    const embed = new EmbedBuilder()
      .setTitle(t.profileTitle({ user: interaction.user.username }))
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
    return { embeds: [embed], ephemeral: true };
  },
};

async function collectionPage(
  ctx: CommandContext,
  user: Pick<User, 'id' | 'username'>,
  page: number,
): Promise<CommandReply> {
  const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: user.id }, ctx.settingsSnapshot);
  const catalog = profile.settings.catalog;
  const rank = (tierId: string) => tierOf(catalog, tierId)?.rank ?? 0;
  const owned = catalog.items
    .filter((i) => (profile.state.owned[i.id] ?? 0) > 0)
    .sort((a, b) => rank(b.tierId) - rank(a.tierId) || a.id.localeCompare(b.id));
  const pages = Math.max(1, Math.ceil(owned.length / COLLECTION_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const lines = owned
    .slice(current * COLLECTION_PAGE_SIZE, (current + 1) * COLLECTION_PAGE_SIZE)
    .map((i) => `${tierOf(catalog, i.tierId)?.emoji ?? ''} ${i.name[ctx.locale]} ×${profile.state.owned[i.id] ?? 0}`);
  const percent = ((profile.distinctItems / Math.max(1, profile.totalItems)) * 100).toFixed(1);
  return {
    embeds: [
      new EmbedBuilder()
        .setTitle(
          ctx.t.collectionTitle({
            user: user.username,
            owned: profile.distinctItems,
            total: profile.totalItems,
            percent,
          }),
        )
        .setDescription(lines.join('\n') || ctx.t.collectionEmpty())
        .setFooter({ text: ctx.t.page({ page: current + 1, pages }) }),
    ],
    components: [pager('collection', user.id, current, pages)],
  };
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
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',
  async execute(interaction, ctx) {
    return collectionPage(ctx, interaction.options.getUser('member') ?? interaction.user, 0);
  },
  async button(_interaction, ctx, args) {
    const { targetId, page } = pageArg(args);
    return collectionPage(ctx, { id: targetId, username: `<@${targetId}>` }, page);
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
