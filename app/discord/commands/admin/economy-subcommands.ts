/** /gacha-admin set-cost | set-daily | cooldown | channel: the server's economy and where it runs. */
import type { Subcommand } from '../../subcommand';
import { applySettingsChange } from './settings-change';

export const setCostSubcommand: Subcommand = {
  name: 'set-cost',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '価格設定' })
      .setDescription('Price of a single pull and of a 10-pull')
      .setDescriptionLocalizations({ ja: '単発と10連の価格' })
      .addIntegerOption((o) =>
        o.setName('single').setDescription('Single pull').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
      )
      .addIntegerOption((o) =>
        o.setName('ten').setDescription('10-pull').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
      ),
  execute(interaction, ctx) {
    const single = interaction.options.getInteger('single', true);
    const ten = interaction.options.getInteger('ten', true);
    return applySettingsChange(interaction, ctx, {
      audit: `single ${single}, 10-pull ${ten}`,
      apply: (s) => ({ ...s, catalog: { ...s.catalog, pullCost: single, tenPullCost: ten } }),
      done: (t, after, v) =>
        t.cost({ single: after.catalog.pullCost, ten: after.catalog.tenPullCost, currency: v.currency }),
    });
  },
};

export const setDailySubcommand: Subcommand = {
  name: 'set-daily',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'デイリー設定' })
      .setDescription('Daily amount and streak bonus')
      .setDescriptionLocalizations({ ja: 'デイリー報酬と連続ボーナス' })
      .addIntegerOption((o) =>
        o.setName('amount').setDescription('Amount').setRequired(true).setMinValue(0).setMaxValue(1_000_000_000),
      )
      .addIntegerOption((o) =>
        o.setName('streak-bonus').setDescription('Bonus per streak day').setMinValue(0).setMaxValue(1_000_000),
      ),
  execute(interaction, ctx) {
    const amount = interaction.options.getInteger('amount', true);
    const bonus = interaction.options.getInteger('streak-bonus');
    return applySettingsChange(interaction, ctx, {
      audit: `daily ${amount}${bonus === null ? '' : `, streak bonus ${bonus}`}`,
      apply: (s) => ({ ...s, daily: { ...s.daily, amount, ...(bonus === null ? {} : { streakBonus: bonus }) } }),
      done: (t, after, v) =>
        t.daily({ amount: after.daily.amount, streakBonus: after.daily.streakBonus, currency: v.currency }),
    });
  },
};

export const cooldownSubcommand: Subcommand = {
  name: 'cooldown',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'クールダウン' })
      .setDescription('Seconds between pulls and between other commands')
      .setDescriptionLocalizations({ ja: 'ガチャと他のコマンドの間隔（秒）' })
      .addIntegerOption((o) =>
        o.setName('pull').setDescription('Pull cooldown').setRequired(true).setMinValue(0).setMaxValue(86_400),
      )
      .addIntegerOption((o) => o.setName('other').setDescription('Other commands').setMinValue(0).setMaxValue(86_400)),
  execute(interaction, ctx) {
    const pull = interaction.options.getInteger('pull', true);
    const other = interaction.options.getInteger('other');
    return applySettingsChange(interaction, ctx, {
      audit: `cooldown pull ${pull}s${other === null ? '' : `, other ${other}s`}`,
      apply: (s) => ({ ...s, cooldownSeconds: { pull, other: other ?? s.cooldownSeconds.other } }),
      done: (t, after) => t.cooldown({ pull: after.cooldownSeconds.pull, other: after.cooldownSeconds.other }),
    });
  },
};

export const channelSubcommand: Subcommand = {
  name: 'channel',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'チャンネル' })
      .setDescription('Allow or disallow a channel (no allowed channel = all channels)')
      .setDescriptionLocalizations({ ja: 'チャンネルの許可（許可なし＝全チャンネル）' })
      .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true))
      .addBooleanOption((o) => o.setName('allowed').setDescription('Allowed').setRequired(true)),
  execute(interaction, ctx) {
    const channel = interaction.options.getChannel('channel', true);
    const allowed = interaction.options.getBoolean('allowed', true);
    return applySettingsChange(interaction, ctx, {
      audit: `<#${channel.id}> ${allowed ? 'allowed' : 'disallowed'}`,
      apply: (s) => ({
        ...s,
        allowedChannelIds: allowed
          ? [...new Set([...s.allowedChannelIds, channel.id])]
          : s.allowedChannelIds.filter((id) => id !== channel.id),
      }),
      done: (t) => t.channel({ channelId: channel.id, allowed }),
    });
  },
};
