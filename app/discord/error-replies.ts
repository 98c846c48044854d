/**
 * What a player reads when something goes wrong: the localized reason of a GachaError, or a
 * generic apology (never a stack trace); and how Discord's own refusals are recognised.
 */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { GachaError, isGachaError } from '../domain/errors';
import type { CommandReply } from './command';
import type { Messages } from './i18n';

export function errorText(error: unknown, t: Messages): string {
  return isGachaError(error)
    ? t.errors[error.code]({ ...flatten(error.details), message: error.message })
    : t.internalError();
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

function flatten(details: Readonly<Record<string, unknown>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}
