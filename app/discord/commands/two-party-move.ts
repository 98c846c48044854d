/**
 * What /give and /trade share (README "Gifts and trades"): the offer a slash command's item and
 * amount options make, the two parties of a proposal, an offer's items and currency in words, the
 * Confirm/Accept and Cancel buttons (`<command>:<action>:<move id>`), and the owned-item choices of
 * the item options. Each command keeps its own replies and buttons.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { type Counterparty, EMPTY_OFFER, type Offer } from '../../domain/moves';
import type { InteractionRef } from '../../services/gacha-service';
import type { MoveResult } from '../../services/trade-service';
import type { CommandContext } from '../command';
import { itemName } from '../embeds';

/** One of the named item (if any) and the amount of currency (if any). */
export function offerOf(itemId: string | null, amount: number | null): Offer {
  return { ...EMPTY_OFFER, currency: amount ?? 0, items: itemId ? { [itemId]: 1 } : {} };
}

/**
 * The proposer (the caller of this interaction) and the other party, named in the `member` option
 * (with its user and, in this server, its member, for the names a reply shows).
 */
export function proposalParties(interaction: ChatInputCommandInteraction, ctx: CommandContext) {
  const user = interaction.options.getUser('member', true);
  const member = interaction.options.getMember('member');
  const proposer: InteractionRef = { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id };
  const to: Counterparty = { userId: user.id, isBot: user.bot, isMember: member !== null };
  return { proposer, to, user, member };
}

/**
 * The offer's items (`<name> ×<n>`, names cut to `maxItemName` characters) and currency, in the
 * caller's language; the caller joins them and adds what else it shows.
 */
export function offerParts(ctx: CommandContext, offer: Offer, maxItemName?: number): string[] {
  const parts = Object.entries(offer.items).map(
    ([itemId, n]) => `${itemName(ctx.settings.catalog, itemId, ctx.locale).slice(0, maxItemName)} ×${n}`,
  );
  if (offer.currency > 0) parts.push(ctx.t.currencyAmount({ amount: offer.currency, currency: ctx.currencyName }));
  return parts;
}

/** A button's action and move id from its custom id after the command name (`<action>:<move id>`). */
export function moveButton(args: readonly string[]): { readonly action: string | undefined; readonly moveId: string } {
  const [action, ...rest] = args;
  return { action, moveId: rest.join(':') };
}

/** The presser cancels the move (`cancel`) or confirms/accepts it (any other action). */
export function pressMoveButton(ctx: CommandContext, action: string | undefined, moveId: string): Promise<MoveResult> {
  return action === 'cancel'
    ? ctx.trades.cancel(ctx.guildId, moveId, ctx.userId)
    : ctx.trades.accept(ctx.guildId, moveId, ctx.userId);
}

/**
 * Autocomplete choices of an item option: the catalog items `owned` holds, labelled by `label`
 * (≤ 100 characters), matching what was typed in the label or the id; at most 25.
 */
export function ownedItemChoices(
  ctx: CommandContext,
  owned: Readonly<Record<string, number>>,
  typed: string,
  label: (name: string, count: number) => string,
): { name: string; value: string }[] {
  return ctx.settings.catalog.items
    .filter((i) => (owned[i.id] ?? 0) > 0)
    .map((i) => ({ name: label(i.name[ctx.locale], owned[i.id] ?? 0), value: i.id }))
    .filter((c) => c.name.toLowerCase().includes(typed) || c.value.toLowerCase().includes(typed))
    .slice(0, 25);
}
