/**
 * What a player or admin reads when something goes wrong: the localized reason of a GachaError
 * (never the internal English message as the main text; at most a bounded technical detail below
 * it), or a generic apology (never a stack trace); and how Discord's own refusals are recognised.
 */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { Locale } from '../domain/catalog';
import { GachaError, type GachaErrorCode, isGachaError } from '../domain/errors';
import { MOVE_REFUSALS, type MoveRefusal } from '../domain/moves';
import type { CommandReply } from './command';
import type { Mention } from './command-mentions';
import { DEFAULT_CURRENCY_NAME } from '../domain/guild-settings';
import { type ErrorMessages, type InvalidReason, type InvalidReasonMessages, type Messages, messages } from './i18n';

/** Longest value read from an error's details (input may be echoed in it). */
const MAX_VALUE = 100;
/** Longest technical detail shown under a localized message. */
const MAX_DETAIL = 300;
/** Validation problems listed at most, each at most MAX_PROBLEM characters. */
const MAX_PROBLEMS = 8;
const MAX_PROBLEM = 200;

/** What an error message may need besides the text: mentions and the currency's name. */
export interface ErrorContext {
  readonly locale: Locale;
  readonly mention: Mention;
  readonly currencyName: string;
}

function shown(value: unknown, max = MAX_VALUE): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : '?';
}

/** A count from the details as a number (formatted by the message), else shown as text. */
function amount(value: unknown): string | number {
  return typeof value === 'number' && Number.isFinite(value) ? value : shown(value);
}

type ReasonReader = {
  readonly [R in InvalidReason]: (t: InvalidReasonMessages, d: Readonly<Record<string, unknown>>) => string;
};

/** Each invalid-config reason's message, its parameters read from the error's details. */
const REASONS: ReasonReader = {
  'unknown-timezone': (t, d) => t['unknown-timezone']({ timezone: shown(d.timezone, 64) }),
  'not-a-percent': (t, d) => t['not-a-percent']({ text: shown(d.text, 20) }),
  'percent-over-100': (t, d) => t['percent-over-100']({ text: shown(d.text, 20) }),
  'unknown-tier': (t, d) => t['unknown-tier']({ tierId: shown(d.tierId, 32) }),
  'tier-twice': (t, d) => t['tier-twice']({ tierId: shown(d.tierId, 32) }),
  'rates-missing': (t, d) => t['rates-missing']({ tierIds: shown(d.tierIds, 200) }),
  'item-exists': (t, d) => t['item-exists']({ itemId: shown(d.itemId, 64) }),
  'item-featured': (t, d) => t['item-featured']({ itemId: shown(d.itemId, 64), bannerIds: shown(d.bannerIds, 300) }),
  'banner-exists': (t, d) => t['banner-exists']({ bannerId: shown(d.bannerId, 64) }),
  'bad-dates': (t) => t['bad-dates']({}),
  'standard-required': (t) => t['standard-required']({}),
  'standard-permanent': (t) => t['standard-permanent']({}),
  'file-too-large': (t, d) => t['file-too-large']({ kib: amount(d.kib) }),
  'no-download': (t) => t['no-download']({}),
  'download-failed': (t, d) => t['download-failed']({ status: shown(d.status, 5) }),
  'not-json': (t) => t['not-json']({}),
  'currency-name': (t, d) => t['currency-name']({ max: amount(d.max) }),
  'bad-amount': (t) => t['bad-amount']({}),
  'not-valid': (t) => t['not-valid']({}),
};

function isReason(value: unknown): value is InvalidReason {
  return typeof value === 'string' && Object.hasOwn(REASONS, value);
}

interface LocalizedIssue {
  readonly path: readonly (string | number)[];
  readonly message: Readonly<Record<Locale, string>>;
}

function isLocalizedIssue(value: unknown): value is LocalizedIssue {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as { path?: unknown; message?: unknown };
  if (!Array.isArray(path) || typeof message !== 'object' || message === null) return false;
  const m = message as { en?: unknown; ja?: unknown };
  return typeof m.en === 'string' && typeof m.ja === 'string';
}

/** An invalid-config error as the localized problems and a bounded detail ('' when none is useful). */
function invalidConfig(t: Messages, locale: Locale, error: GachaError): string {
  const d = error.details;
  if (isReason(d.reason)) return t.errors['invalid-config']({ problems: REASONS[d.reason](t.invalid, d), detail: '' });
  const issues = Array.isArray(d.issues) ? d.issues.filter(isLocalizedIssue) : [];
  if (issues.length > 0) {
    const lines = issues.slice(0, MAX_PROBLEMS).map((issue) => {
      const where = issue.path.length > 0 ? `\`${issue.path.join('.').slice(0, 60)}\`: ` : '';
      return `• ${where}${issue.message[locale]}`.slice(0, MAX_PROBLEM);
    });
    if (issues.length > MAX_PROBLEMS) lines.push(`• … (+${issues.length - MAX_PROBLEMS})`);
    return t.errors['invalid-config']({ problems: lines.join('\n'), detail: '' });
  }
  return t.errors['invalid-config']({
    problems: t.invalid['not-valid']({}),
    detail: error.message.replace(/[`\n\r]/g, ' ').slice(0, MAX_DETAIL),
  });
}

/** Each error's message, with its parameters read from the error's details. */
const LOCALIZED: {
  readonly [C in GachaErrorCode]: (t: ErrorMessages, error: GachaError, m: Messages, c: ErrorContext) => string;
} = {
  'invalid-config': (_t, e, m, c) => invalidConfig(m, c.locale, e),
  'unknown-banner': (t, e) => t['unknown-banner']({ bannerId: shown(e.details.bannerId, 64) }),
  'banner-not-active': (t, e) => t['banner-not-active']({ bannerId: shown(e.details.bannerId, 64) }),
  'unknown-item': (t, e) => t['unknown-item']({ itemId: shown(e.details.itemId, 64) }),
  'insufficient-currency': (t, e, _m, c) =>
    t['insufficient-currency']({
      cost: amount(e.details.cost),
      balance: amount(e.details.balance),
      currency: c.currencyName,
      daily: c.mention('daily'),
    }),
  'insufficient-spark': (t, e) =>
    t['insufficient-spark']({ points: amount(e.details.points), needed: amount(e.details.needed) }),
  'invalid-pull-count': (t) => t['invalid-pull-count']({}),
  'daily-already-claimed': (t) => t['daily-already-claimed']({}),
  busy: (t) => t.busy({}),
  'trading-disabled': (t) => t['trading-disabled']({}),
  'invalid-move': (t, e) => t['invalid-move']({ reason: moveRefusal(e.details.reason) }),
  'item-not-owned': (t, e) =>
    t['item-not-owned']({
      itemId: shown(e.details.itemId, 64),
      owned: amount(e.details.owned),
      wanted: amount(e.details.wanted),
    }),
  'insufficient-shards': (t, e) =>
    t['insufficient-shards']({ cost: amount(e.details.cost), balance: amount(e.details.balance) }),
  'move-closed': (t, e) => t['move-closed']({ outcome: shown(e.details.outcome) }),
};

function moveRefusal(value: unknown): MoveRefusal {
  return MOVE_REFUSALS.find((r) => r === value) ?? 'not-party';
}

const textMention: Mention = (path) => `/${path}`;

/** The error's text in `locale` (mentions as plain text and the default currency name unless given). */
export function errorText(error: unknown, locale: Locale, context: Partial<Omit<ErrorContext, 'locale'>> = {}): string {
  const t = messages(locale);
  if (!isGachaError(error)) return t.internalError();
  const c: ErrorContext = {
    locale,
    mention: context.mention ?? textMention,
    currencyName: context.currencyName ?? DEFAULT_CURRENCY_NAME[locale],
  };
  const text = LOCALIZED[error.code](t.errors, error, t, c);
  return text.length > 2_000 ? `${text.slice(0, 1_999)}…` : text;
}

/** The private answer to an error. */
export function errorReply(
  error: unknown,
  locale: Locale,
  context?: Partial<Omit<ErrorContext, 'locale'>>,
): CommandReply {
  return { content: errorText(error, locale, context), ephemeral: true };
}

/** The private "too many requests at once" answer given instead of queueing. */
export function busyReply(locale: Locale): CommandReply {
  return errorReply(new GachaError('busy', 'queue full'), locale);
}

/**
 * Discord's 40060: the interaction was already acknowledged — by another bot process on the same
 * shard during a release overlap (both receive every interaction; the first to answer wins).
 */
export function isAlreadyAcknowledged(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
}
