/**
 * /gacha-admin import | export: the whole catalog as a file in the documented format
 * (docs/catalog.md: rates as percentages, colours as #rrggbb). An import is previewed like every
 * edit — what is added, removed and changed, what becomes unobtainable, the new odds — then
 * confirmed by the admin who sent it (the Confirm/Cancel buttons of every staged change live here).
 */
import { AttachmentBuilder, SlashCommandStringOption } from 'discord.js';
import { catalogFileJson } from '../../../domain/catalog-file';
import { fetchAttachmentText, parseCatalogJson } from '../../catalog-transfer';
import type { Subcommand } from '../../subcommand';
import { CHANGE_BUTTONS, livePolicy, stageCatalogChange } from './change-preview';

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
          .setDescription('JSON from /gacha-admin export or the Banner Studio')
          .setDescriptionLocalizations({ ja: '/gacha-admin export またはバナースタジオのJSON' })
          .setRequired(true),
      )
      .addStringOption(
        new SlashCommandStringOption()
          .setName('live')
          .setNameLocalizations({ ja: '開催中' })
          .setDescription('If a running banner’s odds change: refuse (default) or announce in the changelog')
          .setDescriptionLocalizations({ ja: '開催中のガチャの確率が変わる場合: 拒否（既定）か変更履歴で告知' })
          .addChoices(
            { name: 'refuse', name_localizations: { ja: '拒否' }, value: 'refuse' },
            { name: 'announce', name_localizations: { ja: '告知して変更' }, value: 'announce' },
          ),
      ),
  async execute(interaction, ctx) {
    const file = interaction.options.getAttachment('file', true);
    const catalog = parseCatalogJson(await fetchAttachmentText(file.url, file.size));
    return stageCatalogChange(ctx, 'import', () => catalog, livePolicy(interaction));
  },
  buttons: CHANGE_BUTTONS,
};

export const exportSubcommand: Subcommand = {
  name: 'export',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'エクスポート' })
      .setDescription('Download pool, rates and banners as JSON (open it in the Banner Studio)')
      .setDescriptionLocalizations({ ja: '設定をJSONでダウンロード（バナースタジオで開けます）' }),
  execute(_interaction, ctx) {
    const json = catalogFileJson(ctx.settings.catalog);
    return Promise.resolve({
      content: ctx.t.exportReady(),
      files: [new AttachmentBuilder(Buffer.from(json), { name: 'gacha-catalog.json' })],
      ephemeral: true,
    });
  },
};
