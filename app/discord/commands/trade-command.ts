/**
 * /trade <member> [give-item] [give-amount] [want-item] [want-amount]: a swap between two members.
 * The proposer names what each side hands over; either party can change their own side ("Change
 * my side" opens a form), which makes a new version of the offer that both must accept again; the
 * swap happens once or not at all (TradeService, README "Gifts and trades"). Either side can cancel
 * until both accepted; offers expire; no trade with yourself or a bot; admins can turn trading off.
 * Only the two parties can press the buttons (others get a private refusal).
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  type ModalSubmitInteraction,
  SlashCommandBuilder,
} from 'discord.js';
import { EMPTY_OFFER, type Offer, isEmptyOffer, refuse } from '../../domain/moves';
import type { MoveResult } from '../../services/trade-service';
import type { BotCommand, CommandContext, CommandReply } from '../command';
import { socialStrings } from '../social-strings';
import { COUNTER_FORM, counterForm, parseSide, readCounterFields } from './trade-form';
import { moveButton, offerOf, offerParts, ownedItemChoices, pressMoveButton, proposalParties } from './two-party-move';

type TradeInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

const TRADE_MINUTES = 15;
/** Longest member name shown (display names are at most 32 characters). */
const MAX_NAME = 40;

function describe(ctx: CommandContext, offer: Offer): string {
  const parts = offerParts(ctx, offer, 60);
  if (offer.shards > 0) parts.push(`◆ ${offer.shards}`);
  return isEmptyOffer(offer) ? socialStrings(ctx.locale).nothing() : parts.join(', ').slice(0, 600);
}

/** The member's name in this server (nickname, else global name, else username), never a raw id. */
function nameOf(interaction: TradeInteraction, ctx: CommandContext, userId: string) {
  const member = interaction.guild?.members.cache.get(userId);
  if (member) return member.displayName.slice(0, MAX_NAME);
  if (interaction.user.id === userId) return interaction.user.displayName.slice(0, MAX_NAME);
  return socialStrings(ctx.locale).aMember();
}

function buttons(ctx: CommandContext, moveId: string) {
  const s = socialStrings(ctx.locale);
  return new ActionRowBuilder<ButtonBuilder>()
    .addComponents(
      new ButtonBuilder()
        .setCustomId(`trade:accept:${moveId}`)
        .setLabel(s.acceptButton())
        .setStyle(ButtonStyle.Success),
      new ButtonBuilder()
        .setCustomId(`trade:counter:${moveId}`)
        .setLabel(s.counterButton())
        .setStyle(ButtonStyle.Primary),
      new ButtonBuilder()
        .setCustomId(`trade:cancel:${moveId}`)
        .setLabel(s.cancelButton())
        .setStyle(ButtonStyle.Secondary),
    )
    .toJSON();
}

function view(interaction: TradeInteraction, ctx: CommandContext, result: MoveResult): CommandReply {
  const s = socialStrings(ctx.locale);
  const [a, b] = result.move.sides;
  const from = nameOf(interaction, ctx, a?.userId ?? '');
  const to = nameOf(interaction, ctx, b?.userId ?? '');
  const gives = describe(ctx, a?.gives ?? EMPTY_OFFER);
  const wants = describe(ctx, b?.gives ?? EMPTY_OFFER);
  if (result.state === 'settled') return { content: s.tradeDone({ from, to, gives, wants }), components: [] };
  if (result.state === 'aborted') {
    const reason = result.reason ?? '';
    const why = reason.startsWith('cancelled:')
      ? s.tradeReasonCancelled({ name: nameOf(interaction, ctx, reason.slice('cancelled:'.length)) })
      : reason === 'expired'
        ? s.tradeReasonExpired()
        : s.tradeReasonRefused();
    return { content: s.tradeAborted({ reason: why }), components: [] };
  }
  const accepted = result.acceptedBy.map((id) => nameOf(interaction, ctx, id));
  const lines = [s.tradeProposed({ from, to, gives, wants, minutes: TRADE_MINUTES })];
  const { version, changedBy } = result.move;
  if (version !== undefined && version > 1 && changedBy !== undefined) {
    lines.push(s.tradeCountered({ name: nameOf(interaction, ctx, changedBy), version }));
  }
  if (accepted.length > 0) lines.push(s.tradeAccepted({ names: accepted.join(', ') }));
  return { content: lines.join('\n'), components: [buttons(ctx, result.move._id)] };
}

export const tradeCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('trade')
    .setNameLocalizations({ ja: 'トレード' })
    .setDescription('Offer a swap of items or currency to another member')
    .setDescriptionLocalizations({ ja: '他のメンバーにアイテムや通貨の交換を持ちかける' })
    .setContexts(InteractionContextType.Guild)
    .addUserOption((o) =>
      o
        .setName('member')
        .setNameLocalizations({ ja: 'メンバー' })
        .setDescription('Who you trade with')
        .setDescriptionLocalizations({ ja: 'トレードの相手' })
        .setRequired(true),
    )
    .addStringOption((o) =>
      o
        .setName('give-item')
        .setNameLocalizations({ ja: '渡すアイテム' })
        .setDescription('An item you own and hand over')
        .setDescriptionLocalizations({ ja: 'あなたが渡す所持アイテム' })
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .addIntegerOption((o) =>
      o
        .setName('give-amount')
        .setNameLocalizations({ ja: '渡す通貨' })
        .setDescription('Currency you hand over')
        .setDescriptionLocalizations({ ja: 'あなたが渡す通貨' })
        .setMinValue(1)
        .setMaxValue(1_000_000_000),
    )
    .addStringOption((o) =>
      o
        .setName('want-item')
        .setNameLocalizations({ ja: 'もらうアイテム' })
        .setDescription('An item the member owns and hands over')
        .setDescriptionLocalizations({ ja: '相手が渡す所持アイテム' })
        .setAutocomplete(true)
        .setMaxLength(64),
    )
    .addIntegerOption((o) =>
      o
        .setName('want-amount')
        .setNameLocalizations({ ja: 'もらう通貨' })
        .setDescription('Currency the member hands over')
        .setDescriptionLocalizations({ ja: '相手が渡す通貨' })
        .setMinValue(1)
        .setMaxValue(1_000_000_000),
    )
    .toJSON(),
  adminOnly: false,
  cooldown: 'other',

  async execute(interaction, ctx) {
    const { proposer, to } = proposalParties(interaction, ctx);
    const gives = offerOf(interaction.options.getString('give-item'), interaction.options.getInteger('give-amount'));
    const wants = offerOf(interaction.options.getString('want-item'), interaction.options.getInteger('want-amount'));
    const result = await ctx.trades.proposeTrade(proposer, to, gives, wants);
    return view(interaction, ctx, result);
  },

  async button(interaction, ctx, args) {
    const { action, moveId } = moveButton(args);
    if (action === 'counter') {
      const { move } = await ctx.trades.get(ctx.guildId, moveId);
      const side = move.sides.find((s) => s.userId === ctx.userId);
      if (!side || move.kind !== 'trade') throw refuse('not-party');
      return { modal: counterForm(ctx.locale, moveId, side.gives) };
    }
    return view(interaction, ctx, await pressMoveButton(ctx, action, moveId));
  },

  async modal(interaction, ctx, args) {
    const [form, ...rest] = args;
    if (form !== COUNTER_FORM) throw refuse('not-party');
    const fields = readCounterFields(interaction.fields);
    const parsed = parseSide(ctx.settings.catalog, fields.items, fields.currency);
    if (!parsed.ok)
      return { content: socialStrings(ctx.locale).counterUnreadable({ entry: parsed.entry }), ephemeral: true };
    const result = await ctx.trades.counter(
      { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
      rest.join(':'),
      parsed.offer,
    );
    return view(interaction, ctx, result);
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const typed = focused.value.toLowerCase();
    const other = interaction.options.get('member')?.value;
    const whose = focused.name === 'want-item' ? (typeof other === 'string' ? other : null) : ctx.userId;
    if (!whose) return [];
    const profile = await ctx.gacha.profile({ guildId: ctx.guildId, userId: whose }, ctx.settingsSnapshot);
    return ownedItemChoices(ctx, profile.state.owned, typed, (name, count) => `${name.slice(0, 90)} ×${count}`);
  },
};
