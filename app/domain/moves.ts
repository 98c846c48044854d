/**
 * Gifts and trades as pure rules: what a side offers, whether a move may be proposed, and the state
 * a player has after giving an offer away, receiving one, or getting an escrowed one back. The
 * two-party protocol that applies them exactly once lives in the trade service (see the README,
 * "Gifts and trades").
 */
import type { Catalog } from './catalog';
import { GachaError } from './errors';
import type { PlayerState } from './player-state';

/** What one side hands over: currency, shards and copies per item id. */
export interface Offer {
  readonly currency: number;
  readonly shards: number;
  readonly items: Readonly<Record<string, number>>;
}

export type MoveKind = 'gift' | 'trade' | 'reversal';

/** Why a move was refused before anything moved (GachaError 'invalid-move', details.reason). */
export const MOVE_REFUSALS = [
  'self',
  'bot',
  'not-member',
  'empty',
  'not-party',
  'expired',
  'not-giver',
  /** The offer was changed (countered) since this version: confirm or change the newest one. */
  'stale',
  /** A trade was changed MAX_TRADE_VERSIONS − 1 times already. */
  'too-many-changes',
] as const;
export type MoveRefusal = (typeof MOVE_REFUSALS)[number];

export const EMPTY_OFFER: Offer = { currency: 0, shards: 0, items: {} };

/** Most distinct items one side may put in one offer (keeps documents and replies small). */
export const MAX_OFFER_ITEMS = 10;
/** Most versions of one trade (the proposal and its counters). */
export const MAX_TRADE_VERSIONS = 10;
/** Most copies of one item in one offer. */
export const MAX_OFFER_COPIES = 1_000;

export function refuse(reason: MoveRefusal): GachaError {
  return new GachaError('invalid-move', `move refused: ${reason}`, { reason });
}

export function isEmptyOffer(offer: Offer): boolean {
  return offer.currency === 0 && offer.shards === 0 && Object.values(offer.items).every((n) => n === 0);
}

/** Checks an offer's shape against the catalog: whole non-negative amounts, known items, bounded. */
export function validateOffer(catalog: Catalog, offer: Offer): Offer {
  const amount = (n: number, max: number) => Number.isSafeInteger(n) && n >= 0 && n <= max;
  if (!amount(offer.currency, 1_000_000_000) || !amount(offer.shards, 1_000_000_000)) {
    throw new GachaError('invalid-config', 'An amount is a whole number from 0');
  }
  const entries = Object.entries(offer.items).filter(([, n]) => n !== 0);
  if (entries.length > MAX_OFFER_ITEMS) {
    throw new GachaError('invalid-config', `At most ${MAX_OFFER_ITEMS} different items per offer`);
  }
  const items: Record<string, number> = {};
  for (const [itemId, n] of entries) {
    if (!catalog.items.some((i) => i.id === itemId)) {
      throw new GachaError('unknown-item', `"${itemId.slice(0, 100)}" is not in the catalog`, { itemId });
    }
    if (!amount(n, MAX_OFFER_COPIES) || n === 0) {
      throw new GachaError('invalid-config', `Copies of an item are 1 to ${MAX_OFFER_COPIES}`);
    }
    items[itemId] = n;
  }
  return { currency: offer.currency, shards: offer.shards, items };
}

/** Who is on the other side, as the adapter knows them. */
export interface Counterparty {
  readonly userId: string;
  readonly isBot: boolean;
  /** A member of the guild the move happens in. */
  readonly isMember: boolean;
}

/** Refuses moves to oneself, to bots and to non-members, and moves where nothing changes hands. */
export function validateParties(fromUserId: string, to: Counterparty, offers: readonly Offer[]): void {
  if (to.userId === fromUserId) throw refuse('self');
  if (to.isBot) throw refuse('bot');
  if (!to.isMember) throw refuse('not-member');
  if (offers.every(isEmptyOffer)) throw refuse('empty');
}

/** The state after `offer` leaves it; refuses (typed) when the player lacks any part of it. */
export function giveOffer(state: PlayerState, offer: Offer): PlayerState {
  if (state.currency < offer.currency) {
    throw new GachaError('insufficient-currency', `The balance ${state.currency} is less than ${offer.currency}`, {
      cost: offer.currency,
      balance: state.currency,
    });
  }
  if (state.shards < offer.shards) {
    throw new GachaError('insufficient-shards', `${state.shards} shards is less than ${offer.shards}`, {
      cost: offer.shards,
      balance: state.shards,
    });
  }
  for (const [itemId, n] of Object.entries(offer.items)) {
    const have = state.owned[itemId] ?? 0;
    if (have < n) {
      throw new GachaError('item-not-owned', `Owns ${have} of ${itemId}, not ${n}`, {
        itemId,
        owned: have,
        wanted: n,
      });
    }
  }
  // An item given away entirely leaves the collection (no zero counts).
  const owned = Object.fromEntries(
    Object.entries(state.owned).flatMap(([itemId, have]): [string, number][] => {
      const left = have - (offer.items[itemId] ?? 0);
      return left > 0 ? [[itemId, left]] : [];
    }),
  );
  return { ...state, currency: state.currency - offer.currency, shards: state.shards - offer.shards, owned };
}

/** The state after `offer` arrives (received from the other side, or an escrow given back). */
export function receiveOffer(state: PlayerState, offer: Offer): PlayerState {
  const owned: Record<string, number> = { ...state.owned };
  for (const [itemId, n] of Object.entries(offer.items)) owned[itemId] = (owned[itemId] ?? 0) + n;
  return { ...state, currency: state.currency + offer.currency, shards: state.shards + offer.shards, owned };
}
