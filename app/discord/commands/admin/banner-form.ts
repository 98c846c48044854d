/**
 * The banner form (a Discord modal) that `create-banner` opens when its options leave out the name,
 * the end or the featured items, and `edit-banner` opens when only the id is given (filled with
 * the banner). Dates read `YYYY-MM-DD HH:mm` in the server's time zone or a Discord timestamp;
 * pity reads `hard pity / spark`. The submit (`gacha-admin:banner-form:create|edit:<id>`) is
 * checked first — problems are answered in the admin's language and nothing is staged — then
 * staged with the same preview and Confirm as every catalog edit.
 */
import { LabelBuilder, ModalBuilder, type ModalSubmitInteraction, TextInputBuilder, TextInputStyle } from 'discord.js';
import { formName, formatAdminDate, parseAdminDate, parseIdList } from '../../../domain/admin-input';
import { type BannerDefinition, type Catalog, mainLanguageOf } from '../../../domain/catalog';
import { createLimitedBanner } from '../../../domain/catalog-edits';
import { GachaError } from '../../../domain/errors';
import type { LiveChangePolicy } from '../../../services/admin-service';
import type { CommandContext, CommandReply } from '../../command';
import type { ModalHandler } from '../../subcommand';
import { adminStrings } from './admin-strings';
import { clip, stageCatalogChange } from './change-preview';

export interface BannerFormValues {
  readonly name?: string | null;
  readonly starts?: string | null;
  readonly ends?: string | null;
  readonly featured?: string | null;
  readonly pity?: string | null;
}

type Mode = 'create' | 'edit';

function input(customId: string, max: number, required: boolean, value?: string | null, placeholder?: string) {
  const field = new TextInputBuilder()
    .setCustomId(customId)
    .setStyle(TextInputStyle.Short)
    .setRequired(required)
    .setMaxLength(max);
  if (required) field.setMinLength(1);
  if (value) field.setValue(value.slice(0, max));
  if (placeholder) field.setPlaceholder(placeholder.slice(0, 100));
  return field;
}

/**
 * The form for banner `id`, filled with `values`; `live` (the command's option) goes with the
 * submit as `a` or `r` in the custom id (≤ 100 characters with a 64-character id).
 */
export function bannerForm(
  ctx: CommandContext,
  mode: Mode,
  id: string,
  values: BannerFormValues,
  live: LiveChangePolicy = 'refuse',
): ModalBuilder {
  const s = adminStrings(ctx.locale);
  const f = s.bannerForm;
  const zone = ctx.settings.daily.timezone;
  const main = mainLanguageOf(ctx.settings.catalog);
  const dateHint = f.startsHint({ zone });
  return new ModalBuilder()
    .setCustomId(`gacha-admin:banner-form:${mode}:${live === 'announce' ? 'a' : 'r'}:${id}`)
    .setTitle(clip(mode === 'create' ? f.createTitle({ id }) : f.editTitle({ id }), 45))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(s.form.name({ language: s.form.languages[main] }))
        .setTextInputComponent(input('name', 100, true, values.name)),
      new LabelBuilder().setLabel(f.starts).setTextInputComponent(input('starts', 40, false, values.starts, dateHint)),
      new LabelBuilder()
        .setLabel(f.ends)
        .setTextInputComponent(input('ends', 40, mode === 'create', values.ends, dateHint)),
      new LabelBuilder()
        .setLabel(f.featured)
        .setTextInputComponent(input('featured', 500, mode === 'create', values.featured, f.featuredHint)),
      new LabelBuilder().setLabel(f.pity).setTextInputComponent(input('pity', 20, false, values.pity, f.pityHint)),
    );
}

export function showBannerForm(
  ctx: CommandContext,
  mode: Mode,
  id: string,
  values: BannerFormValues,
  live: LiveChangePolicy = 'refuse',
): CommandReply {
  return { modal: bannerForm(ctx, mode, id, values, live) };
}

/** The edit form's values: the banner as it is. */
export function bannerFormValues(banner: BannerDefinition, catalog: Catalog, zone: string): BannerFormValues {
  return {
    name: banner.name[mainLanguageOf(catalog)],
    starts: banner.startsAt ? formatAdminDate(banner.startsAt, zone) : null,
    ends: banner.endsAt ? formatAdminDate(banner.endsAt, zone) : null,
    featured: banner.featuredItemIds.join(', '),
    pity: `${banner.pity.hardPity} / ${banner.sparkThreshold}`,
  };
}

/** What the form asks to change; absent fields stay as they are (create: the defaults). */
interface BannerFormEdit {
  readonly name: string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly featuredItemIds?: string[];
  readonly hardPity?: number;
  readonly spark?: number;
}

const PITY = /^(\d{1,4})\s*(?:\/\s*(\d{1,5}))?$/;

/** Reads the submitted form; returns the localized problems instead when any field is wrong. */
export function readBannerForm(
  fields: BannerFormValues,
  ctx: CommandContext,
  mode: Mode,
  current: BannerDefinition | undefined,
): { readonly edit: BannerFormEdit } | { readonly problems: string[] } {
  const f = adminStrings(ctx.locale).bannerForm;
  const zone = ctx.settings.daily.timezone;
  const problems: string[] = [];
  const date = (text: string | null | undefined, label: string, was: Date | undefined): Date | undefined => {
    const trimmed = (text ?? '').trim();
    if (trimmed === '') return undefined;
    // The edit form shows dates to the minute: left as shown, the stored date (to the second) stays.
    if (was && trimmed === formatAdminDate(was, zone)) return undefined;
    try {
      return parseAdminDate(trimmed, zone);
    } catch (error) {
      if (!(error instanceof GachaError)) throw error;
      problems.push(f.badDate({ field: label, text: clip(trimmed, 40), zone }));
      return undefined;
    }
  };
  const startsAt = date(fields.starts, f.starts.replace(/\s*[（(].*$/, ''), current?.startsAt);
  const endsAt = date(fields.ends, f.ends, current?.endsAt);
  const endsText = (fields.ends ?? '').trim();
  if (mode === 'create' && endsText === '') problems.push(f.endRequired);
  const start = startsAt ?? (mode === 'create' ? new Date() : current?.startsAt);
  const end = endsAt ?? current?.endsAt;
  if (start && end && end <= start && (endsAt || startsAt)) problems.push(f.endBeforeStart);
  const featuredText = (fields.featured ?? '').trim();
  const featuredItemIds = featuredText === '' ? undefined : parseIdList(featuredText);
  if (mode === 'create' && !featuredItemIds) problems.push(f.featuredRequired);
  const unknown = (featuredItemIds ?? []).filter((id) => !ctx.settings.catalog.items.some((i) => i.id === id));
  if (unknown.length > 0)
    problems.push(f.unknownItems({ ids: clip(unknown.map((id) => `\`${id}\``).join(', '), 300) }));
  const pityText = (fields.pity ?? '').trim();
  const pity = pityText === '' ? null : PITY.exec(pityText);
  if (pityText !== '' && !pity) problems.push(f.badPity({ text: clip(pityText, 20) }));
  if (problems.length > 0) return { problems };
  return {
    edit: {
      name: (fields.name ?? '').trim(),
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(featuredItemIds ? { featuredItemIds } : {}),
      ...(pity?.[1] !== undefined ? { hardPity: Number(pity[1]) } : {}),
      ...(pity?.[2] !== undefined ? { spark: Number(pity[2]) } : {}),
    },
  };
}

function applyForm(c: Catalog, mode: Mode, id: string, edit: BannerFormEdit, now: Date): Catalog {
  const main = mainLanguageOf(c);
  const other = main === 'ja' ? 'en' : 'ja';
  if (mode === 'create') {
    const created = createLimitedBanner(c, {
      id,
      name: formName(main, edit.name, null),
      featuredItemIds: edit.featuredItemIds ?? [],
      startsAt: edit.startsAt ?? now,
      endsAt: edit.endsAt ?? now,
      rateUpSharePpm: 500_000,
      sparkThreshold: edit.spark ?? 300,
    });
    if (edit.hardPity === undefined) return created;
    const hardPity = edit.hardPity;
    return {
      ...created,
      banners: created.banners.map((b) => (b.id === id ? { ...b, pity: { ...b.pity, hardPity } } : b)),
    };
  }
  const banner = c.banners.find((b) => b.id === id);
  if (!banner) throw new GachaError('unknown-banner', `There is no banner "${id}"`, { bannerId: id });
  const keepOther = banner.name[other] === banner.name[main] ? null : banner.name[other];
  const next: BannerDefinition = {
    ...banner,
    name: formName(main, edit.name, keepOther),
    ...(edit.startsAt ? { startsAt: edit.startsAt } : {}),
    ...(edit.endsAt ? { endsAt: edit.endsAt } : {}),
    ...(edit.featuredItemIds ? { featuredItemIds: edit.featuredItemIds } : {}),
    ...(edit.spark !== undefined ? { sparkThreshold: edit.spark } : {}),
    ...(edit.hardPity !== undefined ? { pity: { ...banner.pity, hardPity: edit.hardPity } } : {}),
  };
  return { ...c, banners: c.banners.map((b) => (b.id === id ? next : b)) };
}

function read(interaction: ModalSubmitInteraction): BannerFormValues {
  const text = (id: string): string | null =>
    interaction.fields.fields.has(id) ? interaction.fields.getTextInputValue(id) : null;
  return {
    name: text('name'),
    starts: text('starts'),
    ends: text('ends'),
    featured: text('featured'),
    pity: text('pity'),
  };
}

export const BANNER_FORM_MODALS: Readonly<Record<string, ModalHandler>> = {
  'banner-form'(interaction, ctx, [modeText = '', liveText = '', id = '']) {
    const mode: Mode = modeText === 'create' ? 'create' : 'edit';
    const current = ctx.settings.catalog.banners.find((b) => b.id === id);
    if (mode === 'edit' && !current)
      throw new GachaError('unknown-banner', `There is no banner "${id}"`, { bannerId: id });
    const result = readBannerForm(read(interaction), ctx, mode, current);
    if ('problems' in result) {
      const f = adminStrings(ctx.locale).bannerForm;
      return Promise.resolve({
        content: clip(f.refused({ problems: result.problems.join('\n') }), 2_000),
        ephemeral: true,
      });
    }
    const now = new Date();
    return stageCatalogChange(
      ctx,
      `${mode}-banner ${id}`,
      (c) => applyForm(c, mode, id, result.edit, now),
      liveText === 'a' ? 'announce' : 'refuse',
    );
  },
};
