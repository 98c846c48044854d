/**
 * The item form (a Discord modal: labels around text inputs, a tier select and an optional card-art
 * file upload) that `add-item` and `edit-item` open when their options leave fields out. Its
 * submit (`gacha-admin:item-form:add` or `…:edit:<id>`) is routed like a button (admin check on
 * the server), read, and staged with a preview like every other catalog edit. An uploaded picture
 * goes through the same intake as `/gacha-admin art-item` (checked, normalised, stored) before the
 * preview; the item names it only when the change is confirmed.
 */
import {
  type Attachment,
  FileUploadBuilder,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { ArtError } from '../../../art/art-errors';
import { artErrorMessage } from '../../../art/art-messages';
import { formName } from '../../../domain/admin-input';
import { withArt } from '../../../domain/art-edits';
import { type Catalog, type ItemDefinition, mainLanguageOf } from '../../../domain/catalog';
import { addItem } from '../../../domain/catalog-edits';
import { GachaError } from '../../../domain/errors';
import type { CommandContext, CommandReply } from '../../command';
import type { ModalHandler } from '../../subcommand';
import { adminStrings } from './admin-strings';
import { stageCatalogChange } from './change-preview';

export interface ItemFormDefaults {
  readonly id?: string | null;
  readonly tierId?: string | null;
  readonly name?: string | null;
  readonly otherName?: string | null;
}

/** The form; `editing` names the item being edited (its id is then not asked). */
export function itemForm(ctx: CommandContext, editing: string | null, defaults: ItemFormDefaults): ModalBuilder {
  const s = adminStrings(ctx.locale);
  const catalog = ctx.settings.catalog;
  const main = mainLanguageOf(catalog);
  const other = main === 'ja' ? 'en' : 'ja';
  const modal = new ModalBuilder()
    .setCustomId(editing ? `gacha-admin:item-form:edit:${editing}` : 'gacha-admin:item-form:add')
    .setTitle((editing ? s.form.editItemTitle({ id: editing }) : s.form.addItemTitle).slice(0, 45));
  if (!editing) {
    const id = new TextInputBuilder()
      .setCustomId('id')
      .setStyle(TextInputStyle.Short)
      .setMinLength(1)
      .setMaxLength(64)
      .setPlaceholder(s.form.idHint.slice(0, 100));
    if (defaults.id) id.setValue(defaults.id.slice(0, 64));
    modal.addLabelComponents(new LabelBuilder().setLabel(s.form.id).setTextInputComponent(id));
  }
  const tiers = [...catalog.tiers]
    .sort((a, b) => b.rank - a.rank)
    .slice(0, 25)
    .map((t) =>
      new StringSelectMenuOptionBuilder()
        .setValue(t.id)
        .setLabel(`${t.emoji} ${t.name[ctx.locale]}`.slice(0, 100))
        .setDefault(t.id === defaults.tierId),
    );
  modal.addLabelComponents(
    new LabelBuilder()
      .setLabel(s.form.tier)
      .setStringSelectMenuComponent(
        new StringSelectMenuBuilder().setCustomId('tier').setMinValues(1).setMaxValues(1).addOptions(tiers),
      ),
  );
  const name = new TextInputBuilder()
    .setCustomId('name')
    .setStyle(TextInputStyle.Short)
    .setMinLength(1)
    .setMaxLength(100);
  if (defaults.name) name.setValue(defaults.name.slice(0, 100));
  const otherName = new TextInputBuilder()
    .setCustomId('other-name')
    .setStyle(TextInputStyle.Short)
    .setRequired(false)
    .setMaxLength(100)
    .setPlaceholder(s.form.otherNameHint.slice(0, 100));
  if (defaults.otherName) otherName.setValue(defaults.otherName.slice(0, 100));
  modal.addLabelComponents(
    new LabelBuilder().setLabel(s.form.name({ language: s.form.languages[main] })).setTextInputComponent(name),
    new LabelBuilder()
      .setLabel(s.form.otherName({ language: s.form.languages[other] }))
      .setTextInputComponent(otherName),
    new LabelBuilder()
      .setLabel(s.form.art)
      .setDescription(s.form.artHint)
      .setFileUploadComponent(
        new FileUploadBuilder().setCustomId(ART_FIELD).setRequired(false).setMinValues(0).setMaxValues(1),
      ),
  );
  return modal;
}

/** Opens the item form as the answer to a slash command. */
export function showItemForm(ctx: CommandContext, editing: string | null, defaults: ItemFormDefaults): CommandReply {
  return { modal: itemForm(ctx, editing, defaults) };
}

/** The custom id of the form's card-art upload. */
export const ART_FIELD = 'art';

/** The uploaded art file, or null (none chosen, or a form sent before the upload existed). */
function uploadedArt(interaction: ModalSubmitInteraction): Attachment | null {
  if (!interaction.fields.fields.has(ART_FIELD)) return null;
  return interaction.fields.getUploadedFiles(ART_FIELD)?.first() ?? null;
}

/** Takes the upload through the art intake: its art id, null without an upload, or the refusal to show. */
async function takeUpload(
  interaction: ModalSubmitInteraction,
  ctx: CommandContext,
): Promise<{ readonly artId: string | null } | { readonly refusal: CommandReply }> {
  const file = uploadedArt(interaction);
  if (!file) return { artId: null };
  try {
    const input = { kind: 'attachment', url: file.url, size: file.size } as const;
    return { artId: (await ctx.art.storeArt(ctx.guildId, ctx.userId, input)).artId };
  } catch (error) {
    if (!(error instanceof ArtError)) throw error;
    return {
      refusal: { content: artErrorMessage(error, ctx.locale), allowedMentions: { parse: [] }, ephemeral: true },
    };
  }
}

function read(interaction: ModalSubmitInteraction) {
  const tierId = interaction.fields.getStringSelectValues('tier')[0] ?? '';
  return {
    tierId,
    name: interaction.fields.getTextInputValue('name'),
    otherName: interaction.fields.getTextInputValue('other-name'),
  };
}

export const ITEM_FORM_MODALS: Readonly<Record<string, ModalHandler>> = {
  async 'item-form'(interaction, ctx, [mode = '', editing = '']) {
    const { tierId, name, otherName } = read(interaction);
    const upload = await takeUpload(interaction, ctx);
    if ('refusal' in upload) return upload.refusal;
    const { artId } = upload;
    const withUpload = (c: Catalog, id: string): Catalog => (artId ? withArt(c, { kind: 'item', id }, artId) : c);
    if (mode === 'add') {
      const id = interaction.fields.getTextInputValue('id').trim();
      return stageCatalogChange(
        ctx,
        `add-item ${id}`,
        (c) => withUpload(addItem(c, { id, tierId, name: formName(mainLanguageOf(c), name, otherName) }), id),
        'refuse',
      );
    }
    return stageCatalogChange(
      ctx,
      `edit-item ${editing}`,
      (c) => {
        const item = c.items.find((i) => i.id === editing);
        if (!item) throw new GachaError('unknown-item', `there is no item "${editing}"`);
        const next: ItemDefinition = { ...item, tierId, name: formName(mainLanguageOf(c), name, otherName) };
        return withUpload({ ...c, items: c.items.map((i) => (i.id === editing ? next : i)) }, editing);
      },
      'refuse',
    );
  },
};
