/** /gacha banners: the open banners, their end and featured items. */
import { EmbedBuilder } from 'discord.js';
import { activeBanners } from '../../../domain/catalog';
import { itemName } from '../../embeds';
import type { Subcommand } from '../../subcommand';

export const bannersSubcommand: Subcommand = {
  name: 'banners',
  cooldown: 'other',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '開催中' })
      .setDescription('Open banners')
      .setDescriptionLocalizations({ ja: '開催中のガチャ一覧' }),
  execute(_interaction, ctx) {
    const L = ctx.locale;
    const catalog = ctx.settings.catalog;
    const lines = activeBanners(catalog, new Date()).map((b) =>
      ctx.t.bannerLine({
        name: b.name[L],
        id: b.id,
        kind: ctx.t.bannerKind({ kind: b.kind }),
        until: b.endsAt ? `<t:${Math.floor(b.endsAt.getTime() / 1000)}:f>` : '',
        featured: b.featuredItemIds.map((id) => itemName(catalog, id, L)).join(', '),
      }),
    );
    return Promise.resolve({
      embeds: [new EmbedBuilder().setTitle(ctx.t.bannersTitle()).setDescription(lines.join('\n').slice(0, 4096))],
    });
  },
};
