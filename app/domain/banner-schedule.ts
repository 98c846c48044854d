/**
 * Which banner starts and ends are due to be announced: a banner's start once it has passed (unless
 * the banner has already ended by then), its end once it has passed. Events later than `lateLimitMs`
 * are no longer announced (a restart after a long outage, a channel set long after, a banner
 * created with a date in the past): an announcement that old would mislead.
 */
import type { Catalog } from './catalog';

export type BannerEventKind = 'start' | 'end';

export interface BannerEvent {
  readonly bannerId: string;
  readonly kind: BannerEventKind;
  readonly at: Date;
}

/** Default lateness after which an event is dropped rather than announced. */
export const DEFAULT_LATE_LIMIT_MS = 6 * 60 * 60_000;

export function dueBannerEvents(catalog: Catalog, now: Date, lateLimitMs = DEFAULT_LATE_LIMIT_MS): BannerEvent[] {
  const nowMs = now.getTime();
  const due = (at: Date | undefined): at is Date =>
    at !== undefined && at.getTime() <= nowMs && nowMs - at.getTime() <= lateLimitMs;
  const events: BannerEvent[] = [];
  for (const banner of catalog.banners) {
    if (banner.kind !== 'limited') continue;
    const ended = banner.endsAt !== undefined && banner.endsAt.getTime() <= nowMs;
    if (!ended && due(banner.startsAt)) events.push({ bannerId: banner.id, kind: 'start', at: banner.startsAt });
    if (due(banner.endsAt)) events.push({ bannerId: banner.id, kind: 'end', at: banner.endsAt });
  }
  return events;
}
