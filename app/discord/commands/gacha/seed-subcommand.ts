/**
 * /gacha seed [client-seed]: the epoch's commitment (and the next one), the newest revealed server
 * seed, and the player's client seed; with `client-seed`, sets it for the player's next pulls.
 * No command shows or accepts a server seed before its reveal.
 */
import { EmbedBuilder, escapeMarkdown } from 'discord.js';
import { CLIENT_SEED_MAX_LENGTH } from '../../../domain/fairness/seeds';
import type { Subcommand } from '../../subcommand';
import { FAIRNESS_STRINGS } from './fairness-strings';

/** Discord's `<t:…>` timestamp (shown in the reader's time zone). */
export function discordTime(at: Date): string {
  return `<t:${Math.floor(at.getTime() / 1000)}:f>`;
}

export const seedSubcommand: Subcommand = {
  name: 'seed',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'シード' })
      .setDescription('Fairness: seed commitments and your client seed')
      .setDescriptionLocalizations({ ja: '公平性：シードのコミットメントとクライアントシード' })
      .addStringOption((o) =>
        o
          .setName('client-seed')
          .setNameLocalizations({ ja: 'クライアントシード' })
          .setDescription('New client seed for your next pulls (1–64 characters, no spaces)')
          .setDescriptionLocalizations({ ja: '次の抽選から使うクライアントシード（空白なし1〜64文字）' })
          .setMinLength(1)
          .setMaxLength(CLIENT_SEED_MAX_LENGTH),
      ),
  async execute(interaction, ctx) {
    const s = FAIRNESS_STRINGS[ctx.locale];
    const player = { guildId: ctx.guildId, userId: ctx.userId };
    const wanted = interaction.options.getString('client-seed');
    let notice = '';
    if (wanted !== null) {
      const result = await ctx.fairness.setClientSeed(player, wanted);
      // The refused value is not echoed back.
      if (!result.ok) return { content: s.seedInvalid({ max: CLIENT_SEED_MAX_LENGTH }), ephemeral: true };
      notice = s.seedSet({ client: escapeMarkdown(result.clientSeed) });
    }
    const info = await ctx.fairness.seedInfo(player);
    const embed = new EmbedBuilder()
      .setTitle(s.seedTitle)
      .setDescription(
        [
          notice,
          s.seedEpoch({ epoch: info.epoch, started: discordTime(info.startedAt) }),
          s.seedHow({ seed: ctx.mention('gacha seed'), verify: ctx.mention('gacha verify') }),
        ]
          .filter(Boolean)
          .join('\n\n'),
      )
      .addFields(
        { name: s.seedCommitment, value: `\`${info.commitment}\`` },
        { name: s.seedNextCommitment, value: `\`${info.nextCommitment}\`` },
        {
          name: s.seedClient,
          value: info.clientSeed === '' ? s.seedClientNone : escapeMarkdown(info.clientSeed),
        },
        info.lastRevealed?.serverSeed
          ? {
              name: s.seedLastRevealed({ epoch: info.lastRevealed.epoch }),
              value: `\`${info.lastRevealed.serverSeed}\``,
            }
          : { name: '—', value: s.seedNoneRevealed },
      );
    return { embeds: [embed], ephemeral: true };
  },
};
