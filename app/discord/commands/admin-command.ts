/**
 * /gacha-admin — server configuration. Hidden from non-admins by default_member_permissions AND
 * checked on the server for every use (see interaction-handler). Every change is audited.
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  PermissionFlagsBits,
  SlashCommandBuilder,
  InteractionContextType,
} from 'discord.js';
import {
  addItem,
  createLimitedBanner,
  endBanner,
  percentToPpm,
  removeItem,
  setRates,
} from '../../domain/catalog-edits';
import type { SettingsChange } from '../../services/admin-service';
import { catalogSummary, exportCatalogJson, fetchAttachmentText, parseCatalogJson } from '../catalog-transfer';
import type { BotCommand } from '../command';

export const adminCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('gacha-admin')
    .setNameLocalizations({ ja: 'ガチャ管理' })
    .setDescription('Configure the gacha for this server')
    .setDescriptionLocalizations({ ja: 'このサーバーのガチャ設定' })
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sc) =>
      sc
        .setName('set-cost')
        .setNameLocalizations({ ja: '価格設定' })
        .setDescription('Price of a single pull and of a 10-pull')
        .setDescriptionLocalizations({ ja: '単発と10連の価格' })
        .addIntegerOption((o) =>
          o.setName('single').setDescription('Single pull').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
        )
        .addIntegerOption((o) =>
          o.setName('ten').setDescription('10-pull').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('set-daily')
        .setNameLocalizations({ ja: 'デイリー設定' })
        .setDescription('Daily amount and streak bonus')
        .setDescriptionLocalizations({ ja: 'デイリー報酬と連続ボーナス' })
        .addIntegerOption((o) =>
          o.setName('amount').setDescription('Amount').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
        )
        .addIntegerOption((o) =>
          o.setName('streak-bonus').setDescription('Bonus per streak day').setMinValue(0).setMaxValue(1_000_000),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('cooldown')
        .setNameLocalizations({ ja: 'クールダウン' })
        .setDescription('Seconds between pulls and between other commands')
        .setDescriptionLocalizations({ ja: 'ガチャと他のコマンドの間隔（秒）' })
        .addIntegerOption((o) =>
          o.setName('pull').setDescription('Pull cooldown').setRequired(true).setMinValue(0).setMaxValue(86_400),
        )
        .addIntegerOption((o) =>
          o.setName('other').setDescription('Other commands').setMinValue(0).setMaxValue(86_400),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('channel')
        .setNameLocalizations({ ja: 'チャンネル' })
        .setDescription('Allow or disallow a channel (no allowed channel = all channels)')
        .setDescriptionLocalizations({ ja: 'チャンネルの許可（許可なし＝全チャンネル）' })
        .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true))
        .addBooleanOption((o) => o.setName('allowed').setDescription('Allowed').setRequired(true)),
    )
    .addSubcommand((sc) =>
      sc
        .setName('set-rates')
        .setNameLocalizations({ ja: '確率設定' })
        .setDescription('Tier rates in percent, e.g. N=50,R=35,SR=11,SSR=3.4,UR=0.6 (must sum to 100)')
        .setDescriptionLocalizations({ ja: 'レア度ごとの確率（%）例: N=50,R=35,SR=11,SSR=3.4,UR=0.6（合計100）' })
        .addStringOption((o) =>
          o.setName('rates').setDescription('TIER=percent, …').setRequired(true).setMaxLength(300),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('add-item')
        .setNameLocalizations({ ja: 'アイテム追加' })
        .setDescription('Add an item to the pool')
        .setDescriptionLocalizations({ ja: 'アイテムを追加' })
        .addStringOption((o) =>
          o.setName('id').setDescription('Item id (letters, digits, - and _)').setRequired(true).setMaxLength(64),
        )
        .addStringOption((o) => o.setName('tier').setDescription('Tier id').setRequired(true).setMaxLength(64))
        .addStringOption((o) =>
          o.setName('name-ja').setDescription('Japanese name').setRequired(true).setMaxLength(100),
        )
        .addStringOption((o) =>
          o.setName('name-en').setDescription('English name').setRequired(true).setMaxLength(100),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('remove-item')
        .setNameLocalizations({ ja: 'アイテム削除' })
        .setDescription('Remove an item from the pool (players keep what they own)')
        .setDescriptionLocalizations({ ja: 'アイテムを削除（所持分は残ります）' })
        .addStringOption((o) => o.setName('id').setDescription('Item id').setRequired(true).setMaxLength(64)),
    )
    .addSubcommand((sc) =>
      sc
        .setName('create-banner')
        .setNameLocalizations({ ja: 'ガチャ作成' })
        .setDescription('Create a limited banner with featured items')
        .setDescriptionLocalizations({ ja: 'ピックアップ付きの限定ガチャを作成' })
        .addStringOption((o) => o.setName('id').setDescription('Banner id').setRequired(true).setMaxLength(64))
        .addStringOption((o) =>
          o.setName('name-ja').setDescription('Japanese name').setRequired(true).setMaxLength(100),
        )
        .addStringOption((o) => o.setName('name-en').setDescription('English name').setRequired(true).setMaxLength(100))
        .addStringOption((o) =>
          o
            .setName('featured')
            .setDescription('Featured item ids, comma-separated')
            .setRequired(true)
            .setMaxLength(500),
        )
        .addStringOption((o) =>
          o
            .setName('ends')
            .setDescription('End, ISO date-time (e.g. 2026-12-31T15:00:00Z)')
            .setRequired(true)
            .setMaxLength(40),
        )
        .addStringOption((o) =>
          o.setName('starts').setDescription('Start, ISO date-time (default: now)').setMaxLength(40),
        )
        .addStringOption((o) =>
          o.setName('rate-up').setDescription('Featured share of a tier in percent (default 50)').setMaxLength(10),
        )
        .addIntegerOption((o) =>
          o
            .setName('spark')
            .setDescription('Spark exchange at this many pulls (default 300, 0 = none)')
            .setMinValue(0)
            .setMaxValue(10_000),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('end-banner')
        .setNameLocalizations({ ja: 'ガチャ終了' })
        .setDescription('Close a limited banner now')
        .setDescriptionLocalizations({ ja: '限定ガチャを今すぐ終了' })
        .addStringOption((o) => o.setName('id').setDescription('Banner id').setRequired(true).setMaxLength(64)),
    )
    .addSubcommand((sc) =>
      sc
        .setName('import')
        .setNameLocalizations({ ja: 'インポート' })
        .setDescription('Replace pool, rates and banners from a JSON file (preview, then confirm)')
        .setDescriptionLocalizations({ ja: 'JSONファイルから設定を置き換え（確認あり）' })
        .addAttachmentOption((o) =>
          o.setName('file').setDescription('JSON from /gacha-admin export').setRequired(true),
        ),
    )
    .addSubcommand((sc) =>
      sc
        .setName('export')
        .setNameLocalizations({ ja: 'エクスポート' })
        .setDescription('Download pool, rates and banners as JSON')
        .setDescriptionLocalizations({ ja: '設定をJSONでダウンロード' }),
    )
    .addSubcommand((sc) =>
      sc
        .setName('reset-player')
        .setNameLocalizations({ ja: 'プレイヤーリセット' })
        .setDescription('Reset a player’s progress in this server (asks to confirm)')
        .setDescriptionLocalizations({ ja: 'プレイヤーの進行をリセット（確認あり）' })
        .addUserOption((o) => o.setName('member').setDescription('Member').setRequired(true)),
    )
    .toJSON(),
  adminOnly: true,
  cooldown: 'none',
  async execute(interaction, ctx) {
    const actor = ctx.userId;
    const sub = interaction.options.getSubcommand();
    const update = async (what: string, change: SettingsChange) => {
      await ctx.admin.changeSettings(ctx.guildId, actor, `${sub}: ${what}`, change);
      return { content: ctx.t.adminDone({ what }), ephemeral: true };
    };
    if (sub === 'set-cost') {
      const single = interaction.options.getInteger('single', true);
      const ten = interaction.options.getInteger('ten', true);
      return update(`single ${single}, 10-pull ${ten}`, (s) => ({
        ...s,
        catalog: { ...s.catalog, pullCost: single, tenPullCost: ten },
      }));
    }
    if (sub === 'set-daily') {
      const amount = interaction.options.getInteger('amount', true);
      const bonus = interaction.options.getInteger('streak-bonus');
      return update(`daily ${amount}${bonus === null ? '' : `, streak bonus ${bonus}`}`, (s) => ({
        ...s,
        daily: { ...s.daily, amount, ...(bonus === null ? {} : { streakBonus: bonus }) },
      }));
    }
    if (sub === 'cooldown') {
      const pull = interaction.options.getInteger('pull', true);
      const other = interaction.options.getInteger('other');
      return update(`cooldown pull ${pull}s${other === null ? '' : `, other ${other}s`}`, (s) => ({
        ...s,
        cooldownSeconds: { pull, other: other ?? s.cooldownSeconds.other },
      }));
    }
    if (sub === 'channel') {
      const channel = interaction.options.getChannel('channel', true);
      const allowed = interaction.options.getBoolean('allowed', true);
      return update(`<#${channel.id}> ${allowed ? 'allowed' : 'disallowed'}`, (s) => ({
        ...s,
        allowedChannelIds: allowed
          ? [...new Set([...s.allowedChannelIds, channel.id])]
          : s.allowedChannelIds.filter((id) => id !== channel.id),
      }));
    }
    if (sub === 'set-rates') {
      const text = interaction.options.getString('rates', true);
      return update(`rates ${text}`, (s) => ({ ...s, catalog: setRates(s.catalog, text) }));
    }
    if (sub === 'add-item') {
      const item = {
        id: interaction.options.getString('id', true),
        tierId: interaction.options.getString('tier', true),
        name: {
          ja: interaction.options.getString('name-ja', true),
          en: interaction.options.getString('name-en', true),
        },
      };
      return update(`item ${item.id} added`, (s) => ({ ...s, catalog: addItem(s.catalog, item) }));
    }
    if (sub === 'remove-item') {
      const itemId = interaction.options.getString('id', true);
      return update(`item ${itemId} removed`, (s) => ({ ...s, catalog: removeItem(s.catalog, itemId) }));
    }
    if (sub === 'create-banner') {
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
      return update(`banner ${id} created`, (s) => ({ ...s, catalog: createLimitedBanner(s.catalog, banner) }));
    }
    if (sub === 'end-banner') {
      const bannerId = interaction.options.getString('id', true);
      const at = new Date();
      return update(`banner ${bannerId} ended`, (s) => ({ ...s, catalog: endBanner(s.catalog, bannerId, at) }));
    }
    if (sub === 'export') {
      const json = exportCatalogJson(ctx.settings.catalog);
      return {
        content: ctx.t.exportReady(),
        files: [new AttachmentBuilder(Buffer.from(json), { name: 'gacha-catalog.json' })],
        ephemeral: true,
      };
    }
    if (sub === 'import') {
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
        content: `${ctx.t.importPreview()}\n${catalogSummary(catalog, ctx.locale)}`.slice(0, 2000),
        components: [row],
        ephemeral: true,
      };
    }
    const target = interaction.options.getUser('member', true);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(`gacha-admin:reset:${target.id}:${actor}`)
        .setLabel(ctx.t.confirm())
        .setStyle(ButtonStyle.Danger),
      new ButtonBuilder()
        .setCustomId(`gacha-admin:cancel:${target.id}:${actor}`)
        .setLabel(ctx.t.cancel())
        .setStyle(ButtonStyle.Secondary),
    );
    return { content: ctx.t.confirmReset({ user: target.id }), components: [row], ephemeral: true };
  },
  async button(interaction, ctx, args) {
    const [action, targetId = '', actorId = ''] = args;
    if (actorId !== ctx.userId) return { content: ctx.t.expired(), ephemeral: true };
    if (action === 'import') {
      const imported = await ctx.admin.confirmImport(ctx.guildId, ctx.userId, targetId);
      if (!imported) return { content: ctx.t.expired(), components: [] };
      return { content: ctx.t.adminDone({ what: 'import' }), components: [] };
    }
    if (action === 'drop') ctx.admin.dropImport(ctx.guildId, ctx.userId, targetId);
    if (action !== 'reset') return { content: ctx.t.cancelled(), components: [] };
    await ctx.admin.resetPlayer({ guildId: ctx.guildId, actorId: ctx.userId, targetId, opKey: interaction.id });
    return { content: ctx.t.adminDone({ what: `reset <@${targetId}>` }), components: [] };
  },
};
