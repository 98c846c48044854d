/**
 * /gacha audit [banner] [period]: the server's real results against the published rates — observed
 * rate per tier with its 95 % interval, the pity-aware chi-square tests, pulls to the top tier
 * against the published distribution, and a plain verdict in the reader's language.
 */
import { EmbedBuilder, escapeMarkdown } from 'discord.js';
import type { Locale } from '../../../domain/catalog';
import type { BannerAudit } from '../../../domain/fairness/audit';
import type { ChiSquareResult } from '../../../domain/fairness/statistics';
import type { AuditAnswer, AuditPeriodName } from '../../../services/fairness-service';
import type { Subcommand } from '../../subcommand';
import { bannerOption } from './banner-option';
import { FAIRNESS_STRINGS } from './fairness-strings';

const PERIODS: readonly AuditPeriodName[] = ['day', 'week', 'month', 'all'];

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 3 : 2)}%`;
}

function pValue(test: ChiSquareResult | null, none: string): string {
  if (!test) return none;
  return test.pValue < 0.0001 ? test.pValue.toExponential(1) : test.pValue.toFixed(4);
}

/** The audit as an embed (names from the catalog the audit was computed with). */
export function auditEmbed(
  answer: AuditAnswer,
  bannerName: string,
  tierName: (id: string) => string,
  locale: Locale,
): EmbedBuilder {
  const s = FAIRNESS_STRINGS[locale];
  const a: BannerAudit = answer.audit;
  const count = (n: number) => n.toLocaleString('en-US');
  const tierLines = a.tiers.map((t) =>
    s.auditTierLine({
      tier: escapeMarkdown(tierName(t.tierId)),
      observed: pct(t.observedRate),
      low: pct(t.interval[0]),
      high: pct(t.interval[1]),
      expected: pct(t.consolidatedRate),
      base: pct(t.baseRate),
    }),
  );
  const tests = [
    s.auditFreshTest({ pulls: count(a.freshPulls), p: pValue(a.freshTest, s.auditNoTest) }),
    s.auditConsolidatedTest({ pulls: count(a.pulls), p: pValue(a.consolidatedTest, s.auditNoTest) }),
    s.auditPullsToTop({
      runs: count(a.pullsToTop.runs),
      observed: a.pullsToTop.observedMean === null ? '—' : a.pullsToTop.observedMean.toFixed(1),
      published: a.pullsToTop.publishedMean.toFixed(1),
      p: pValue(a.pullsToTop.test, s.auditNoTest),
    }),
  ];
  const mark = a.verdict === 'consistent' ? '✅' : a.verdict === 'inconsistent' ? '⚠️' : 'ℹ️';
  return new EmbedBuilder()
    .setTitle(s.auditTitle({ banner: escapeMarkdown(bannerName).slice(0, 100), period: s.period[answer.period] }))
    .setDescription(`${mark} ${a.summary[locale]}`.slice(0, 4_000))
    .addFields(
      { name: s.auditTiers, value: tierLines.join('\n').slice(0, 1_024) || '—' },
      { name: s.auditTests, value: tests.join('\n').slice(0, 1_024) },
    )
    .setFooter({ text: s.auditNote({ revision: answer.settingsRevision }) });
}

export const auditSubcommand: Subcommand = {
  name: 'audit',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '監査' })
      .setDescription("Fairness: this server's real results against the published rates")
      .setDescriptionLocalizations({ ja: '公平性：このサーバーの実際の結果と公表された排出率の比較' })
      .addStringOption((o) => bannerOption(o, false, 'Banner (default: standard)', 'ガチャの種類（既定: 常設）'))
      .addStringOption((o) =>
        o
          .setName('period')
          .setNameLocalizations({ ja: '期間' })
          .setDescription('Period (default: last 30 days)')
          .setDescriptionLocalizations({ ja: '期間（既定：直近30日間）' })
          .addChoices(
            { name: 'last 24 hours', name_localizations: { ja: '直近24時間' }, value: 'day' },
            { name: 'last 7 days', name_localizations: { ja: '直近7日間' }, value: 'week' },
            { name: 'last 30 days', name_localizations: { ja: '直近30日間' }, value: 'month' },
            { name: 'all time', name_localizations: { ja: '全期間' }, value: 'all' },
          ),
      ),
  async execute(interaction, ctx) {
    const chosen = interaction.options.getString('period') ?? 'month';
    const period = PERIODS.find((p) => p === chosen) ?? 'month';
    const bannerId = interaction.options.getString('banner') ?? undefined;
    const answer = await ctx.fairness.audit(ctx.guildId, bannerId, period);
    const catalog = ctx.settings.catalog;
    const banner =
      catalog.banners.find((b) => b.id === answer.audit.bannerId)?.name[ctx.locale] ?? answer.audit.bannerId;
    const tierName = (id: string) => catalog.tiers.find((t) => t.id === id)?.name[ctx.locale] ?? id;
    return { embeds: [auditEmbed(answer, banner, tierName, ctx.locale)] };
  },
  autocomplete(interaction, ctx) {
    // Any banner of the catalog (closed ones too: their history can still be audited).
    const typed = interaction.options.getFocused().toLowerCase();
    return Promise.resolve(
      ctx.settings.catalog.banners
        .filter((b) => b.id.includes(typed) || b.name[ctx.locale].toLowerCase().includes(typed))
        .slice(0, 25)
        .map((b) => ({ name: b.name[ctx.locale].slice(0, 100), value: b.id })),
    );
  },
};
