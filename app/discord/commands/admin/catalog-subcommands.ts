/** /gacha-admin set-rates | add-item | remove-item | create-banner | end-banner: the item pool and banners. */
import {
  addItem,
  createLimitedBanner,
  endBanner,
  percentToPpm,
  removeItem,
  setRates,
} from '../../../domain/catalog-edits';
import { PPM, formatPercent } from '../../../domain/rates';
import type { Subcommand } from '../../subcommand';
import { applySettingsChange } from './settings-change';

export const setRatesSubcommand: Subcommand = {
  name: 'set-rates',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '確率設定' })
      .setDescription('Tier rates in percent, e.g. N=50,R=35,SR=11,SSR=3.4,UR=0.6 (must sum to 100)')
      .setDescriptionLocalizations({ ja: 'レア度ごとの確率（%）例: N=50,R=35,SR=11,SSR=3.4,UR=0.6（合計100）' })
      .addStringOption((o) =>
        o
          .setName('rates')
          .setNameLocalizations({ ja: '確率' })
          .setDescriptionLocalizations({ ja: 'レア度=パーセント, …' })
          .setDescription('TIER=percent, …')
          .setRequired(true)
          .setMaxLength(300),
      ),
  execute(interaction, ctx) {
    const text = interaction.options.getString('rates', true);
    return applySettingsChange(interaction, ctx, {
      audit: `rates ${text}`,
      apply: (s) => ({ ...s, catalog: setRates(s.catalog, text) }),
      done: (t, after) =>
        t.rates({
          rates: [...after.catalog.tiers]
            .sort((a, b) => b.rank - a.rank)
            .map((tier) => `${tier.id} ${formatPercent(tier.ratePpm / PPM, 4)}`)
            .join(', '),
        }),
    });
  },
};

export const addItemSubcommand: Subcommand = {
  name: 'add-item',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'アイテム追加' })
      .setDescription('Add an item to the pool')
      .setDescriptionLocalizations({ ja: 'アイテムを追加' })
      .addStringOption((o) =>
        o
          .setName('id')
          .setNameLocalizations({ ja: 'id' })
          .setDescriptionLocalizations({ ja: 'アイテムID（英数字・-・_）' })
          .setDescription('Item id (letters, digits, - and _)')
          .setRequired(true)
          .setMaxLength(64),
      )
      .addStringOption((o) =>
        o
          .setName('tier')
          .setNameLocalizations({ ja: 'レア度' })
          .setDescriptionLocalizations({ ja: 'レア度のID' })
          .setDescription('Tier id')
          .setRequired(true)
          .setMaxLength(64),
      )
      .addStringOption((o) =>
        o
          .setName('name-ja')
          .setNameLocalizations({ ja: '日本語名' })
          .setDescriptionLocalizations({ ja: '日本語の名前' })
          .setDescription('Japanese name')
          .setRequired(true)
          .setMaxLength(100),
      )
      .addStringOption((o) =>
        o
          .setName('name-en')
          .setNameLocalizations({ ja: '英語名' })
          .setDescriptionLocalizations({ ja: '英語の名前' })
          .setDescription('English name')
          .setRequired(true)
          .setMaxLength(100),
      ),
  execute(interaction, ctx) {
    const item = {
      id: interaction.options.getString('id', true),
      tierId: interaction.options.getString('tier', true),
      name: {
        ja: interaction.options.getString('name-ja', true),
        en: interaction.options.getString('name-en', true),
      },
    };
    return applySettingsChange(interaction, ctx, {
      audit: `item ${item.id} added`,
      apply: (s) => ({ ...s, catalog: addItem(s.catalog, item) }),
      done: (t, _after, v) => t.itemAdded({ item: item.name[v.locale], itemId: item.id }),
    });
  },
};

export const removeItemSubcommand: Subcommand = {
  name: 'remove-item',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'アイテム削除' })
      .setDescription('Remove an item from the pool (players keep what they own)')
      .setDescriptionLocalizations({ ja: 'アイテムを削除（所持分は残ります）' })
      .addStringOption((o) =>
        o
          .setName('id')
          .setNameLocalizations({ ja: 'id' })
          .setDescriptionLocalizations({ ja: 'アイテムID' })
          .setDescription('Item id')
          .setRequired(true)
          .setMaxLength(64),
      ),
  execute(interaction, ctx) {
    const itemId = interaction.options.getString('id', true);
    return applySettingsChange(interaction, ctx, {
      audit: `item ${itemId} removed`,
      apply: (s) => ({ ...s, catalog: removeItem(s.catalog, itemId) }),
      done: (t) => t.itemRemoved({ itemId }),
    });
  },
};

export const createBannerSubcommand: Subcommand = {
  name: 'create-banner',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'ガチャ作成' })
      .setDescription('Create a limited banner with featured items')
      .setDescriptionLocalizations({ ja: 'ピックアップ付きの限定ガチャを作成' })
      .addStringOption((o) =>
        o
          .setName('id')
          .setNameLocalizations({ ja: 'id' })
          .setDescriptionLocalizations({ ja: 'ガチャのID' })
          .setDescription('Banner id')
          .setRequired(true)
          .setMaxLength(64),
      )
      .addStringOption((o) =>
        o
          .setName('name-ja')
          .setNameLocalizations({ ja: '日本語名' })
          .setDescriptionLocalizations({ ja: '日本語の名前' })
          .setDescription('Japanese name')
          .setRequired(true)
          .setMaxLength(100),
      )
      .addStringOption((o) =>
        o
          .setName('name-en')
          .setNameLocalizations({ ja: '英語名' })
          .setDescriptionLocalizations({ ja: '英語の名前' })
          .setDescription('English name')
          .setRequired(true)
          .setMaxLength(100),
      )
      .addStringOption((o) =>
        o
          .setName('featured')
          .setNameLocalizations({ ja: 'ピックアップ' })
          .setDescriptionLocalizations({ ja: 'ピックアップのアイテムID（カンマ区切り）' })
          .setDescription('Featured item ids, comma-separated')
          .setRequired(true)
          .setMaxLength(500),
      )
      .addStringOption((o) =>
        o
          .setName('ends')

          .setNameLocalizations({ ja: '終了' })
          .setDescriptionLocalizations({ ja: '終了日時（ISO形式、例: 2026-12-31T15:00:00Z）' })
          .setDescription('End, ISO date-time (e.g. 2026-12-31T15:00:00Z)')
          .setRequired(true)
          .setMaxLength(40),
      )
      .addStringOption((o) =>
        o
          .setName('starts')
          .setNameLocalizations({ ja: '開始' })
          .setDescriptionLocalizations({ ja: '開始日時（ISO形式、既定: 今）' })
          .setDescription('Start, ISO date-time (default: now)')
          .setMaxLength(40),
      )
      .addStringOption((o) =>
        o
          .setName('rate-up')
          .setNameLocalizations({ ja: 'ピックアップ率' })
          .setDescriptionLocalizations({ ja: 'レア度内のピックアップの割合（%、既定50）' })
          .setDescription('Featured share of a tier in percent (default 50)')
          .setMaxLength(10),
      )
      .addIntegerOption((o) =>
        o
          .setName('spark')

          .setNameLocalizations({ ja: '交換' })
          .setDescriptionLocalizations({ ja: 'この回数で交換可能（既定300、0＝なし）' })
          .setDescription('Spark exchange at this many pulls (default 300, 0 = none)')
          .setMinValue(0)
          .setMaxValue(10_000),
      ),
  execute(interaction, ctx) {
    const id = interaction.options.getString('id', true);
    const starts = interaction.options.getString('starts');
    const rateUp = interaction.options.getString('rate-up');
    const banner = {
      id,
      name: {
        ja: interaction.options.getString('name-ja', true),
        en: interaction.options.getString('name-en', true),
      },
      featuredItemIds: interaction.options
        .getString('featured', true)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      startsAt: starts ? new Date(starts) : new Date(),
      endsAt: new Date(interaction.options.getString('ends', true)),
      rateUpSharePpm: rateUp ? percentToPpm(rateUp) : 500_000,
      sparkThreshold: interaction.options.getInteger('spark') ?? 300,
    };
    return applySettingsChange(interaction, ctx, {
      audit: `banner ${id} created`,
      apply: (s) => ({ ...s, catalog: createLimitedBanner(s.catalog, banner) }),
      done: (t, _after, v) => t.bannerCreated({ banner: banner.name[v.locale], bannerId: id }),
    });
  },
};

export const endBannerSubcommand: Subcommand = {
  name: 'end-banner',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'ガチャ終了' })
      .setDescription('Close a limited banner now')
      .setDescriptionLocalizations({ ja: '限定ガチャを今すぐ終了' })
      .addStringOption((o) =>
        o
          .setName('id')
          .setNameLocalizations({ ja: 'id' })
          .setDescriptionLocalizations({ ja: 'ガチャのID' })
          .setDescription('Banner id')
          .setRequired(true)
          .setMaxLength(64),
      ),
  execute(interaction, ctx) {
    const bannerId = interaction.options.getString('id', true);
    const at = new Date();
    return applySettingsChange(interaction, ctx, {
      audit: `banner ${bannerId} ended`,
      apply: (s) => ({ ...s, catalog: endBanner(s.catalog, bannerId, at) }),
      done: (t) => t.bannerEnded({ bannerId }),
    });
  },
};
