/**
 * /gacha-admin set-rates | add-item | edit-item | remove-item | create-banner | edit-banner |
 * end-banner: the item pool and banners. Every edit is previewed (consequences, then Confirm or
 * Cancel, see change-preview.ts); ids autocomplete in the admin's language; names need only the
 * server's main language; rates read `3.4%` or ppm; dates read `<t:…>` or `YYYY-MM-DD HH:mm` in
 * the server's time zone. Edits that change the odds of a running banner are refused unless
 * `live: announce` is chosen (then they go to the public changelog).
 */
import type { AutocompleteInteraction, SlashCommandSubcommandBuilder, SlashCommandStringOption } from 'discord.js';
import { formName, parseAdminDate, parseIdList, parseRateInput } from '../../../domain/admin-input';
import { type BannerDefinition, type Catalog, mainLanguageOf } from '../../../domain/catalog';
import { addItem, createLimitedBanner, endBanner, removeItem, setRates } from '../../../domain/catalog-edits';
import { GachaError } from '../../../domain/errors';
import type { CommandContext } from '../../command';
import type { Subcommand } from '../../subcommand';
import { livePolicy, stageCatalogChange } from './change-preview';
import { BANNER_FORM_MODALS, bannerFormValues, showBannerForm } from './banner-form';
import { ITEM_FORM_MODALS, showItemForm } from './item-form';

const MAX_CHOICES = 25;

function liveOption(o: SlashCommandStringOption): SlashCommandStringOption {
  return o
    .setName('live')
    .setNameLocalizations({ ja: '開催中' })
    .setDescription('If a running banner’s odds change: refuse (default) or announce in the changelog')
    .setDescriptionLocalizations({ ja: '開催中のガチャの確率が変わる場合: 拒否（既定）か変更履歴で告知' })
    .addChoices(
      { name: 'refuse', name_localizations: { ja: '拒否' }, value: 'refuse' },
      { name: 'announce', name_localizations: { ja: '告知して変更' }, value: 'announce' },
    );
}

/** Choices for an id option: entries whose id or name (in the admin's language) contains the typed text. */
export function idChoices(
  entries: readonly { id: string; label: string }[],
  typed: string,
  prefix = '',
): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  return entries
    .filter((e) => needle === '' || e.id.toLowerCase().includes(needle) || e.label.toLowerCase().includes(needle))
    .slice(0, MAX_CHOICES)
    .map((e) => {
      const value = `${prefix}${e.id}`;
      return { name: `${e.label} (${e.id})`.slice(0, 100), value: value.slice(0, 100) };
    })
    .filter((c) => c.value.length <= 100);
}

function itemEntries(catalog: Catalog, ctx: CommandContext) {
  return catalog.items.map((i) => ({ id: i.id, label: i.name[ctx.locale] }));
}

/** Autocomplete for the id options of catalog edits (items, tiers, banners; lists complete their last id). */
export function catalogAutocomplete(interaction: AutocompleteInteraction, ctx: CommandContext) {
  const focused = interaction.options.getFocused(true);
  const catalog = ctx.settings.catalog;
  const value = focused.value;
  const sub = interaction.options.getSubcommand(false);
  switch (focused.name) {
    case 'tier':
      return Promise.resolve(
        idChoices(
          catalog.tiers.map((t) => ({ id: t.id, label: `${t.emoji} ${t.name[ctx.locale]}` })),
          value,
        ),
      );
    case 'featured':
    case 'pool': {
      const at = value.lastIndexOf(',');
      const head = at >= 0 ? value.slice(0, at + 1) : '';
      return Promise.resolve(idChoices(itemEntries(catalog, ctx), value.slice(at + 1), head));
    }
    case 'id': {
      const banners = sub === 'edit-banner' || sub === 'end-banner';
      const entries = banners
        ? catalog.banners
            .filter((b) => sub !== 'end-banner' || b.kind === 'limited')
            .map((b) => ({ id: b.id, label: b.name[ctx.locale] }))
        : itemEntries(catalog, ctx);
      return Promise.resolve(idChoices(entries, value));
    }
    default:
      return Promise.resolve([]);
  }
}

function idOption(o: SlashCommandStringOption, what: string, whatJa: string, autocomplete: boolean, required = true) {
  return o
    .setName('id')
    .setNameLocalizations({ ja: 'id' })
    .setDescription(`${what} id`)
    .setDescriptionLocalizations({ ja: `${whatJa}のID` })
    .setRequired(required)
    .setMaxLength(64)
    .setAutocomplete(autocomplete);
}

function nameOptions(sc: SlashCommandSubcommandBuilder, required: boolean): SlashCommandSubcommandBuilder {
  return sc
    .addStringOption((o) =>
      o
        .setName('name')
        .setNameLocalizations({ ja: '名前' })
        .setDescription('Name in the server’s main language')
        .setDescriptionLocalizations({ ja: 'サーバーのメイン言語での名前' })
        .setRequired(required)
        .setMaxLength(100),
    )
    .addStringOption((o) =>
      o
        .setName('other-name')
        .setNameLocalizations({ ja: '別言語名' })
        .setDescription('Name in the other language (optional: falls back to the main name)')
        .setDescriptionLocalizations({ ja: 'もう一方の言語での名前（省略時はメインの名前）' })
        .setMaxLength(100),
    );
}

function tierOption(o: SlashCommandStringOption, required: boolean) {
  return o
    .setName('tier')
    .setNameLocalizations({ ja: 'レア度' })
    .setDescription('Tier')
    .setDescriptionLocalizations({ ja: 'レア度' })
    .setRequired(required)
    .setMaxLength(32)
    .setAutocomplete(true);
}

export const setRatesSubcommand: Subcommand = {
  name: 'set-rates',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '確率設定' })
      .setDescription('Tier rates, e.g. N=50%,R=35%,SR=11%,SSR=3.4%,UR=6000ppm (must sum to 100%)')
      .setDescriptionLocalizations({ ja: 'レア度ごとの確率 例: N=50%,R=35%,SR=11%,SSR=3.4%,UR=6000ppm（合計100%）' })
      .addStringOption((o) =>
        o
          .setName('rates')
          .setNameLocalizations({ ja: '確率' })
          .setDescription('TIER=rate, …')
          .setDescriptionLocalizations({ ja: 'レア度=確率, …' })
          .setRequired(true)
          .setMaxLength(300),
      )
      .addStringOption(liveOption),
  execute(interaction, ctx) {
    const text = interaction.options.getString('rates', true);
    return stageCatalogChange(
      ctx,
      `set-rates ${text.slice(0, 100)}`,
      (c) => setRates(c, text),
      livePolicy(interaction),
    );
  },
};

export const addItemSubcommand: Subcommand = {
  name: 'add-item',
  build: (sc) =>
    nameOptions(
      sc
        .setNameLocalizations({ ja: 'アイテム追加' })
        .setDescription('Add an item (options left out open a form; preview, then confirm)')
        .setDescriptionLocalizations({ ja: 'アイテムを追加（省略するとフォームを表示・確認あり）' })
        .addStringOption((o) => idOption(o, 'New item', '新しいアイテム', false, false))
        .addStringOption((o) => tierOption(o, false)),
      false,
    ).addStringOption(liveOption),
  execute(interaction, ctx) {
    const id = interaction.options.getString('id');
    const tierId = interaction.options.getString('tier');
    const mainName = interaction.options.getString('name');
    const otherName = interaction.options.getString('other-name');
    if (id === null || tierId === null || mainName === null) {
      return Promise.resolve(showItemForm(ctx, null, { id, tierId, name: mainName, otherName }));
    }
    const name = formName(mainLanguageOf(ctx.settings.catalog), mainName, otherName);
    return stageCatalogChange(ctx, `add-item ${id}`, (c) => addItem(c, { id, tierId, name }), livePolicy(interaction));
  },
  autocomplete: catalogAutocomplete,
  modals: ITEM_FORM_MODALS,
};

export const editItemSubcommand: Subcommand = {
  name: 'edit-item',
  build: (sc) =>
    nameOptions(
      sc
        .setNameLocalizations({ ja: 'アイテム編集' })
        .setDescription('Change an item’s tier or names (only the id opens a form; preview, then confirm)')
        .setDescriptionLocalizations({ ja: 'アイテムのレア度や名前を変更（IDだけならフォーム・確認あり）' })
        .addStringOption((o) => idOption(o, 'Item', 'アイテム', true))
        .addStringOption((o) => tierOption(o, false)),
      false,
    ).addStringOption(liveOption),
  execute(interaction, ctx) {
    const id = interaction.options.getString('id', true);
    const tierId = interaction.options.getString('tier');
    const mainName = interaction.options.getString('name');
    const otherName = interaction.options.getString('other-name');
    if (tierId === null && mainName === null && otherName === null) {
      const item = ctx.settings.catalog.items.find((i) => i.id === id);
      if (!item) throw new GachaError('unknown-item', `there is no item "${id}"`);
      const main = mainLanguageOf(ctx.settings.catalog);
      const other = main === 'ja' ? 'en' : 'ja';
      return Promise.resolve(
        showItemForm(ctx, id, {
          tierId: item.tierId,
          name: item.name[main],
          otherName: item.name[other] === item.name[main] ? null : item.name[other],
        }),
      );
    }
    return stageCatalogChange(
      ctx,
      `edit-item ${id}`,
      (c) => {
        const item = c.items.find((i) => i.id === id);
        if (!item) throw new GachaError('unknown-item', `there is no item "${id}"`);
        const main = mainLanguageOf(c);
        const other = main === 'ja' ? 'en' : 'ja';
        const name =
          mainName !== null || otherName !== null
            ? formName(main, mainName ?? item.name[main], otherName ?? item.name[other])
            : item.name;
        return { ...c, items: c.items.map((i) => (i.id === id ? { ...i, tierId: tierId ?? i.tierId, name } : i)) };
      },
      livePolicy(interaction),
    );
  },
  autocomplete: catalogAutocomplete,
};

export const removeItemSubcommand: Subcommand = {
  name: 'remove-item',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'アイテム削除' })
      .setDescription('Remove an item from the pool (players keep what they own; preview, then confirm)')
      .setDescriptionLocalizations({ ja: 'アイテムを削除（所持分は残ります・確認あり）' })
      .addStringOption((o) => idOption(o, 'Item', 'アイテム', true))
      .addStringOption(liveOption),
  execute(interaction, ctx) {
    const itemId = interaction.options.getString('id', true);
    return stageCatalogChange(ctx, `remove-item ${itemId}`, (c) => removeItem(c, itemId), livePolicy(interaction));
  },
  autocomplete: catalogAutocomplete,
};

function bannerOptions(sc: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sc
    .addStringOption((o) =>
      o
        .setName('featured')
        .setNameLocalizations({ ja: 'ピックアップ' })
        .setDescription('Featured item ids, comma-separated')
        .setDescriptionLocalizations({ ja: 'ピックアップするアイテムのID（カンマ区切り）' })
        .setMaxLength(500)
        .setAutocomplete(true),
    )
    .addStringOption((o) =>
      o
        .setName('starts')
        .setNameLocalizations({ ja: '開始' })
        .setDescription('Start: <t:…> or YYYY-MM-DD HH:mm in the server’s time zone')
        .setDescriptionLocalizations({ ja: '開始日時: <t:…> または サーバーのタイムゾーンで YYYY-MM-DD HH:mm' })
        .setMaxLength(40),
    )
    .addStringOption((o) =>
      o
        .setName('ends')
        .setNameLocalizations({ ja: '終了' })
        .setDescription('End: <t:…> or YYYY-MM-DD HH:mm in the server’s time zone')
        .setDescriptionLocalizations({ ja: '終了日時: <t:…> または サーバーのタイムゾーンで YYYY-MM-DD HH:mm' })
        .setMaxLength(40),
    )
    .addStringOption((o) =>
      o
        .setName('rate-up')
        .setNameLocalizations({ ja: 'ピックアップ率' })
        .setDescription('Featured share of a tier: 50% or ppm')
        .setDescriptionLocalizations({ ja: 'ピックアップの割合: 50% または ppm' })
        .setMaxLength(12),
    )
    .addIntegerOption((o) =>
      o
        .setName('hard-pity')
        .setNameLocalizations({ ja: '天井' })
        .setDescription('Top tier guaranteed at this pull (0 = none)')
        .setDescriptionLocalizations({ ja: '天井（この回数で最高レア確定、0 = なし）' })
        .setMinValue(0)
        .setMaxValue(1_000),
    )
    .addIntegerOption((o) =>
      o
        .setName('spark')
        .setNameLocalizations({ ja: '交換' })
        .setDescription('Spark exchange at this many pulls (0 = none)')
        .setDescriptionLocalizations({ ja: '交換（この回数で交換可、0 = なし）' })
        .setMinValue(0)
        .setMaxValue(10_000),
    )
    .addStringOption((o) =>
      o
        .setName('pool')
        .setNameLocalizations({ ja: '排出対象' })
        .setDescription('The banner’s own pool: item ids, comma-separated (empty: the shared pool)')
        .setDescriptionLocalizations({ ja: 'このガチャだけの排出対象アイテムID（カンマ区切り）' })
        .setMaxLength(1_000)
        .setAutocomplete(true),
    )
    .addBooleanOption((o) =>
      o
        .setName('featured-in-standard')
        .setNameLocalizations({ ja: '通常にも排出' })
        .setDescription('Featured items also drop from the standard banner (default: no)')
        .setDescriptionLocalizations({ ja: 'ピックアップを通常ガチャからも排出する（既定: しない）' }),
    );
}

/** The banner fields an admin set in the options; absent ones are left as they are. */
function bannerEdits(
  interaction: Parameters<Subcommand['execute']>[0],
  ctx: CommandContext,
): Partial<BannerDefinition> {
  const zone = ctx.settings.daily.timezone;
  const o = interaction.options;
  const featured = o.getString('featured');
  const starts = o.getString('starts');
  const ends = o.getString('ends');
  const rateUp = o.getString('rate-up');
  const pool = o.getString('pool');
  const edits: Partial<BannerDefinition> = {};
  if (featured !== null) edits.featuredItemIds = parseIdList(featured);
  if (starts !== null) edits.startsAt = parseAdminDate(starts, zone);
  if (ends !== null) edits.endsAt = parseAdminDate(ends, zone);
  if (rateUp !== null) edits.rateUpSharePpm = parseRateInput(rateUp);
  if (pool !== null) edits.poolItemIds = parseIdList(pool);
  const spark = o.getInteger('spark');
  if (spark !== null) edits.sparkThreshold = spark;
  const inStandard = o.getBoolean('featured-in-standard');
  if (inStandard !== null) edits.featuredInStandard = inStandard;
  return edits;
}

export const createBannerSubcommand: Subcommand = {
  name: 'create-banner',
  build: (sc) =>
    bannerOptions(
      nameOptions(
        sc
          .setNameLocalizations({ ja: 'ガチャ作成' })
          .setDescription('Create a limited banner (name, end or featured left out open a form; preview, then confirm)')
          .setDescriptionLocalizations({
            ja: '限定ガチャを作成（名前・終了・ピックアップを省略するとフォーム・確認あり）',
          })
          .addStringOption((o) => idOption(o, 'New banner', '新しいガチャ', false)),
        false,
      ),
    ).addStringOption(liveOption),
  execute(interaction, ctx) {
    const id = interaction.options.getString('id', true);
    const o = interaction.options;
    if (o.getString('name') === null || o.getString('ends') === null || o.getString('featured') === null) {
      const hardPity = o.getInteger('hard-pity');
      const spark = o.getInteger('spark');
      return Promise.resolve(
        showBannerForm(
          ctx,
          'create',
          id,
          {
            name: o.getString('name'),
            starts: o.getString('starts'),
            ends: o.getString('ends'),
            featured: o.getString('featured'),
            pity: hardPity !== null || spark !== null ? `${hardPity ?? 0} / ${spark ?? 300}` : null,
          },
          livePolicy(interaction),
        ),
      );
    }
    const edits = bannerEdits(interaction, ctx);
    const hardPity = interaction.options.getInteger('hard-pity');
    if (!edits.endsAt) throw new GachaError('invalid-config', 'a limited banner needs an end date (ends)');
    if (!edits.featuredItemIds?.length) throw new GachaError('invalid-config', 'name at least one featured item');
    const name = formName(
      mainLanguageOf(ctx.settings.catalog),
      interaction.options.getString('name', true),
      interaction.options.getString('other-name'),
    );
    const endsAt = edits.endsAt;
    const featuredItemIds = edits.featuredItemIds;
    return stageCatalogChange(
      ctx,
      `create-banner ${id}`,
      (c) => {
        const created = createLimitedBanner(c, {
          id,
          name,
          featuredItemIds,
          startsAt: edits.startsAt ?? new Date(),
          endsAt,
          rateUpSharePpm: edits.rateUpSharePpm ?? 500_000,
          sparkThreshold: edits.sparkThreshold ?? 300,
        });
        return {
          ...created,
          banners: created.banners.map((b) =>
            b.id === id
              ? {
                  ...b,
                  ...(edits.poolItemIds ? { poolItemIds: edits.poolItemIds } : {}),
                  ...(edits.featuredInStandard !== undefined ? { featuredInStandard: edits.featuredInStandard } : {}),
                  ...(hardPity !== null ? { pity: { ...b.pity, hardPity } } : {}),
                }
              : b,
          ),
        };
      },
      livePolicy(interaction),
    );
  },
  autocomplete: catalogAutocomplete,
  modals: BANNER_FORM_MODALS,
};

export const editBannerSubcommand: Subcommand = {
  name: 'edit-banner',
  build: (sc) =>
    bannerOptions(
      nameOptions(
        sc
          .setNameLocalizations({ ja: 'ガチャ編集' })
          .setDescription(
            'Change a banner: names, dates, featured, pool, pity (only the id opens a form; then confirm)',
          )
          .setDescriptionLocalizations({
            ja: 'ガチャを変更: 名前・日時・ピックアップ・排出対象・天井（IDだけならフォーム・確認あり）',
          })
          .addStringOption((o) => idOption(o, 'Banner', 'ガチャ', true)),
        false,
      ),
    ).addStringOption(liveOption),
  execute(interaction, ctx) {
    const id = interaction.options.getString('id', true);
    // Only the id (and perhaps `live`): the form, filled with the banner.
    if (interaction.options.data[0]?.options?.every((opt) => opt.name === 'id' || opt.name === 'live') ?? true) {
      const banner = ctx.settings.catalog.banners.find((b) => b.id === id);
      if (!banner) throw new GachaError('unknown-banner', `There is no banner "${id}"`, { bannerId: id });
      return Promise.resolve(
        showBannerForm(
          ctx,
          'edit',
          id,
          bannerFormValues(banner, ctx.settings.catalog, ctx.settings.daily.timezone),
          livePolicy(interaction),
        ),
      );
    }
    const edits = bannerEdits(interaction, ctx);
    const hardPity = interaction.options.getInteger('hard-pity');
    const mainName = interaction.options.getString('name');
    const otherName = interaction.options.getString('other-name');
    return stageCatalogChange(
      ctx,
      `edit-banner ${id}`,
      (c) => {
        const banner = c.banners.find((b) => b.id === id);
        if (!banner) throw new GachaError('unknown-banner', `There is no banner "${id}"`, { bannerId: id });
        const main = mainLanguageOf(c);
        const other = main === 'ja' ? 'en' : 'ja';
        const name =
          mainName !== null || otherName !== null
            ? formName(main, mainName ?? banner.name[main], otherName ?? banner.name[other])
            : banner.name;
        const pool = edits.poolItemIds;
        const next: BannerDefinition = {
          ...banner,
          ...edits,
          name,
          ...(hardPity !== null ? { pity: { ...banner.pity, hardPity } } : {}),
        };
        if (pool && pool.length === 0) delete next.poolItemIds;
        return { ...c, banners: c.banners.map((b) => (b.id === id ? next : b)) };
      },
      livePolicy(interaction),
    );
  },
  autocomplete: catalogAutocomplete,
};

export const endBannerSubcommand: Subcommand = {
  name: 'end-banner',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'ガチャ終了' })
      .setDescription('Close a limited banner now (preview, then confirm)')
      .setDescriptionLocalizations({ ja: '限定ガチャを今すぐ終了（確認あり）' })
      .addStringOption((o) => idOption(o, 'Banner', 'ガチャ', true)),
  execute(interaction, ctx) {
    const bannerId = interaction.options.getString('id', true);
    return stageCatalogChange(ctx, `end-banner ${bannerId}`, (c) => endBanner(c, bannerId, new Date()), 'announce');
  },
  autocomplete: catalogAutocomplete,
};
