/** /wish add | remove | list | pings: the items a player hopes for, and whether drops mention them. */
import { EmbedBuilder, InteractionContextType, SlashCommandBuilder, type SlashCommandStringOption } from 'discord.js';
import type { CommandContext } from '../command';
import { itemName, tierOf } from '../embeds';
import { socialStrings } from '../social-strings';
import { composeCommand, type Subcommand } from '../subcommand';

const NAME_SHOWN = 80;

function itemOption(ja: string, en: string) {
  return (o: SlashCommandStringOption) =>
    o
      .setName('item')
      .setNameLocalizations({ ja: 'アイテム' })
      .setDescription(en)
      .setDescriptionLocalizations({ ja })
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(64);
}

function shownName(ctx: CommandContext, itemId: string): string {
  return itemName(ctx.settings.catalog, itemId, ctx.locale).slice(0, NAME_SHOWN);
}

const player = (ctx: CommandContext) => ({ guildId: ctx.guildId, userId: ctx.userId });

const addSubcommand: Subcommand = {
  name: 'add',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '追加' })
      .setDescription('Add an item to your wishlist')
      .setDescriptionLocalizations({ ja: 'ほしいものリストにアイテムを追加' })
      .addStringOption(itemOption('ほしいアイテム', 'The item you wish for')),
  async execute(interaction, ctx) {
    const itemId = interaction.options.getString('item', true);
    const result = await ctx.social.addWish(player(ctx), itemId, ctx.settingsSnapshot);
    const s = socialStrings(ctx.locale);
    const item = shownName(ctx, result.itemId);
    const content =
      result.outcome === 'added'
        ? s.wishAdded({ item, count: result.count, limit: result.limit })
        : result.outcome === 'already'
          ? s.wishAlready({ item })
          : s.wishFull({ limit: result.limit, remove: ctx.mention('wish remove') });
    return { content, ephemeral: true };
  },
  autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    return Promise.resolve(
      ctx.settings.catalog.items
        .filter((i) => i.name[ctx.locale].toLowerCase().includes(typed) || i.id.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((i) => ({ name: i.name[ctx.locale].slice(0, 100), value: i.id })),
    );
  },
};

const removeSubcommand: Subcommand = {
  name: 'remove',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '削除' })
      .setDescription('Remove an item from your wishlist')
      .setDescriptionLocalizations({ ja: 'ほしいものリストから削除' })
      .addStringOption(itemOption('削除するアイテム', 'The wished item to remove')),
  async execute(interaction, ctx) {
    const itemId = interaction.options.getString('item', true);
    const removed = await ctx.social.removeWish(player(ctx), itemId);
    const s = socialStrings(ctx.locale);
    const item = shownName(ctx, itemId);
    return { content: removed ? s.wishRemoved({ item }) : s.wishNotFound({ item }), ephemeral: true };
  },
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const list = await ctx.social.wishlist(player(ctx), ctx.settingsSnapshot);
    return list.itemIds
      .map((id) => ({ name: itemName(ctx.settings.catalog, id, ctx.locale).slice(0, 100), value: id }))
      .filter((c) => c.name.toLowerCase().includes(typed) || c.value.toLowerCase().includes(typed))
      .slice(0, 25);
  },
};

const listSubcommand: Subcommand = {
  name: 'list',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '一覧' })
      .setDescription('Your wishlist')
      .setDescriptionLocalizations({ ja: 'ほしいものリストを見る' }),
  async execute(_interaction, ctx) {
    const list = await ctx.social.wishlist(player(ctx), ctx.settingsSnapshot);
    const s = socialStrings(ctx.locale);
    const profile = await ctx.gacha.profile(player(ctx), ctx.settingsSnapshot);
    const catalog = ctx.settings.catalog;
    const lines = list.itemIds.map((id) => {
      const tier = tierOf(catalog, catalog.items.find((i) => i.id === id)?.tierId ?? '');
      const owned = profile.state.owned[id] ?? 0;
      return `${tier?.emoji ?? '★'} ${shownName(ctx, id)}${owned > 0 ? ` ×${owned}` : ''}`;
    });
    // The pings state goes in the description, not a footer: only there is its /wish pings clickable.
    const pings = s.wishPingsState({ on: list.pings, pings: ctx.mention('wish pings') });
    const wishes = lines.join('\n') || s.wishListEmpty({ add: ctx.mention('wish add') });
    const embed = new EmbedBuilder()
      .setTitle(s.wishListTitle({ count: list.itemIds.length, limit: list.limit }))
      .setDescription(`${wishes.slice(0, 4_000 - pings.length - 2)}\n\n${pings}`);
    return { embeds: [embed], ephemeral: true };
  },
};

const pingsSubcommand: Subcommand = {
  name: 'pings',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '通知' })
      .setDescription('Be mentioned (or not) when a wished item drops for someone')
      .setDescriptionLocalizations({ ja: 'ほしいアイテムが排出されたときのメンションのオン／オフ' })
      .addBooleanOption((o) =>
        o
          .setName('on')
          .setNameLocalizations({ ja: 'オン' })
          .setDescription('On or off')
          .setDescriptionLocalizations({ ja: 'オンかオフか' })
          .setRequired(true),
      ),
  async execute(interaction, ctx) {
    const on = interaction.options.getBoolean('on', true);
    await ctx.social.setWishPings(player(ctx), on);
    return { content: socialStrings(ctx.locale).wishPingsChanged({ on }), ephemeral: true };
  },
};

export const wishCommand = composeCommand({
  builder: new SlashCommandBuilder()
    .setName('wish')
    .setNameLocalizations({ ja: 'ほしいもの' })
    .setDescription('Your wishlist: be told when a wished item drops')
    .setDescriptionLocalizations({ ja: 'ほしいものリスト：排出されたら知らせます' })
    .setContexts(InteractionContextType.Guild),
  adminOnly: false,
  cooldown: 'other',
  subcommands: [addSubcommand, removeSubcommand, listSubcommand, pingsSubcommand],
  unknownButton: (ctx) => ({ content: ctx.t.expired(), ephemeral: true }),
});
