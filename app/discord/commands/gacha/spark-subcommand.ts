/** /gacha spark <banner> <item>: exchange spark points for a featured item (exactly once). */
import { findBanner } from '../../../domain/catalog';
import { itemName } from '../../embeds';
import type { Subcommand } from '../../subcommand';
import { autocompleteOpenBanner, bannerOption } from './banner-option';

export const sparkSubcommand: Subcommand = {
  name: 'spark',
  build: (sc) =>
    sc
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
  async execute(interaction, ctx) {
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
  },
  autocomplete: autocompleteOpenBanner,
};
