/**
 * /gacha-admin — server configuration. Hidden from non-admins by default_member_permissions AND
 * checked on the server for every use (see interaction-handler). Every change is audited.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  PermissionFlagsBits,
  SlashCommandBuilder,
  InteractionContextType,
} from 'discord.js';
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
    const update = async (what: string, change: Parameters<typeof ctx.gacha.settings.update>[3]) => {
      await ctx.gacha.settings.update(ctx.guildId, actor, `${sub}: ${what}`, change);
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
    if (action !== 'reset') return { content: ctx.t.cancelled(), components: [] };
    await ctx.gacha.resetPlayer({ guildId: ctx.guildId, userId: targetId }, interaction.id);
    await ctx.gacha.audit.record({
      guildId: ctx.guildId,
      actorId: ctx.userId,
      action: 'reset-player',
      target: targetId,
      details: {},
    });
    return { content: ctx.t.adminDone({ what: `reset <@${targetId}>` }), components: [] };
  },
};
