/**
 * Insert-once markers of banner announcements: `_id` is `guild:banner:start|end`, so of any number
 * of processes (two bots during a release overlap, a restart) exactly one insert wins and only its
 * winner posts. Updates are never used (FerretDB updates are not atomic).
 */
import type { Db } from 'mongodb';
import type { BannerEvent } from '../domain/banner-schedule';
import { isDuplicateKeyError } from './mongo-errors';

export const ANNOUNCEMENTS_COLLECTION = 'banner_announcements';

export interface AnnouncementMarkDoc {
  _id: string;
  guildId: string;
  bannerId: string;
  kind: BannerEvent['kind'];
  /** When the event happened (the banner's start or end). */
  eventAt: Date;
  /** When this marker was written, and by which process. */
  at: Date;
  by: string;
}

export function announcementMarkId(guildId: string, event: Pick<BannerEvent, 'bannerId' | 'kind'>): string {
  return `${guildId}:${event.bannerId}:${event.kind}`;
}

export class AnnouncementMarks {
  constructor(
    private readonly db: Db,
    private readonly owner: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get marks() {
    return this.db.collection<AnnouncementMarkDoc>(ANNOUNCEMENTS_COLLECTION);
  }

  /** True when this call wrote the marker (the caller then posts); false when it existed already. */
  async claim(guildId: string, event: BannerEvent): Promise<boolean> {
    try {
      await this.marks.insertOne({
        _id: announcementMarkId(guildId, event),
        guildId,
        bannerId: event.bannerId,
        kind: event.kind,
        eventAt: event.at,
        at: this.now(),
        by: this.owner,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The ids among `ids` that have a marker. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await this.marks.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((d) => d._id));
  }
}
