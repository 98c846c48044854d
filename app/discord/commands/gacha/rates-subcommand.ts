/** /gacha rates [banner]: published and long-run odds, pity and expected pulls. */
import { EmbedBuilder } from 'discord.js';
import type { Locale } from '../../../domain/catalog';
import { discloseBanner } from '../../../domain/disclosure';
import { formatPercent } from '../../../domain/rates';
import type { Subcommand } from '../../subcommand';
import { oddsChangelogField } from '../admin/odds-changelog-view';
import { autocompleteOpenBanner, bannerOption } from './banner-option';

function percent(p: number): string {
  return formatPercent(p, 3);
}

export const ratesSubcommand: Subcommand = {
  name: 'rates',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '提供割合' })
      .setDescription('Published and long-run odds, pity and expected pulls')
      .setDescriptionLocalizations({ ja: '提供割合・天井・期待回数' })
      .addStringOption((o) => bannerOption(o, false, 'Banner (default: standard)', 'ガチャの種類（既定: 常設）')),
  async execute(interaction, ctx) {
    const catalog = ctx.settings.catalog;
    const bannerId =
      interaction.options.getString('banner') ?? catalog.banners.find((b) => b.kind === 'standard')?.id ?? '';
    const d = discloseBanner(catalog, bannerId);
    const L: Locale = ctx.locale;
    const tierLines = d.tiers.map(
      (t) =>
        `${t.emoji} **${t.name[L]}** ${percent(t.baseProbability)} → ${percent(t.consolidatedSingle)} / ${percent(t.consolidatedTenPull)} (${t.itemCount})`,
    );
    const guarantee = catalog.tiers.find((t) => t.id === d.tenPullGuaranteeTierId)?.name[L] ?? d.tenPullGuaranteeTierId;
    const embed = new EmbedBuilder().setTitle(ctx.t.ratesTitle({ banner: d.bannerName[L] })).setDescription(
      [
        ctx.t.ratesBody({
          hard: d.pity.hardPity || '—',
          soft: d.pity.softPityStart || '—',
          expected: d.expectedPullsToTop.toFixed(1),
          guarantee,
        }),
        d.rateUpShare > 0 && d.rateUpShare < 1 ? ctx.t.ratesFeatured({ share: percent(d.rateUpShare) }) : '',
        '',
        ...tierLines,
      ]
        .filter((l, i) => l !== '' || i === 2)
        .join('\n'),
    );
    const topItems = d.items.filter((i) => i.tierId === d.tiers[0]?.tierId || i.featured).slice(0, 20);
    embed.addFields({
      name: ctx.t.ratesItems(),
      value:
        topItems
          .map((i) => `${i.featured ? '★ ' : ''}${i.name[L]} ${percent(i.baseProbability)}`)
          .join('\n')
          .slice(0, 1024) || '—',
    });
    const changelog = await oddsChangelogField(ctx, bannerId);
    if (changelog) embed.addFields(changelog);
    return { embeds: [embed] };
  },
  autocomplete: autocompleteOpenBanner,
};
