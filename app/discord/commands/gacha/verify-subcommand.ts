/**
 * /gacha verify [pull]: the inputs of one of the player's pulls (default: the newest) — commitment,
 * revealed server seed when available, client seed, sequence, rate-table revision and hash — and
 * whether the standalone verifier recomputes it.
 */
import { EmbedBuilder, escapeMarkdown } from 'discord.js';
import type { Locale } from '../../../domain/catalog';
import type { PullCheck } from '../../../services/fairness-service';
import type { Subcommand } from '../../subcommand';
import { FAIRNESS_STRINGS } from './fairness-strings';
import { discordTime } from './seed-subcommand';

function verdict(check: PullCheck, locale: Locale): string {
  const s = FAIRNESS_STRINGS[locale];
  const { report } = check;
  if (report.failures.length > 0) {
    const first = report.failures[0];
    const where = first
      ? `${first.code}${first.slot !== undefined ? ` (slot ${first.slot})` : ''}: ${first.detail}`
      : '';
    return s.verifyFailed({ detail: where.slice(0, 900) });
  }
  if (report.pending > 0) return s.verifyPending;
  return s.verifyOk({ count: check.count });
}

export const verifySubcommand: Subcommand = {
  name: 'verify',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '検証' })
      .setDescription('Fairness: the inputs of one of your pulls and whether it verifies')
      .setDescriptionLocalizations({ ja: '公平性：抽選の入力値と検証結果' })
      .addIntegerOption((o) =>
        o
          .setName('pull')
          .setNameLocalizations({ ja: '抽選番号' })
          .setDescription('Pull number (#, default: your newest pull)')
          .setDescriptionLocalizations({ ja: '抽選番号（#、既定：最新の抽選）' })
          .setMinValue(1)
          .setMaxValue(Number.MAX_SAFE_INTEGER),
      ),
  async execute(interaction, ctx) {
    const s = FAIRNESS_STRINGS[ctx.locale];
    const seq = interaction.options.getInteger('pull') ?? undefined;
    const check = await ctx.fairness.checkPull({ guildId: ctx.guildId, userId: ctx.userId }, seq);
    if (!check) return { content: seq === undefined ? s.verifyNone : s.verifyNoneAt({ seq }), ephemeral: true };
    const catalog = ctx.settings.catalog;
    const banner = catalog.banners.find((b) => b.id === check.bannerId)?.name[ctx.locale] ?? check.bannerId;
    const embed = new EmbedBuilder()
      .setTitle(s.verifyTitle({ seq: check.seq }))
      .setDescription(
        [
          s.verifyPull({ count: check.count, banner: escapeMarkdown(banner), at: discordTime(check.at) }),
          '',
          verdict(check, ctx.locale),
        ].join('\n'),
      )
      .addFields(
        { name: s.verifyEpoch({ epoch: check.epochNumber }), value: `\`${check.commitment}\`` },
        {
          name: s.verifyServerSeed,
          value: check.epoch?.serverSeed ? `\`${check.epoch.serverSeed}\`` : s.verifyServerSeedHidden,
        },
        {
          name: s.verifyClientSeed,
          value: check.clientSeed === '' ? s.seedClientNone : escapeMarkdown(check.clientSeed),
        },
        { name: s.verifyRateTable({ revision: check.rateRevision }), value: `\`${check.rateHash}\`` },
      );
    return { embeds: [embed], ephemeral: true };
  },
};
