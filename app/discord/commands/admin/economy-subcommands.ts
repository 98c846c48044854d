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
        o
          .setName('single')
          .setNameLocalizations({ ja: '単発' })
          .setDescriptionLocalizations({ ja: '単発の価格' })
          .setDescription('Single pull')
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(1_000_000_000),
      )
      .addIntegerOption((o) =>
        o
          .setName('ten')
          .setNameLocalizations({ ja: '10連' })
          .setDescriptionLocalizations({ ja: '10連の価格' })
          .setDescription('10-pull')
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(1_000_000_000),
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
        o
          .setName('amount')
          .setNameLocalizations({ ja: '数量' })
          .setDescriptionLocalizations({ ja: '1日の報酬' })
          .setDescription('Amount')
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(1_000_000_000),
      )
      .addIntegerOption((o) =>
        o
          .setName('streak-bonus')
          .setNameLocalizations({ ja: '連続ボーナス' })
          .setDescriptionLocalizations({ ja: '連続1日ごとの追加報酬' })
          .setDescription('Bonus per streak day')
          .setMinValue(0)
          .setMaxValue(1_000_000),
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
        o
          .setName('pull')
          .setNameLocalizations({ ja: 'ガチャ' })
          .setDescriptionLocalizations({ ja: 'ガチャのクールダウン（秒）' })
          .setDescription('Pull cooldown')
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(86_400),
      )
      .addIntegerOption((o) =>
        o
          .setName('other')
          .setNameLocalizations({ ja: 'その他' })
          .setDescriptionLocalizations({ ja: 'その他のコマンドのクールダウン（秒）' })
          .setDescription('Other commands')
          .setMinValue(0)
          .setMaxValue(86_400),
      ),
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
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setNameLocalizations({ ja: 'チャンネル' })
          .setDescriptionLocalizations({ ja: 'チャンネル' })
          .setDescription('Channel')
          .setRequired(true),
      )
      .addBooleanOption((o) =>
        o
          .setName('allowed')
          .setNameLocalizations({ ja: '許可' })
          .setDescriptionLocalizations({ ja: '許可する' })
          .setDescription('Allowed')
          .setRequired(true),
      ),
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
