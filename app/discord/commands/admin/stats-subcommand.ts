/**
 * /gacha-admin stats [days]: pulls per day, currency issued vs spent, active players, and the
 * top-tier rate observed vs published — all read from the ledger and its history projection by the
 * admin service (no second store).
 */
import { formatPercent } from '../../../domain/rates';
import type { Subcommand } from '../../subcommand';
import { adminStrings } from './admin-strings';

export const statsSubcommand: Subcommand = {
  name: 'stats',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '統計' })
      .setDescription('Pulls per day, currency issued vs spent, active players, top-tier rate observed')
      .setDescriptionLocalizations({ ja: '日ごとの回数・通貨の発行と消費・アクティブ人数・最高レアの実測' })
      .addIntegerOption((o) =>
        o
          .setName('days')
          .setNameLocalizations({ ja: '日数' })
          .setDescription('Days to show (default 7)')
          .setDescriptionLocalizations({ ja: '表示する日数（既定 7）' })
          .setMinValue(1)
          .setMaxValue(31),
      ),
  async execute(interaction, ctx) {
    const days = interaction.options.getInteger('days') ?? 7;
    const stats = await ctx.admin.stats(ctx.guildId, days);
    const s = adminStrings(ctx.locale);
    const n = (v: number): string => v.toLocaleString(ctx.locale === 'ja' ? 'ja-JP' : 'en-US');
    const lines = stats.days.map((d) =>
      s.statsDay({ day: d.day, pulls: d.pulls, issued: n(d.issued), spent: n(d.spent), players: d.activePlayers }),
    );
    const issued = stats.days.reduce((sum, d) => sum + d.issued, 0);
    const spent = stats.days.reduce((sum, d) => sum + d.spent, 0);
    const content = [
      s.statsTitle({ days }),
      ...lines,
      s.statsTotals({ issued: n(issued), spent: n(spent), players: stats.activePlayers }),
      s.statsTopRate({
        observed: stats.draws > 0 ? formatPercent(stats.topDraws / stats.draws, 3) : '—',
        published: formatPercent(stats.publishedTopRate, 3),
        draws: stats.draws,
      }),
    ].join('\n');
    return { content: content.slice(0, 2_000), ephemeral: true };
  },
};
