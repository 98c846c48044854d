/**
 * /gacha-admin exchange-price | wishlist-limit | trading | reverse-move: the shard shop's prices,
 * the wishlist limit and the switch for gifts and trades (each a settings revision), and the
 * reversal of a completed gift or trade (once, in the audit log).
 */
import { isGachaError } from '../../../domain/errors';
import { DEFAULT_ECONOMY, type GuildSettings, economyRules } from '../../../domain/guild-settings';
import { exchangePrice } from '../../../domain/shard-shop';
import type { CommandContext, CommandReply } from '../../command';
import { socialStrings } from '../../social-strings';
import type { Subcommand } from '../../subcommand';

function economyChange(change: (e: ReturnType<typeof economyRules>) => Partial<ReturnType<typeof economyRules>>) {
  return (s: GuildSettings): GuildSettings => {
    const economy = economyRules(s);
    return { ...s, economy: { ...DEFAULT_ECONOMY, ...economy, ...change(economy) } };
  };
}

async function applied(
  ctx: CommandContext,
  action: string,
  what: string,
  change: (s: GuildSettings) => GuildSettings,
): Promise<CommandReply> {
  await ctx.admin.changeSettings(ctx.guildId, ctx.userId, action, change);
  return { content: ctx.t.adminDone.setting({ what }), ephemeral: true };
}

export const exchangePriceSubcommand: Subcommand = {
  name: 'exchange-price',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '交換価格' })
      .setDescription('Shards for one item of a tier in the shard shop (omit the price: default)')
      .setDescriptionLocalizations({ ja: 'かけら交換でのレア度ごとの価格（価格を省略すると既定値）' })
      .addStringOption((o) =>
        o
          .setName('tier')
          .setNameLocalizations({ ja: 'レア度' })
          .setDescription('Tier id')
          .setDescriptionLocalizations({ ja: 'レア度のID' })
          .setRequired(true)
          .setMaxLength(32),
      )
      .addIntegerOption((o) =>
        o
          .setName('price')
          .setNameLocalizations({ ja: '価格' })
          .setDescription('Shards')
          .setDescriptionLocalizations({ ja: 'かけらの数' })
          .setMinValue(1)
          .setMaxValue(1_000_000),
      ),
  execute(interaction, ctx) {
    const tier = interaction.options.getString('tier', true);
    const price = interaction.options.getInteger('price');
    const s = socialStrings(ctx.locale);
    if (!ctx.settings.catalog.tiers.some((t) => t.id === tier)) {
      return Promise.resolve({ content: s.adminUnknownTier({ tier: tier.slice(0, 32) }), ephemeral: true });
    }
    const change = economyChange((e) => {
      const others = Object.entries(e.exchangePrices).filter(([t]) => t !== tier);
      return { exchangePrices: Object.fromEntries(price === null ? others : [...others, [tier, price]]) };
    });
    const what =
      price === null
        ? s.adminExchangePriceDefault({ tier, price: exchangePrice(change(ctx.settings), tier) })
        : s.adminExchangePrice({ tier, price });
    return applied(ctx, `exchange-price: ${tier} ${price ?? 'default'}`, what, change);
  },
};

export const wishlistLimitSubcommand: Subcommand = {
  name: 'wishlist-limit',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'ほしいもの上限' })
      .setDescription('Most items on one player’s wishlist (0 turns wishlists off)')
      .setDescriptionLocalizations({ ja: '1人あたりのほしいものリストの上限（0で無効）' })
      .addIntegerOption((o) =>
        o
          .setName('limit')
          .setNameLocalizations({ ja: '上限' })
          .setDescription('0 to 25')
          .setDescriptionLocalizations({ ja: '0〜25' })
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(25),
      ),
  execute(interaction, ctx) {
    const limit = interaction.options.getInteger('limit', true);
    return applied(
      ctx,
      `wishlist-limit: ${limit}`,
      socialStrings(ctx.locale).adminWishlistLimit({ limit }),
      economyChange(() => ({ wishlistLimit: limit })),
    );
  },
};

export const tradingSubcommand: Subcommand = {
  name: 'trading',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: 'トレード' })
      .setDescription('Allow or stop gifts and trades on this server')
      .setDescriptionLocalizations({ ja: 'このサーバーでのギフトとトレードの許可' })
      .addBooleanOption((o) =>
        o
          .setName('enabled')
          .setNameLocalizations({ ja: '有効' })
          .setDescription('On or off')
          .setDescriptionLocalizations({ ja: 'オンかオフか' })
          .setRequired(true),
      ),
  execute(interaction, ctx) {
    const on = interaction.options.getBoolean('enabled', true);
    return applied(
      ctx,
      `trading: ${on ? 'on' : 'off'}`,
      socialStrings(ctx.locale).adminTrading({ on }),
      economyChange(() => ({ tradingEnabled: on })),
    );
  },
};

export const reverseMoveSubcommand: Subcommand = {
  name: 'reverse-move',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '取り消し' })
      .setDescription('Undo a completed gift or trade by its id (gift:… or trade:…)')
      .setDescriptionLocalizations({ ja: '完了したギフト／トレードをIDで取り消す（gift:… または trade:…）' })
      .addStringOption((o) =>
        o
          .setName('id')
          .setDescription('Gift or trade id')
          .setDescriptionLocalizations({ ja: 'ギフト／トレードのID' })
          .setRequired(true)
          .setMaxLength(64),
      ),
  async execute(interaction, ctx) {
    const id = interaction.options.getString('id', true).trim();
    const s = socialStrings(ctx.locale);
    const shown = id.slice(0, 64);
    if (!/^(gift|trade):\d{1,25}$/.test(id)) return { content: s.adminReverseUnknown({ id: shown }), ephemeral: true };
    const earlier = await ctx.trades.get(ctx.guildId, `reversal:${id}`).catch(() => null);
    try {
      const result = await ctx.trades.reverse(ctx.guildId, id, ctx.userId);
      if (result.state !== 'settled') return { content: s.adminReverseRefused({ id: shown }), ephemeral: true };
      return { content: s.adminReversed({ id: shown, already: earlier?.state === 'settled' }), ephemeral: true };
    } catch (error) {
      if (isGachaError(error, 'invalid-move') || isGachaError(error, 'move-closed')) {
        return { content: s.adminReverseUnknown({ id: shown }), ephemeral: true };
      }
      if (
        isGachaError(error, 'item-not-owned') ||
        isGachaError(error, 'insufficient-currency') ||
        isGachaError(error, 'insufficient-shards')
      ) {
        return { content: s.adminReverseRefused({ id: shown }), ephemeral: true };
      }
      throw error;
    }
  },
};
