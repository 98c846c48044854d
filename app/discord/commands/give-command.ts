/** /give <member> [item] [amount]: a gift, moved only when the giver presses Confirm. */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  GuildMember,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import type { Offer } from '../../domain/moves';
import type { MoveResult } from '../../services/trade-service';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { moveButton, offerOf, offerParts, ownedItemChoices, pressMoveButton, proposalParties } from './two-party-move';

const GIFT_MINUTES = 5;
/** Longest name shown for a player (display names are at most 32 characters; be safe). */
const MAX_NAME = 40;

function describeOffer(ctx: CommandContext, offer: Offer): string {
  return offerParts(ctx, offer).join(', ').slice(0, 500);
}

function buttons(ctx: CommandContext, moveId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`give:confirm:${moveId}`)
      .setLabel(ctx.t.confirmButton())
      .setStyle(ButtonStyle.Success),
    new ButtonBuilder()
      .setCustomId(`give:cancel:${moveId}`)
      .setLabel(ctx.t.cancelButton())
      .setStyle(ButtonStyle.Secondary),
  );
}

function settledReply(ctx: CommandContext, result: MoveResult, receiverName: string): CommandReply {
  const gift = result.move.sides[0];
  if (result.state === 'settled' && gift) {
    return {
      content: ctx.t.giftDone({ receiver: receiverName, what: describeOffer(ctx, gift.gives) }),
      components: [],
    };
  }
  return { content: ctx.t.giftCancelled(), components: [] };
}

export const giveCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('give')
    .setNameLocalizations({ ja: '贈る' })
    .setDescription('Give an item or currency to another member')
    .setDescriptionLocalizations({ ja: 'アイテムや通貨をメンバーに贈る' })
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) =>
      o
        .setName('member')
        .setNameLocalizations({ ja: 'メンバー' })
        .setDescription('Who receives it')
        .setDescriptionLocalizations({ ja: '受け取る人' })
        .setRequired(true),
    )
    .addStringOption((o) =>
      o
        .setName('item')
        .setNameLocalizations({ ja: 'アイテム' })
        .setDescription('An item you own')
        .setDescriptionLocalizations({ ja: '所持しているアイテム' })
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .addIntegerOption((o) =>
      o
        .setName('amount')
        .setNameLocalizations({ ja: '通貨' })
        .setDescription('Currency to give')
        .setDescriptionLocalizations({ ja: '贈る通貨' })
        .setMinValue(1)
        .setMaxValue(1_000_000_000),
    )
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',

  async execute(interaction, ctx) {
    const { proposer, to, user, member } = proposalParties(interaction, ctx);
    const offer = offerOf(interaction.options.getString('item'), interaction.options.getInteger('amount'));
    const result = await ctx.trades.proposeGift(proposer, to, offer);
    const receiver = (member instanceof GuildMember ? member.displayName : user.username).slice(0, MAX_NAME);
    const giverMember = interaction.member;
    const giver = (giverMember instanceof GuildMember ? giverMember.displayName : interaction.user.username).slice(
      0,
      MAX_NAME,
    );
    const gives = result.move.sides[0]?.gives ?? offer;
    return {
      content: ctx.t.giftProposed({ giver, receiver, what: describeOffer(ctx, gives), minutes: GIFT_MINUTES }),
      components: [buttons(ctx, result.move._id).toJSON()],
    };
  },

  async button(interaction, ctx, args) {
    const { action, moveId } = moveButton(args);
    const result = await pressMoveButton(ctx, action, moveId);
    const receiverId = result.move.sides[1]?.userId ?? '';
    const receiver = interaction.guild?.members.cache.get(receiverId)?.displayName ?? receiverId;
    return settledReply(ctx, result, receiver.slice(0, MAX_NAME));
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: ctx.userId }, ctx.settingsSnapshot);
    return ownedItemChoices(ctx, profile.state.owned, typed, (name) => name.slice(0, 100));
  },
};
