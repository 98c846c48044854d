/**
 * /gacha-admin preview-setup: the N of the previews' dailies-budget warning, and the channel where
 * banner announcements go. Applied as an audited settings revision.
 */
import { ChannelType } from 'discord.js';
import { adminRules } from '../../../domain/guild-settings';
import type { Subcommand } from '../../subcommand';
import { adminStrings } from './admin-strings';

export const previewSetupSubcommand: Subcommand = {
  name: 'preview-setup',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'プレビュー設定' })
      .setDescription('Warn when the top tier costs more than N days of dailies; where to announce banners')
      .setDescriptionLocalizations({ ja: '最高レアの期待コストがデイリーN日分を超えたら警告・ガチャの告知先' })
      .addIntegerOption((o) =>
        o
          .setName('budget-days')
          .setNameLocalizations({ ja: '日数' })
          .setDescription('N days of dailies (default 30)')
          .setDescriptionLocalizations({ ja: 'デイリーの日数（既定 30）' })
          .setMinValue(1)
          .setMaxValue(365),
      )
      .addChannelOption((o) =>
        o
          .setName('announce-channel')
          .setNameLocalizations({ ja: '告知チャンネル' })
          .setDescription('Channel for banner announcements')
          .setDescriptionLocalizations({ ja: 'ガチャの告知チャンネル' })
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      ),
  async execute(interaction, ctx) {
    const days = interaction.options.getInteger('budget-days');
    const channel = interaction.options.getChannel('announce-channel');
    const saved = await ctx.admin.changeSettings(ctx.guildId, ctx.userId, 'preview-setup', (s) => {
      const current = adminRules(s);
      return {
        ...s,
        admin: { budgetDays: days ?? current.budgetDays, announceChannelId: channel?.id ?? current.announceChannelId },
      };
    });
    const rules = adminRules(saved.settings);
    const s = adminStrings(ctx.locale);
    return {
      content: s.setupDone({
        days: rules.budgetDays,
        channel: rules.announceChannelId ? `<#${rules.announceChannelId}>` : s.noChannel,
      }),
      ephemeral: true,
    };
  },
};
