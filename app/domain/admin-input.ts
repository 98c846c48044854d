/**
 * What admins type in forms, read into catalog values: dates (a Discord timestamp `<t:…>` or
 * `YYYY-MM-DD HH:mm` in the server's time zone), rates (`3.4%` or parts per million), colours
 * (`#ff8800`), names (only the main language required) — and which changes touch the odds of a
 * banner that has already started. Pure: no Discord, no I/O.
 */
import { type BannerDefinition, type Catalog, type Locale, type LocalizedText, percentTextToPpm } from './catalog';
import { GachaError } from './errors';
import { PPM } from './rates';

function invalid(message: string): never {
  throw new GachaError('invalid-config', message);
}

const DISCORD_TIMESTAMP = /^<t:(-?\d{1,13})(?::[tTdDfFR])?>$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timezone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
export function timezoneOffsetMs(at: Date, timezone: string): number {
  let formatter = offsetFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timezone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * A moment typed by an admin: `<t:1767225600>` (any Discord timestamp style) or
 * `YYYY-MM-DD HH:mm` read as wall-clock time in `timezone` (an ISO date-time with its zone is read
 * as written). Throws a GachaError otherwise.
 */
export function parseAdminDate(text: string, timezone: string): Date {
  const trimmed = text.trim();
  const stamp = DISCORD_TIMESTAMP.exec(trimmed);
  if (stamp) return new Date(Number(stamp[1]) * 1000);
  if (ISO_WITH_ZONE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return new Date(trimmed);
  const local = LOCAL_DATE_TIME.exec(trimmed);
  if (!local) invalid(`"${trimmed.slice(0, 40)}" is not a date: use YYYY-MM-DD HH:mm or a Discord timestamp <t:…>`);
  const [, y, mo, d, h, mi] = local.map(Number);
  const wall = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== (mo ?? 1) - 1 || check.getUTCDate() !== d || (h ?? 0) > 23 || (mi ?? 0) > 59) {
    invalid(`"${trimmed}" is not a calendar date and time`);
  }
  // Two passes settle the offset across a daylight-saving change.
  let utc = wall - timezoneOffsetMs(new Date(wall), timezone);
  utc = wall - timezoneOffsetMs(new Date(utc), timezone);
  return new Date(utc);
}

/**
 * A rate typed by an admin: `3.4%` (at most 4 decimals), `34000ppm`, a whole number above 100
 * (parts per million), or a number up to 100 (a percentage, as the older commands read it).
 */
export function parseRateInput(text: string): number {
  const trimmed = text.trim();
  const ppmText = /^(\d{1,7})\s*ppm$/i.exec(trimmed);
  let ppm: number | null;
  if (ppmText) ppm = Number(ppmText[1]);
  else if (/^\d{3,7}$/.test(trimmed) && Number(trimmed) > 100) ppm = Number(trimmed);
  else ppm = percentTextToPpm(trimmed);
  if (ppm === null) invalid(`"${trimmed.slice(0, 20)}" is not a rate: write 3.4% or parts per million (34000)`);
  if (ppm > PPM) invalid(`${trimmed.slice(0, 20)} is more than 100%`);
  return ppm;
}

/** `#ff8800` (or `ff8800`) → 0xff8800. */
export function parseColour(text: string): number {
  const match = /^#?([0-9a-fA-F]{6})$/.exec(text.trim());
  if (!match?.[1]) invalid(`"${text.trim().slice(0, 20)}" is not a colour such as #ff8800`);
  return Number.parseInt(match[1], 16);
}

/** A name from a form: the main language is required, the other falls back to it when left empty. */
export function formName(main: Locale, mainText: string, otherText: string | null | undefined): LocalizedText {
  const first = mainText.trim();
  if (first === '') invalid('the name in the server’s main language is required');
  const second = (otherText ?? '').trim() || first;
  return main === 'ja' ? { ja: first, en: second } : { en: first, ja: second };
}

/** Comma- or space-separated ids, trimmed, without empties or repeats. */
export function parseIdList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
}

/** A banner whose odds players may already have pulled under. */
export interface LiveOddsChange {
  readonly bannerId: string;
  /** What changed: `tier-rates`, `rateUpSharePpm`, `pity`, `featuredItemIds`, `poolItemIds`, `featuredInStandard`. */
  readonly fields: readonly string[];
}

function started(banner: BannerDefinition, at: Date): boolean {
  return (!banner.startsAt || banner.startsAt <= at) && (!banner.endsAt || banner.endsAt > at);
}

const ODDS_FIELDS = ['rateUpSharePpm', 'pity', 'featuredItemIds', 'poolItemIds', 'featuredInStandard'] as const;

/**
 * Banners open at `at` in both catalogs whose published odds or pity would change: a change of
 * any tier rate touches every open banner; the banner's own rate-up share, pity and pools touch it.
 * Ending a banner early or renaming it is not an odds change.
 */
export function liveOddsChanges(before: Catalog, after: Catalog, at: Date): LiveOddsChange[] {
  const rates = (c: Catalog) =>
    JSON.stringify(
      [...c.tiers].sort((a, b) => a.id.localeCompare(b.id)).map((t) => [t.id, t.ratePpm, t.rank] as const),
    );
  const tierRatesChanged =
    rates(before) !== rates(after) || before.tenPullGuaranteeTierId !== after.tenPullGuaranteeTierId;
  const out: LiveOddsChange[] = [];
  for (const old of before.banners) {
    if (!started(old, at)) continue;
    const now = after.banners.find((b) => b.id === old.id);
    if (!now) continue;
    const fields: string[] = tierRatesChanged ? ['tier-rates'] : [];
    for (const field of ODDS_FIELDS) {
      if (JSON.stringify(old[field]) !== JSON.stringify(now[field])) fields.push(field);
    }
    if (fields.length > 0) out.push({ bannerId: old.id, fields });
  }
  return out;
}

/** `at` as the admin types it back: `YYYY-MM-DD HH:mm`, wall-clock time in `timezone`. */
export function formatAdminDate(at: Date, timezone: string): string {
  const wall = new Date(at.getTime() + timezoneOffsetMs(at, timezone));
  return wall.toISOString().slice(0, 16).replace('T', ' ');
}
