/**
 * /gacha-admin economy | reverse-move: the shard shop's prices,
 * the wishlist limit and the switch for gifts and trades (each a settings revision), and the
 * reversal of a completed gift or trade (once, in the audit log).
 */
import { isGachaError } from '../../../domain/errors';
import { planEconomyEdit } from '../../../domain/economy-edit';
import { exchangePrice } from '../../../domain/shard-shop';
import { socialStrings } from '../../social-strings';
import type { Subcommand } from '../../subcommand';

/**
 * One subcommand for the three economy switches (Discord allows 25 subcommands per command): any of
 * the shop price of a tier (`tier` + `price`; `tier` alone = back to the default), the wishlist
 * limit and the gift/trade switch. Everything given is one settings revision; nothing given, or a
 * price without a tier, or an unknown tier, changes nothing and says why.
 */
export const economySubcommand: Subcommand = {
  name: 'economy',
  build: (sc) =>
    sc
      .setNameLocalizations({ ja: '経済設定' })
      .setDescription('Shard shop price of a tier, wishlist limit, gifts and trades on/off')
      .setDescriptionLocalizations({ ja: 'かけら交換の価格・ほしいもの上限・ギフトとトレードの許可' })
      .addStringOption((o) =>
        o
          .setName('tier')
          .setNameLocalizations({ ja: 'レア度' })
          .setDescription('Tier whose exchange price to set (without a price: back to the default)')
          .setDescriptionLocalizations({ ja: '交換価格を設定するレア度（価格なしで既定値に戻す）' })
          .setMaxLength(32),
      )
      .addIntegerOption((o) =>
        o
          .setName('price')
          .setNameLocalizations({ ja: '価格' })
          .setDescription('Shards for one item of that tier')
          .setDescriptionLocalizations({ ja: 'そのレア度のアイテム1つに必要なかけら' })
          .setMinValue(1)
          .setMaxValue(1_000_000),
      )
      .addIntegerOption((o) =>
        o
          .setName('wishlist-limit')
          .setNameLocalizations({ ja: 'ほしいもの上限' })
          .setDescription('Most items on one player’s wishlist (0 turns wishlists off)')
          .setDescriptionLocalizations({ ja: '1人あたりのほしいものリストの上限（0で無効）' })
          .setMinValue(0)
          .setMaxValue(25),
      )
      .addBooleanOption((o) =>
        o
          .setName('trading')
          .setNameLocalizations({ ja: 'トレード' })
          .setDescription('Allow gifts and trades on this server')
          .setDescriptionLocalizations({ ja: 'このサーバーでのギフトとトレードを許可する' }),
      ),
  async execute(interaction, ctx) {
    const tier = interaction.options.getString('tier');
    const price = interaction.options.getInteger('price');
    const limit = interaction.options.getInteger('wishlist-limit');
    const trading = interaction.options.getBoolean('trading');
    const s = socialStrings(ctx.locale);
    const edit = planEconomyEdit(ctx.settings, { tier, price, wishlistLimit: limit, trading });
    if (edit.kind === 'refused') {
      const content =
        edit.reason === 'price-needs-tier'
          ? s.adminPriceNeedsTier()
          : edit.reason === 'nothing'
            ? s.adminEconomyNothing()
            : s.adminUnknownTier({ tier: (tier ?? '').slice(0, 32) });
      return { content, ephemeral: true };
    }
    const what: string[] = [];
    if (tier !== null) {
      what.push(
        price === null
          ? s.adminExchangePriceDefault({ tier, price: exchangePrice(edit.change(ctx.settings), tier) })
          : s.adminExchangePrice({ tier, price }),
      );
    }
    if (limit !== null) what.push(s.adminWishlistLimit({ limit }));
    if (trading !== null) what.push(s.adminTrading({ on: trading }));
    await ctx.admin.changeSettings(ctx.guildId, ctx.userId, edit.action, edit.change);
    return {
      content: ctx.t.adminDone.setting({ what: what.join(ctx.locale === 'ja' ? '、' : '; ') }),
      ephemeral: true,
    };
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
          .setNameLocalizations({ ja: 'id' })
          .setDescription('Gift or trade id')
          .setDescriptionLocalizations({ ja: 'ギフト／トレードのID' })
          .setRequired(true)
          .setMaxLength(64),
      ),
  async execute(interaction, ctx) {
    const id = interaction.options.getString('id', true).trim();
    const s = socialStrings(ctx.locale);
    const shown = id.slice(0, 64);
    if (!/^(gift|trade):\d{1,25}(:v\d{1,2})?$/.test(id))
      return { content: s.adminReverseUnknown({ id: shown }), ephemeral: true };
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
