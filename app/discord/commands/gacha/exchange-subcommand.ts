/** /gacha exchange <item> [tier]: spend shards on one copy of a chosen item (the tier's price), exactly once. */
import type { AutocompleteInteraction } from 'discord.js';
import { exchangePrice } from '../../../domain/shard-shop';
import type { CommandContext } from '../../command';
import { itemName, tierOf } from '../../embeds';
import { socialStrings } from '../../social-strings';
import type { Subcommand } from '../../subcommand';

/** Items (optionally of one tier) whose name in the player's language or id contains what was typed. */
function autocompleteShop(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
): Promise<{ name: string; value: string }[]> {
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.toLowerCase();
  const catalog = ctx.settings.catalog;
  if (focused.name === 'tier') {
    return Promise.resolve(
      catalog.tiers
        .filter((t) => t.id.toLowerCase().includes(typed) || t.name[ctx.locale].toLowerCase().includes(typed))
        .slice(0, 25)
        .map((t) => ({ name: `${t.name[ctx.locale]} (${t.id})`.slice(0, 100), value: t.id })),
    );
  }
  const tierId = interaction.options.getString('tier');
  const s = socialStrings(ctx.locale);
  return Promise.resolve(
    catalog.items
      .filter((i) => !tierId || i.tierId === tierId)
      .filter((i) => i.name[ctx.locale].toLowerCase().includes(typed) || i.id.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((i) => ({
        name: s
          .exchangeChoice({
            item: i.name[ctx.locale].slice(0, 60),
            tier: (tierOf(catalog, i.tierId)?.name[ctx.locale] ?? i.tierId).slice(0, 20),
            price: exchangePrice(ctx.settings, i.tierId),
          })
          .slice(0, 100),
        value: i.id,
      })),
  );
}

export const exchangeSubcommand: Subcommand = {
  name: 'exchange',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'かけら交換' })
      .setDescription('Spend shards on an item of your choice')
      .setDescriptionLocalizations({ ja: 'かけらを好きなアイテムと交換する' })
      .addStringOption((o) =>
        o
          .setName('item')
          .setNameLocalizations({ ja: 'アイテム' })
          .setDescription('The item you want')
          .setDescriptionLocalizations({ ja: 'ほしいアイテム' })
          .setRequired(true)
          .setAutocomplete(true)
          .setMaxLength(64),
      )
      .addStringOption((o) =>
        o
          .setName('tier')
          .setNameLocalizations({ ja: 'レア度' })
          .setDescription('Only list items of this tier')
          .setDescriptionLocalizations({ ja: 'このレア度のアイテムだけを表示' })
          .setAutocomplete(true)
          .setMaxLength(32),
      ),
  async execute(interaction, ctx) {
    const itemId = interaction.options.getString('item', true);
    const result = await ctx.exchange.exchange(
      { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
      itemId,
      ctx.settingsSnapshot,
    );
    return {
      content: socialStrings(ctx.locale).exchangeDone({
        item: itemName(result.settings.catalog, result.itemId, ctx.locale).slice(0, 100),
        cost: result.cost,
        shards: result.state.shards,
      }),
    };
  },
  autocomplete: autocompleteShop,
};
