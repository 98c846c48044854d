/**
 * The projection writer on the test server: batches, ordering, lost batches, large batches.
 *
 * @long-running about a minute (300 read models moved in one batch on FerretDB)
 */
import { MongoClient } from 'mongodb';
import { initialPlayerState } from '../../app/domain/player-state';
import { auditLedger } from '../../app/storage/ledger-audit';
import { collections, type LedgerEventDoc } from '../../app/storage/collections';
import { historyDocs } from '../../app/storage/history-docs';
import { ProjectionWriter } from '../../app/storage/projection-writer';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  await database.close();
});

/** A one-item pull event of `seq` for a player (not in the ledger: the writer only projects). */
function pullEvent(
  guildId: string,
  userId: string,
  seq: number,
  currency: number,
  itemId = 'paper-fan',
): LedgerEventDoc {
  return {
    _id: `${guildId}:${userId}:${seq}`,
    guildId,
    userId,
    seq,
    opKey: `pull:${seq}`,
    interactionId: `${seq}`,
    kind: 'pull',
    at: new Date(),
    delta: { currency: -100, shards: 0 },
    state: { ...initialPlayerState(currency), currency },
    pull: {
      bannerId: 'standard',
      bannerKind: 'standard',
      count: 1,
      cost: 100,
      items: [
        {
          tierId: 'N',
          itemId,
          pityCount: seq,
          topTier: false,
          featured: false,
          duplicate: false,
          guaranteeSlot: false,
          shardsGained: 0,
        },
      ],
    },
  };
}

const never = 3_600_000;

describe('history and read model written behind the commits', () => {
  it("batches every queued event's history and one read-model write per player", async () => {
    const svc = stack(database.db, { projectionDelayMs: never });
    const player = { guildId: snowflake(), userId: snowflake() };
    const other = { guildId: player.guildId, userId: snowflake() };
    for (let i = 0; i < 5; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    await svc.gacha.pull({ ...other, interactionId: snowflake() }, { count: 10 });
    expect(svc.stores.projections.queued).toBe(6);
    const c = collections(database.db);
    expect(await c.users.countDocuments({ guildId: player.guildId })).toBe(0);
    expect(await c.history.countDocuments({ guildId: player.guildId })).toBe(0);

    // The leaderboard never waits for the backlog: it reads the read model as it is.
    expect(await svc.gacha.leaderboard(player.guildId, 'pulls')).toEqual({ entries: [], catchingUp: false });
    expect(svc.stores.projections.queued).toBe(6);
    await svc.upkeep.flush();
    expect((await svc.gacha.leaderboard(player.guildId, 'pulls')).entries).toEqual([
      { userId: other.userId, value: 10 },
      { userId: player.userId, value: 5 },
    ]);
    expect(svc.stores.projections.queued).toBe(0);
    expect(await c.history.countDocuments({ guildId: player.guildId })).toBe(15);
    const profile = await svc.gacha.profile(player);
    const stored = await c.users.findOne({ guildId: player.guildId, userId: player.userId });
    expect(stored).toMatchObject({ seq: profile.seq, currency: profile.state.currency, totalPulls: 5 });
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it("the history command sees the player's own pull at once", async () => {
    const svc = stack(database.db, { projectionDelayMs: never });
    const player = { guildId: snowflake(), userId: snowflake() };
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const page = await svc.gacha.history(player, 0);
    expect(page.total).toBe(10);
    expect(page.entries).toHaveLength(10);
  });

  it('writes on its own after the delay', async () => {
    const svc = stack(database.db, { projectionDelayMs: 20 });
    const player = { guildId: snowflake(), userId: snowflake() };
    const result = await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const c = collections(database.db);
    for (let waited = 0; waited < 5_000 && !(await c.users.findOne(player)); waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(svc.stores.projections.queued).toBe(0);
    expect((await c.users.findOne(player))?.currency).toBe(result.state.currency);
    expect(await c.history.countDocuments(player)).toBe(10);
  });

  it('skips what is already written and never moves a read model backwards', async () => {
    const errors: unknown[] = [];
    const c = collections(database.db);
    const writer = new ProjectionWriter(database.db, { delayMs: never, onError: (e) => errors.push(e) });
    const guildId = snowflake();
    const [a, b] = [snowflake(), snowflake()];
    // Written already: a's history and read model at 7 (the synchronous path, which then skips the
    // older 6); b's history of 2.
    await new ProjectionWriter(database.db, { delayMs: 0 }).afterCommit(pullEvent(guildId, a, 7, 700));
    await new ProjectionWriter(database.db, { delayMs: 0 }).afterCommit(pullEvent(guildId, a, 6, 600));
    await c.history.insertMany(historyDocs(pullEvent(guildId, b, 2, 200)));
    expect(await c.users.findOne({ guildId, userId: a })).toMatchObject({ seq: 7, currency: 700 });
    // One batch: a stale read model, history already written, and new writes after both.
    await writer.afterCommit(pullEvent(guildId, a, 5, 500));
    await writer.afterCommit(pullEvent(guildId, b, 2, 200));
    await writer.afterCommit(pullEvent(guildId, b, 3, 100));
    await writer.afterCommit(pullEvent(guildId, b, 1, 300));
    expect(writer.queued).toBe(4);
    await writer.flush();
    expect(errors).toEqual([]);
    expect((await c.users.findOne({ guildId, userId: a }))?.currency).toBe(700);
    expect(await c.users.findOne({ guildId, userId: b })).toMatchObject({ seq: 3, currency: 100 });
    expect(await c.history.countDocuments({ guildId, userId: b })).toBe(3);
    // a: the history of 7 (written before) and of 5 (this batch); never of 6, older than the read model.
    expect(await c.history.countDocuments({ guildId, userId: a })).toBe(2);
  });

  it('after a lost batch, the read model waits until a commit has rewritten the missing history', async () => {
    const errors: { events: number }[] = [];
    const svc = stack(database.db, {
      projectionDelayMs: never,
      projectionRetryBaseMs: 50,
      // The 17 MiB document below would otherwise pass the backlog's byte bound and refuse pulls.
      projectionBacklog: { bytes: 64 * 1024 * 1024 },
      onProjectionError: (_error, events) => errors.push({ events }),
    });
    const player = { guildId: snowflake(), userId: snowflake() };
    await svc.gacha.grant(player, 'funding', 5_000, 'test', null);
    await svc.upkeep.flush();
    const c = collections(database.db);
    const funded = await c.users.findOne(player);
    expect(funded?.seq).toBe(1);

    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    // A document the server cannot take makes the whole batch fail, the pull's history with it.
    await svc.stores.projections.afterCommit(
      pullEvent(player.guildId, snowflake(), 1, 0, 'x'.repeat(17 * 1024 * 1024)),
    );
    const lost = svc.upkeep.flush();
    // A pull committed while that batch is still being retried is queued behind it.
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(svc.stores.projections.queued).toBe(1);
    await lost;
    expect(errors).toEqual([{ events: 2 }]);
    expect(svc.stores.projections.needsSettling(player)).toBe(true);
    await svc.upkeep.flush();
    // Its history is written, but the read model must not name a sequence past the lost history.
    expect(await c.history.countDocuments(player)).toBe(1);
    expect((await c.users.findOne(player))?.seq).toBe(1);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);

    // The next commit settles from the database: the lost history, then the read model.
    const third = await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(svc.stores.projections.needsSettling(player)).toBe(false);
    expect(await c.history.countDocuments(player)).toBe(12);
    expect(await c.users.findOne(player)).toMatchObject({ seq: 4, currency: third.state.currency });
    expect(third.state.currency).toBe(5_000 + (funded?.state.currency ?? 0) - 5_000 - 1_200);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('reports a batch whose connection is gone; the recovery pass writes it later', async () => {
    const errors: { events: number }[] = [];
    const player = { guildId: snowflake(), userId: snowflake() };
    const client = new MongoClient(database.uri);
    await client.connect();
    const svc = stack(client.db(database.db.databaseName), {
      projectionDelayMs: never,
      projectionRetryBaseMs: 1,
      onProjectionError: (_error, events) => errors.push({ events }),
    });
    const pulled = await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await client.close();
    await svc.upkeep.flush();
    expect(errors).toEqual([{ events: 1 }]);
    expect(svc.stores.projections.queued).toBe(0);

    const c = collections(database.db);
    expect(await c.users.findOne(player)).toBeNull();
    expect(await stack(database.db).upkeep.recover()).toBeGreaterThanOrEqual(1);
    expect((await c.users.findOne(player))?.currency).toBe(pulled.state.currency);
    const event = await c.ledger.findOne({ ...player, kind: 'pull' });
    expect((await c.history.find(player).toArray()).map((h) => h._id).sort()).toEqual(
      historyDocs(event!)
        .map((h) => h._id)
        .sort(),
    );
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });
});

describe('read models written in bounded commands', () => {
  // FerretDB 1.24 holds one backend connection per matching statement of an update command until
  // the command ends; a bulk update of a few hundred existing read models exhausted its pool and
  // deadlocked the server (found under bench:e2e load: every later command waited forever).
  it('moves 300 existing read models forward in one batch without stalling the database', async () => {
    const guildId = snowflake();
    const users = Array.from({ length: 300 }, () => snowflake());
    const first = users.map((userId) => pullEvent(guildId, userId, 1, 900));
    const writer = new ProjectionWriter(database.db, { delayMs: 10_000, maxQueued: 10_000 });
    for (const event of first) await writer.afterCommit(event);
    await writer.flush();
    // Every read model now exists at seq 1: each update of the next batch matches a document.
    const second = users.map((userId) => pullEvent(guildId, userId, 2, 800));
    for (const event of second) await writer.afterCommit(event);
    await writer.flush();
    const c = collections(database.db);
    const moved = await c.users.countDocuments({ guildId, seq: 2, currency: 800 });
    expect(moved).toBe(users.length);
    // The server still answers other work at once.
    expect(await c.users.findOne({ _id: `${guildId}:${users[0] ?? ''}` })).not.toBeNull();
  }, 120_000);
});
