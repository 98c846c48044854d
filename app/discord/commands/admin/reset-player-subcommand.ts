/** /gacha-admin reset-player <member>: asks to confirm, then resets that player's progress (audited, once). */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Subcommand } from '../../subcommand';

export const resetPlayerSubcommand: Subcommand = {
  name: 'reset-player',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'プレイヤーリセット' })
      .setDescription('Reset a player’s progress in this server (asks to confirm)')
      .setDescriptionLocalizations({ ja: 'プレイヤーの進行をリセット（確認あり）' })
      .addUserOption((o) =>
        o
          .setName('member')
          .setNameLocalizations({ ja: 'メンバー' })
          .setDescriptionLocalizations({ ja: 'メンバー' })
          .setDescription('Member')
          .setRequired(true),
      ),
  execute(interaction, ctx) {
    const actor = ctx.userId;
    const target = interaction.options.getUser('member', true);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(`gacha-admin:reset:${target.id}:${actor}`)
        .setLabel(ctx.t.confirm())
        .setStyle(ButtonStyle.Danger),
      new ButtonBuilder()
        .setCustomId(`gacha-admin:cancel:${target.id}:${actor}`)
        .setLabel(ctx.t.cancel())
        .setStyle(ButtonStyle.Secondary),
    );
    return Promise.resolve({
      content: ctx.t.confirmReset({ user: target.id }),
      components: [row],
      ephemeral: true,
    });
  },
  buttons: {
    async reset(interaction, ctx, [targetId = '', actorId = '']) {
      if (actorId !== ctx.userId) return { content: ctx.t.expired(), ephemeral: true };
      await ctx.admin.resetPlayer({ guildId: ctx.guildId, actorId: ctx.userId, targetId, opKey: interaction.id });
      return { content: ctx.t.adminDone.playerReset({ userId: targetId }), components: [] };
    },
    cancel(_interaction, ctx, [, actorId = '']) {
      if (actorId !== ctx.userId) return Promise.resolve({ content: ctx.t.expired(), ephemeral: true });
      return Promise.resolve({ content: ctx.t.cancelled(), components: [] });
    },
  },
};
