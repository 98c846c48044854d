/** /gacha-admin import | export: the whole catalog as a JSON file; an import is previewed, then confirmed. */
import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { catalogSummary, exportCatalogJson, fetchAttachmentText, parseCatalogJson } from '../../catalog-transfer';
import type { Subcommand } from '../../subcommand';

export const importSubcommand: Subcommand = {
  name: 'import',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'インポート' })
      .setDescription('Replace pool, rates and banners from a JSON file (preview, then confirm)')
      .setDescriptionLocalizations({ ja: 'JSONファイルから設定を置き換え（確認あり）' })
      .addAttachmentOption((o) =>
        o
          .setName('file')
          .setNameLocalizations({ ja: 'ファイル' })
          .setDescriptionLocalizations({ ja: '/gacha-admin export で出力したJSON' })
          .setDescription('JSON from /gacha-admin export')
          .setRequired(true),
      ),
  async execute(interaction, ctx) {
    const actor = ctx.userId;
    const file = interaction.options.getAttachment('file', true);
    const catalog = parseCatalogJson(await fetchAttachmentText(file.url, file.size));
    const token = ctx.admin.stageImport(ctx.guildId, actor, catalog);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(`gacha-admin:import:${token}:${actor}`)
        .setLabel(ctx.t.confirm())
        .setStyle(ButtonStyle.Danger),
      new ButtonBuilder()
        .setCustomId(`gacha-admin:drop:${token}:${actor}`)
        .setLabel(ctx.t.cancel())
        .setStyle(ButtonStyle.Secondary),
    );
    return {
      content: `${ctx.t.importPreview()}\n${catalogSummary(catalog, ctx.locale, ctx.currencyName)}`.slice(0, 2000),
      components: [row],
      ephemeral: true,
    };
  },
  buttons: {
    async import(_interaction, ctx, [token = '', actorId = '']) {
      if (actorId !== ctx.userId) return { content: ctx.t.expired(), ephemeral: true };
      const imported = await ctx.admin.confirmImport(ctx.guildId, ctx.userId, token);
      if (!imported) return { content: ctx.t.expired(), components: [] };
      return { content: ctx.t.adminDone.imported({}), components: [] };
    },
    drop(_interaction, ctx, [token = '', actorId = '']) {
      if (actorId !== ctx.userId) return Promise.resolve({ content: ctx.t.expired(), ephemeral: true });
      ctx.admin.dropImport(ctx.guildId, ctx.userId, token);
      return Promise.resolve({ content: ctx.t.cancelled(), components: [] });
    },
  },
};

export const exportSubcommand: Subcommand = {
  name: 'export',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'エクスポート' })
      .setDescription('Download pool, rates and banners as JSON')
      .setDescriptionLocalizations({ ja: '設定をJSONでダウンロード' }),
  execute(_interaction, ctx) {
    const json = exportCatalogJson(ctx.settings.catalog);
    return Promise.resolve({
      content: ctx.t.exportReady(),
      files: [new AttachmentBuilder(Buffer.from(json), { name: 'gacha-catalog.json' })],
      ephemeral: true,
    });
  },
};
