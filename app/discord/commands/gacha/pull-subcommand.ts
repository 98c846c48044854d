/** /gacha pull [count] [banner]: charge once, draw, answer from the settings revision the charge used. */
import { findBanner } from '../../../domain/catalog';
import { pullEmbed } from '../../embeds';
import type { Subcommand } from '../../subcommand';
import { autocompleteOpenBanner, bannerOption } from './banner-option';
import { dropNotes } from './drop-notes';

export const pullSubcommand: Subcommand = {
  name: 'pull',
  build: (sc) =>
    sc
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
  async execute(interaction, ctx) {
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
      title: ctx.t.pullTitle({
        user: interaction.user.username,
        count: result.count,
        banner: banner.name[ctx.locale],
      }),
      footer: ctx.t.pullFooter({
        cost: result.cost,
        balance: result.state.currency,
        pity: pity.sinceTop,
        cap: banner.pity.hardPity || '∞',
      }),
      items: result.items,
    });
    const notes = await dropNotes(ctx, result);
    return { embeds: [embed], content: notes.text, allowedMentions: { users: notes.mentionUserIds } };
  },
  autocomplete: autocompleteOpenBanner,
};
