/**
 * What a player reads when something goes wrong: the localized reason of a GachaError, or a
 * generic apology (never a stack trace); and how Discord's own refusals are recognised.
 */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { GachaError, type GachaErrorCode, isGachaError } from '../domain/errors';
import type { CommandReply } from './command';
import type { ErrorMessages, Messages } from './i18n';
import { MOVE_REFUSALS, type MoveRefusal } from '../domain/moves';

/** Longest detail or reason shown (input may be echoed in it; a reply holds 2,000 characters). */
const MAX_SHOWN = 1_500;

function shown(value: unknown, max = 100): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : '?';
}

/** Each error's message, with its parameters read from the error's details. */
const LOCALIZED: { readonly [C in GachaErrorCode]: (t: ErrorMessages, error: GachaError) => string } = {
  'invalid-config': (t, e) => t['invalid-config']({ message: shown(e.message, MAX_SHOWN) }),
  'unknown-banner': (t, e) => t['unknown-banner']({ bannerId: shown(e.details.bannerId) }),
  'banner-not-active': (t, e) => t['banner-not-active']({ bannerId: shown(e.details.bannerId) }),
  'unknown-item': (t, e) => t['unknown-item']({ message: shown(e.message, MAX_SHOWN) }),
  'insufficient-currency': (t, e) =>
    t['insufficient-currency']({ cost: shown(e.details.cost), balance: shown(e.details.balance) }),
  'insufficient-spark': (t, e) => t['insufficient-spark']({ message: shown(e.message, MAX_SHOWN) }),
  'invalid-pull-count': (t) => t['invalid-pull-count']({}),
  'daily-already-claimed': (t) => t['daily-already-claimed']({}),
  busy: (t) => t.busy({}),
  'trading-disabled': (t) => t['trading-disabled']({}),
  'invalid-move': (t, e) => t['invalid-move']({ reason: moveRefusal(e.details.reason) }),
  'item-not-owned': (t, e) =>
    t['item-not-owned']({
      itemId: shown(e.details.itemId),
      owned: shown(e.details.owned),
      wanted: shown(e.details.wanted),
    }),
  'insufficient-shards': (t, e) =>
    t['insufficient-shards']({ cost: shown(e.details.cost), balance: shown(e.details.balance) }),
  'move-closed': (t, e) => t['move-closed']({ outcome: shown(e.details.outcome) }),
};

function moveRefusal(value: unknown): MoveRefusal {
  return MOVE_REFUSALS.find((r) => r === value) ?? 'not-party';
}

export function errorText(error: unknown, t: Messages): string {
  return isGachaError(error) ? LOCALIZED[error.code](t.errors, error) : t.internalError();
}

/** The private answer to an error. */
export function errorReply(error: unknown, t: Messages): CommandReply {
  return { content: errorText(error, t), ephemeral: true };
}

/** The private "too many requests at once" answer given instead of queueing. */
export function busyReply(t: Messages): CommandReply {
  return errorReply(new GachaError('busy', 'queue full'), t);
}

/**
 * Discord's 40060: the interaction was already acknowledged — by another bot process on the same
 * shard during a release overlap (both receive every interaction; the first to answer wins).
 */
export function isAlreadyAcknowledged(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
}
