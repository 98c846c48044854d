/**
 * The banner scheduler against the test database, on a fake clock: each start and end is posted
 * once in the server's announcement channel — also with two processes passing at the same time and
 * after a restart — late events are dropped, a failed post is logged and not retried, and a pass
 * does bounded work.
 */
import { createLimitedBanner } from '../../app/domain/catalog-edits';
import {
  type AnnouncementPoster,
  type BannerAnnouncement,
  BannerScheduler,
  type BannerSchedulerOptions,
} from '../../app/services/banner-scheduler';
import { ANNOUNCEMENTS_COLLECTION, AnnouncementMarks } from '../../app/storage/announcement-marks';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  await database.close();
});

const T0 = new Date('2031-05-01T00:00:00Z');
const HOUR = 60 * 60_000;

interface Harness {
  readonly clock: { now: Date };
  readonly posts: BannerAnnouncement[];
  readonly warnings: Record<string, unknown>[];
  scheduler(options?: BannerSchedulerOptions & { poster?: AnnouncementPoster; owner?: string }): BannerScheduler;
}

function harness(): Harness {
  const clock = { now: T0 };
  const posts: BannerAnnouncement[] = [];
  const warnings: Record<string, unknown>[] = [];
  const { stores } = stack(database.db, { now: () => clock.now });
  return {
    clock,
    posts,
    warnings,
    scheduler: ({ poster, owner = 'process-a', ...options } = {}) =>
      new BannerScheduler(
        stores.settings,
        new AnnouncementMarks(database.db, owner, () => clock.now),
        poster ??
          ((a) => {
            posts.push(a);
            return Promise.resolve();
          }),
        { warn: (details) => warnings.push(details) },
        { now: () => clock.now, ...options },
      ),
  };
}

/** A guild with a limited banner from T0 + 1 h to T0 + 3 h, announced in `channelId`. */
async function guildWithBanner(channelId: string | null, bannerId = 'fox-fest'): Promise<string> {
  const guildId = snowflake();
  const { stores } = stack(database.db);
  await stores.settings.update(guildId, snowflake(), 'setup', (s) => ({
    ...s,
    admin: { budgetDays: 30, announceChannelId: channelId },
    catalog: createLimitedBanner(s.catalog, {
      id: bannerId,
      name: { en: 'Fox Festival', ja: '狐祭' },
      featuredItemIds: ['amaterasu'],
      startsAt: new Date(T0.getTime() + HOUR),
      endsAt: new Date(T0.getTime() + 3 * HOUR),
      rateUpSharePpm: 500_000,
      sparkThreshold: 300,
    }),
  }));
  return guildId;
}

describe('banner scheduler', () => {
  it('announces the start once it has passed and the end once it has passed, each once', async () => {
    const h = harness();
    const channelId = snowflake();
    const guildId = await guildWithBanner(channelId);
    const scheduler = h.scheduler();
    await scheduler.pass([guildId]);
    expect(h.posts).toEqual([]);
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    await scheduler.pass([guildId]);
    await scheduler.pass([guildId]);
    expect(h.posts.map((p) => [p.guildId, p.channelId, p.event.bannerId, p.event.kind])).toEqual([
      [guildId, channelId, 'fox-fest', 'start'],
    ]);
    expect(h.posts[0]?.banner.name.en).toBe('Fox Festival');
    expect(h.posts[0]?.locale).toBe('en');
    h.clock.now = new Date(T0.getTime() + 3 * HOUR + 1_000);
    await scheduler.pass([guildId]);
    await scheduler.pass([guildId]);
    expect(h.posts.map((p) => p.event.kind)).toEqual(['start', 'end']);
    const marks = await database.db.collection(ANNOUNCEMENTS_COLLECTION).find({ guildId }).toArray();
    expect(marks.map((m) => m._id).sort()).toEqual([`${guildId}:fox-fest:end`, `${guildId}:fox-fest:start`]);
  });

  it('posts once when two processes pass at the same moment, and not again after a restart', async () => {
    const h = harness();
    const guildId = await guildWithBanner(snowflake());
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    const a = h.scheduler({ owner: 'a' });
    const b = h.scheduler({ owner: 'b' });
    for (let round = 0; round < 3; round++) await Promise.all([a.pass([guildId]), b.pass([guildId])]);
    expect(h.posts.map((p) => p.event.kind)).toEqual(['start']);
    const restarted = h.scheduler({ owner: 'a-restarted' });
    await restarted.pass([guildId]);
    expect(h.posts).toHaveLength(1);
  });

  it('announces nothing, and marks nothing, while no announcement channel is set', async () => {
    const h = harness();
    const guildId = await guildWithBanner(null);
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    await h.scheduler().pass([guildId]);
    expect(h.posts).toEqual([]);
    expect(await database.db.collection(ANNOUNCEMENTS_COLLECTION).countDocuments({ guildId })).toBe(0);
  });

  it('drops events later than the late limit, and a start whose banner has already ended', async () => {
    const h = harness();
    const guildId = await guildWithBanner(snowflake());
    h.clock.now = new Date(T0.getTime() + 3 * HOUR + 1_000);
    await h.scheduler({ lateLimitMs: 10 * 60_000 }).pass([guildId]);
    expect(h.posts.map((p) => p.event.kind)).toEqual(['end']);
    const late = await guildWithBanner(snowflake());
    h.clock.now = new Date(T0.getTime() + 3 * HOUR + 11 * 60_000);
    await h.scheduler({ lateLimitMs: 10 * 60_000 }).pass([late]);
    expect(h.posts.filter((p) => p.guildId === late)).toEqual([]);
  });

  it('logs a failed post as a warning, keeps the marker and does not retry it', async () => {
    const h = harness();
    const channelId = snowflake();
    const guildId = await guildWithBanner(channelId);
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    let attempts = 0;
    const failing = h.scheduler({
      poster: () => {
        attempts++;
        return Promise.reject(new Error('Missing Access'));
      },
    });
    expect(await failing.pass([guildId])).toMatchObject({ posted: 0, failed: 1 });
    await failing.pass([guildId]);
    await h.scheduler().pass([guildId]);
    expect(attempts).toBe(1);
    expect(h.posts).toEqual([]);
    expect(h.warnings).toEqual([expect.objectContaining({ guild: guildId, channel: channelId, event: 'start' })]);
  });

  it('bounds a pass: a slice of the guilds, a number of posts, the rest in later passes', async () => {
    const h = harness();
    const guilds: string[] = [];
    for (let i = 0; i < 5; i++) guilds.push(await guildWithBanner(snowflake()));
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    const scheduler = h.scheduler({ guildsPerPass: 2, postsPerPass: 10 });
    expect(await scheduler.pass(guilds)).toMatchObject({ guilds: 2, posted: 2 });
    const capped = h.scheduler({ guildsPerPass: 10, postsPerPass: 1 });
    expect(await capped.pass(guilds)).toMatchObject({ posted: 1 });
    await scheduler.pass(guilds);
    await scheduler.pass(guilds);
    expect(new Set(h.posts.map((p) => p.guildId))).toEqual(new Set(guilds));
    expect(h.posts).toHaveLength(5);
  });
});

describe('banner scheduler with a broken server', () => {
  it('one server whose settings do not read does not stop the others', async () => {
    const h = harness();
    const broken = snowflake();
    await database.db
      .collection('server_settings')
      .insertOne({ _id: `${broken}:1` as never, guildId: broken, revision: 1, settings: { nonsense: true }, at: T0 });
    const guildId = await guildWithBanner(snowflake());
    h.clock.now = new Date(T0.getTime() + HOUR + 1_000);
    const result = await h.scheduler().pass([broken, guildId]);
    expect(result).toMatchObject({ guilds: 2, posted: 1 });
    expect(h.posts.map((p) => p.guildId)).toEqual([guildId]);
    expect(h.warnings).toEqual([expect.objectContaining({ guild: broken })]);
  });
});
