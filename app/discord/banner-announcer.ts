/**
 * The Discord side of banner announcements: the message (banner name, featured items, the end as
 * a Discord timestamp, a mention of /gacha pull; in the server's language; nobody pinged) and its
 * post to the announcement channel over REST.
 */
import { type REST, Routes } from 'discord.js';
import type { AnnouncementPoster, BannerAnnouncement, BannerScheduler, PassResult } from '../services/banner-scheduler';
import { bannerAnnouncementStrings } from './banner-announcement-strings';
import type { Mention } from './command-mentions';

const CONTENT_LIMIT = 2_000;
const FEATURED_SHOWN = 10;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The announcement's text (≤ 2,000 characters). */
export function announcementText(a: BannerAnnouncement, mention: Mention): string {
  const s = bannerAnnouncementStrings(a.locale);
  const banner = clip(a.banner.name[a.locale], 100);
  if (a.event.kind === 'end') return clip([s.ended({ banner }), s.thanks].join('\n'), CONTENT_LIMIT);
  const names = a.banner.featuredItemIds.map((id) => {
    const item = a.catalog.items.find((i) => i.id === id);
    return clip(item ? item.name[a.locale] : id, 80);
  });
  const shown = names.slice(0, FEATURED_SHOWN);
  if (names.length > shown.length) shown.push(s.more({ count: names.length - shown.length }));
  const lines = [s.started({ banner })];
  if (shown.length > 0) lines.push(s.featured({ items: shown.join(', ') }));
  if (a.banner.endsAt) {
    const seconds = Math.floor(a.banner.endsAt.getTime() / 1000);
    lines.push(s.endsAt({ when: `<t:${seconds}:f>`, relative: `<t:${seconds}:R>` }));
  }
  lines.push(s.pullWith({ command: mention('gacha pull') }));
  return clip(lines.join('\n'), CONTENT_LIMIT);
}

/** Posts announcements with the bot's REST client; a refusal (unknown channel, no access) throws. */
export function restAnnouncementPoster(rest: REST, mention: Mention): AnnouncementPoster {
  return async (a) => {
    await rest.post(Routes.channelMessages(a.channelId), {
      body: { content: announcementText(a, mention), allowed_mentions: { parse: [] } },
    });
  };
}

export interface AnnouncementLoopOptions {
  readonly intervalMs: number;
  /** The guilds this process serves now (its shards' guilds). */
  readonly guildIds: () => readonly string[];
  /** False until the gateway is ready (no pass before). */
  readonly ready: () => boolean;
  readonly onPass: (result: PassResult) => void;
  readonly onError: (error: unknown) => void;
}

/**
 * Runs a scheduler pass every `intervalMs` in the background (a pass never overlaps the previous
 * one and nothing waits for it); returns the stop function.
 */
export function startAnnouncementLoop(scheduler: BannerScheduler, options: AnnouncementLoopOptions): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running || !options.ready()) return;
    running = true;
    scheduler
      .pass(options.guildIds())
      .then(options.onPass, options.onError)
      .finally(() => {
        running = false;
      });
  }, options.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
