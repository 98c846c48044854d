/**
 * /gacha-admin art-item | art-banner | art-clear: card art for an item or a banner, from an
 * attached image or an https link. The image is fetched once, checked (PNG/JPEG/WebP/GIF, ≤ 8 MB,
 * sane dimensions), normalised to a 320×448 WebP card (≤ 200 KB) and stored in MongoDB; the new
 * settings revision that names it is the audit record. A bad image changes nothing and is refused
 * with a clear message in the admin's language.
 */
import type { ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import { ArtError } from '../../../art/art-errors';
import { ART_ADMIN_STRINGS, artErrorMessage } from '../../../art/art-messages';
import type { Locale } from '../../../domain/catalog';
import type { ArtInput, ArtTarget } from '../../../services/art-service';
import type { CommandContext, CommandReply } from '../../command';
import type { Subcommand } from '../../subcommand';

type TargetKind = ArtTarget['kind'];

function reply(content: string): CommandReply {
  return { content, allowedMentions: { parse: [] }, ephemeral: true };
}

function targetName(kind: TargetKind, locale: Locale): string {
  const strings = ART_ADMIN_STRINGS[locale];
  return kind === 'item' ? strings.targetItem : strings.targetBanner;
}

/** Suggestions for the id option: the catalog's items or banners whose id or name contains the typed text. */
function suggest(ctx: CommandContext, kind: TargetKind, typed: string): { name: string; value: string }[] {
  const needle = typed.toLowerCase();
  const entries = kind === 'item' ? ctx.settings.catalog.items : ctx.settings.catalog.banners;
  return entries
    .map((e) => ({ id: e.id, label: `${e.id} · ${e.name[ctx.locale]}${e.art ? ' 🖼' : ''}` }))
    .filter((e) => e.label.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((e) => ({ name: Array.from(e.label).slice(0, 100).join(''), value: e.id }));
}

function idOption(sc: SlashCommandSubcommandBuilder, kind: TargetKind): SlashCommandSubcommandBuilder {
  return sc.addStringOption((o) =>
    o
      .setName('id')
      .setNameLocalizations({ ja: 'id' })
      .setDescription(kind === 'item' ? 'Item id' : 'Banner id')
      .setDescriptionLocalizations({ ja: kind === 'item' ? 'アイテムID' : 'ガチャID' })
      .setRequired(true)
      .setMaxLength(64)
      .setAutocomplete(true),
  );
}

function imageOptions(sc: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sc
    .addAttachmentOption((o) =>
      o
        .setName('image')
        .setNameLocalizations({ ja: '画像' })
        .setDescription('PNG, JPEG, WebP or GIF, up to 8 MB')
        .setDescriptionLocalizations({ ja: 'PNG・JPEG・WebP・GIF（8MBまで）' }),
    )
    .addStringOption((o) =>
      o
        .setName('url')
        .setNameLocalizations({ ja: 'リンク' })
        .setDescription('Or an https:// link to the image')
        .setDescriptionLocalizations({ ja: 'または画像のhttps://リンク' })
        .setMaxLength(500),
    );
}

function artInput(interaction: ChatInputCommandInteraction): ArtInput | null {
  const attachment = interaction.options.getAttachment('image');
  const url = interaction.options.getString('url');
  if (attachment && !url) return { kind: 'attachment', url: attachment.url, size: attachment.size };
  if (url && !attachment) return { kind: 'url', url };
  return null;
}

function setArtSubcommand(kind: TargetKind, name: string, jaName: string, description: string, ja: string): Subcommand {
  return {
    name,
    build: (sc) =>
      imageOptions(
        idOption(
          sc.setNameLocalizations({ ja: jaName }).setDescription(description).setDescriptionLocalizations({ ja }),
          kind,
        ),
      ),
    async execute(interaction, ctx) {
      const strings = ART_ADMIN_STRINGS[ctx.locale];
      const input = artInput(interaction);
      if (!input) return reply(strings.giveOne);
      const id = interaction.options.getString('id', true);
      try {
        const result = await ctx.art.setArt({ guildId: ctx.guildId, actorId: ctx.userId, target: { kind, id }, input });
        return reply(
          strings.set({
            target: targetName(kind, ctx.locale),
            id,
            width: result.sourceWidth,
            height: result.sourceHeight,
            kb: (result.bytes / 1024).toFixed(1),
          }),
        );
      } catch (error) {
        if (error instanceof ArtError) return reply(artErrorMessage(error, ctx.locale));
        throw error;
      }
    },
    autocomplete(interaction, ctx) {
      return Promise.resolve(suggest(ctx, kind, interaction.options.getFocused()));
    },
  };
}

export const artItemSubcommand = setArtSubcommand(
  'item',
  'art-item',
  'アイテム画像',
  'Set the card art of an item (image attachment or https link)',
  'アイテムのカード画像を設定（画像の添付またはhttpsリンク）',
);

export const artBannerSubcommand = setArtSubcommand(
  'banner',
  'art-banner',
  'ガチャ画像',
  'Set the art of a banner (image attachment or https link)',
  'ガチャの画像を設定（画像の添付またはhttpsリンク）',
);

export const artClearSubcommand: Subcommand = {
  name: 'art-clear',
  build: (sc) =>
    idOption(
      sc
        .setNameLocalizations({ ja: '画像削除' })
        .setDescription('Remove the art of an item or a banner')
        .setDescriptionLocalizations({ ja: 'アイテムまたはガチャの画像を削除' })
        .addStringOption((o) =>
          o
            .setName('kind')
            .setNameLocalizations({ ja: '種類' })
            .setDescription('Item or banner')
            .setDescriptionLocalizations({ ja: 'アイテムかガチャか' })
            .setRequired(true)
            .addChoices(
              { name: 'item', name_localizations: { ja: 'アイテム' }, value: 'item' },
              { name: 'banner', name_localizations: { ja: 'ガチャ' }, value: 'banner' },
            ),
        ),
      'item',
    ),
  async execute(interaction, ctx) {
    const kind: TargetKind = interaction.options.getString('kind', true) === 'banner' ? 'banner' : 'item';
    const id = interaction.options.getString('id', true);
    const strings = ART_ADMIN_STRINGS[ctx.locale];
    const removed = await ctx.art.clearArt(ctx.guildId, ctx.userId, { kind, id });
    const params = { target: targetName(kind, ctx.locale), id };
    return reply(removed ? strings.cleared(params) : strings.hadNone(params));
  },
  autocomplete(interaction, ctx) {
    const kind: TargetKind = interaction.options.getString('kind') === 'banner' ? 'banner' : 'item';
    return Promise.resolve(suggest(ctx, kind, interaction.options.getFocused()));
  },
};
