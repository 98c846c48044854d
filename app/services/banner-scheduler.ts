/**
 * Announces banner starts and ends in each server's announcement channel, once per event. A pass
 * (run every 30 s by the bot, never awaited by interactions) reads the settings of a bounded slice
 * of the process's guilds, finds the starts and ends that have passed (see banner-schedule.ts), and
 * for each one not yet announced inserts its marker (`guild:banner:start|end`, insert-once): only
 * the process whose insert wins posts, so two bots during a release, or a restart, post once.
 *
 * Failure policy: the marker is written before the post. A post that fails (unknown channel, no
 * permission, Discord down after the REST client's own retries) is logged as a warning and not
 * retried: an announcement is never posted twice, and a crash between marker and post loses that
 * one announcement (the warning, or its absence in the channel, tells the admin).
 */
import { type BannerEvent, DEFAULT_LATE_LIMIT_MS, dueBannerEvents } from '../domain/banner-schedule';
import type { BannerDefinition, Catalog, Locale } from '../domain/catalog';
import { adminRules } from '../domain/guild-settings';
import { LruCache } from '../shared/lru-cache';
import { type AnnouncementMarks, announcementMarkId } from '../storage/announcement-marks';
import type { SettingsStore } from '../storage/settings-store';

export interface BannerAnnouncement {
  readonly guildId: string;
  readonly channelId: string;
  /** The server's language. */
  readonly locale: Locale;
  readonly event: BannerEvent;
  readonly banner: BannerDefinition;
  readonly catalog: Catalog;
}

/** Posts one announcement (the Discord adapter); throws when Discord refused it. */
export type AnnouncementPoster = (announcement: BannerAnnouncement) => Promise<void>;

export interface SchedulerLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface BannerSchedulerOptions {
  readonly now?: () => Date;
  /** Events later than this are dropped, not announced (default 6 h). */
  readonly lateLimitMs?: number;
  /** Guilds whose settings one pass reads (the rest wait for the next passes, in turn). */
  readonly guildsPerPass?: number;
  /** Announcements one pass posts at most. */
  readonly postsPerPass?: number;
}

export interface PassResult {
  readonly guilds: number;
  readonly posted: number;
  readonly failed: number;
}

export class BannerScheduler {
  private cursor = 0;
  /** Marker ids known to exist, so a due event costs one database read per process. */
  private readonly known = new LruCache<string, true>(10_000);
  private readonly now: () => Date;
  private readonly lateLimitMs: number;
  private readonly guildsPerPass: number;
  private readonly postsPerPass: number;

  constructor(
    private readonly settings: SettingsStore,
    private readonly marks: AnnouncementMarks,
    private readonly post: AnnouncementPoster,
    private readonly log: SchedulerLog,
    options: BannerSchedulerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.lateLimitMs = options.lateLimitMs ?? DEFAULT_LATE_LIMIT_MS;
    this.guildsPerPass = options.guildsPerPass ?? 200;
    this.postsPerPass = options.postsPerPass ?? 20;
  }

  /** One pass over the next slice of `guildIds` (the guilds this process serves). */
  async pass(guildIds: readonly string[]): Promise<PassResult> {
    const slice = this.nextSlice(guildIds);
    let posted = 0;
    let failed = 0;
    for (const guildId of slice) {
      if (posted + failed >= this.postsPerPass) break;
      const budget = this.postsPerPass - posted - failed;
      try {
        const result = await this.guildPass(guildId, budget);
        posted += result.posted;
        failed += result.failed;
      } catch (error) {
        // One server's unreadable settings (or a database hiccup) must not starve the others.
        this.log.warn({ err: error, guild: guildId }, 'banner announcements skipped for this server in this pass');
      }
    }
    return { guilds: slice.length, posted, failed };
  }

  private nextSlice(guildIds: readonly string[]): string[] {
    if (guildIds.length <= this.guildsPerPass) return [...guildIds];
    const start = this.cursor % guildIds.length;
    const slice = [...guildIds.slice(start, start + this.guildsPerPass)];
    if (slice.length < this.guildsPerPass) slice.push(...guildIds.slice(0, this.guildsPerPass - slice.length));
    this.cursor = (start + this.guildsPerPass) % guildIds.length;
    return slice;
  }

  private async guildPass(guildId: string, budget: number): Promise<{ posted: number; failed: number }> {
    const { settings } = await this.settings.get(guildId);
    const channelId = adminRules(settings).announceChannelId;
    if (!channelId) return { posted: 0, failed: 0 };
    const events = dueBannerEvents(settings.catalog, this.now(), this.lateLimitMs).filter(
      (e) => !this.known.get(announcementMarkId(guildId, e)),
    );
    if (events.length === 0) return { posted: 0, failed: 0 };
    const existing = await this.marks.existing(events.map((e) => announcementMarkId(guildId, e)));
    let posted = 0;
    let failed = 0;
    for (const event of events) {
      const id = announcementMarkId(guildId, event);
      if (existing.has(id)) {
        this.known.set(id, true);
        continue;
      }
      if (posted + failed >= budget) break;
      const won = await this.marks.claim(guildId, event);
      this.known.set(id, true);
      if (!won) continue;
      const banner = settings.catalog.banners.find((b) => b.id === event.bannerId);
      if (!banner) continue;
      try {
        await this.post({ guildId, channelId, locale: settings.locale, event, banner, catalog: settings.catalog });
        posted++;
      } catch (error) {
        failed++;
        this.log.warn(
          { err: error, guild: guildId, channel: channelId, banner: event.bannerId, event: event.kind },
          'banner announcement could not be posted; not retried (see banner-scheduler.ts)',
        );
      }
    }
    return { posted, failed };
  }
}
