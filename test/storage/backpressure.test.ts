/**
 * The projection backlog: its bounds, its lag, reads while it is queued, recovery after a crash.
 *
 * @long-running a minute or more (backlogs of many players settled by recovery on the test server)
 */
import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { collections, COLLECTIONS } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { UPDATES_PER_COMMAND } from '../../app/storage/projection-writes';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  await database.close();
});

const never = 3_600_000;

describe('the projection backlog is bounded', () => {
  it('past its bound in events, new charges are refused as busy with nothing charged, until it drains', async () => {
    const svc = stack(database.db, { projectionDelayMs: never, projectionBacklog: { items: 4 } });
    const player = { guildId: snowflake(), userId: snowflake() };
    for (let i = 0; i < 4; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(svc.upkeep.backlog().items).toBe(4);
    const refusedId = snowflake();
    await expect(svc.gacha.pull({ ...player, interactionId: refusedId }, { count: 10 })).rejects.toMatchObject({
      code: 'busy',
    });
    await expect(svc.gacha.daily({ ...player, interactionId: snowflake() })).rejects.toMatchObject({ code: 'busy' });
    const c = collections(database.db);
    expect(await c.ledger.countDocuments(player)).toBe(4);
    expect(await c.ledger.countDocuments({ interactionId: refusedId })).toBe(0);
    expect((await svc.gacha.profile(player)).state.currency).toBe(600);
    expect(svc.upkeep.backlog().items).toBe(4);

    await svc.upkeep.flush();
    expect(svc.upkeep.backlog()).toMatchObject({ items: 0, bytes: 0, lagSeconds: 0 });
    const accepted = await svc.gacha.pull({ ...player, interactionId: refusedId }, { count: 1 });
    expect(accepted).toMatchObject({ replayed: false, cost: 100 });
    await svc.upkeep.flush();
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('past its bound in bytes as well', async () => {
    const probe = stack(database.db, { projectionDelayMs: never });
    const player = { guildId: snowflake(), userId: snowflake() };
    await probe.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const oneTenPull = probe.upkeep.backlog().bytes;
    expect(oneTenPull).toBeGreaterThan(500);
    await probe.upkeep.flush();

    const svc = stack(database.db, { projectionDelayMs: never, projectionBacklog: { bytes: oneTenPull * 1.5 } });
    await svc.gacha.grant(player, 'funds', 10_000, 'test', null);
    await svc.upkeep.flush();
    // The first 10-pull stays under the bound; the second passes it.
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    expect(svc.stores.projections.saturated).toBe(false);
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    expect(svc.upkeep.backlog().items).toBe(2);
    await expect(svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 })).rejects.toMatchObject({
      code: 'busy',
    });
    await svc.upkeep.flush();
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await svc.upkeep.flush();
    expect(await collections(database.db).history.countDocuments(player)).toBe(40);
  });

  it('past the events the writer writes in `seconds` at its measured pace (a slow database gets a smaller bound)', async () => {
    // Every reading of the writer's clock is 1 s later: a batch of 3 events measures 3 events/s.
    let clock = 0;
    const svc = stack(database.db, {
      projectionDelayMs: never,
      projectionBacklog: { seconds: 2, minItems: 1 },
      projectionClock: () => (clock += 1_000),
    });
    const player = { guildId: snowflake(), userId: snowflake() };
    expect(svc.stores.projections.backlogBound).toBe(10_000); // nothing measured yet
    for (let i = 0; i < 3; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    await svc.upkeep.flush();
    expect(svc.stores.projections.backlogBound).toBe(6); // 3 events/s × 2 s
    for (let i = 0; i < 6; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(svc.stores.projections.saturated).toBe(true);
    // What /healthz shows operators: the bound and that new charges are refused.
    expect(svc.upkeep.backlog()).toMatchObject({ items: 6, bound: 6, saturated: true });
    const refusedId = snowflake();
    await expect(svc.gacha.pull({ ...player, interactionId: refusedId }, { count: 1 })).rejects.toMatchObject({
      code: 'busy',
    });
    expect(await collections(database.db).ledger.countDocuments({ interactionId: refusedId })).toBe(0);
    await svc.upkeep.flush();
    expect(svc.stores.projections.saturated).toBe(false);
    expect(svc.upkeep.backlog()).toMatchObject({ items: 0, saturated: false });
    await svc.gacha.pull({ ...player, interactionId: refusedId }, { count: 1 });
    await svc.upkeep.flush();
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('reports its lag: the age of the oldest change not yet projected', async () => {
    let now = new Date('2026-11-30T12:00:00Z');
    const svc = stack(database.db, { projectionDelayMs: never, now: () => now });
    const player = { guildId: snowflake(), userId: snowflake() };
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    now = new Date('2026-11-30T12:00:07.500Z');
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(svc.upkeep.backlog()).toMatchObject({ items: 2, lagSeconds: 7.5 });
    await svc.upkeep.flush();
    expect(svc.upkeep.backlog().lagSeconds).toBe(0);
  });
});

describe('reads never wait for the backlog', () => {
  it("a player's history answers from the ledger while the backlog stays queued", async () => {
    const svc = stack(database.db, { projectionDelayMs: never });
    const player = { guildId: snowflake(), userId: snowflake() };
    const others = Array.from({ length: 20 }, () => ({ guildId: player.guildId, userId: snowflake() }));
    for (const other of others) await svc.gacha.pull({ ...other, interactionId: snowflake() }, { count: 1 });
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const page = await svc.gacha.history(player, 0);
    expect(page).toMatchObject({ total: 10, catchingUp: false });
    expect(page.entries).toHaveLength(10);
    // Only this player was settled: the rest of the backlog is still queued and unwritten.
    expect(svc.stores.projections.queued).toBe(21);
    expect(await collections(database.db).history.countDocuments({ guildId: player.guildId })).toBe(10);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
    // The rankings answer at once from the read model as it is.
    expect((await svc.gacha.leaderboard(player.guildId, 'pulls')).entries).toEqual([
      { userId: player.userId, value: 10 },
    ]);
    await svc.upkeep.flush();
    expect((await svc.gacha.leaderboard(player.guildId, 'pulls')).entries).toHaveLength(10);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('after a crash with a backlog, a restarted process answers profile and history for players still behind', async () => {
    const player = { guildId: snowflake(), userId: snowflake() };
    const dying = stack(database.db, { projectionDelayMs: never });
    await dying.gacha.grant(player, 'funds', 100_000, 'test', null);
    for (let i = 0; i < 205; i++) await dying.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    // The process dies with 206 events queued; nothing of them is projected.
    const c = collections(database.db);
    expect(await c.users.findOne(player)).toBeNull();

    const restarted = stack(database.db);
    const profile = await restarted.gacha.profile(player);
    expect(profile).toMatchObject({ seq: 206 });
    expect(profile.state.totalPulls).toBe(205);
    // More than one answer writes: the page says history is catching up, and is never empty-handed.
    const first = await restarted.gacha.history(player, 0);
    expect(first.catchingUp).toBe(true);
    expect(first.total).toBeGreaterThan(0);
    const second = await restarted.gacha.history(player, 0);
    expect(second.catchingUp).toBe(false);
    expect(second.total).toBe(205);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });
});

describe('the writer', () => {
  it('writes a backlog of many players in one insert per collection, read models in commands of at most 16', async () => {
    const client = new MongoClient(database.uri, { monitorCommands: true });
    await client.connect();
    const commands: CommandStartedEvent[] = [];
    client.on('commandStarted', (event) => commands.push(event));
    try {
      const svc = stack(client.db(database.db.databaseName), { projectionDelayMs: never });
      const guildId = snowflake();
      const players = Array.from({ length: 60 }, () => ({ guildId, userId: snowflake() }));
      for (const player of players) {
        await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
        await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
        await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
      }
      commands.length = 0;
      await svc.upkeep.flush();
      const writes = commands.filter((e) => e.commandName === 'insert' || e.commandName === 'update');
      // 60 players' read models: 16 + 16 + 16 + 12 update statements (see UPDATES_PER_COMMAND).
      expect(writes.map((e) => [e.commandName, e.command[e.commandName] as unknown])).toEqual([
        ['insert', COLLECTIONS.history],
        ['insert', COLLECTIONS.auditJournal],
        ['update', COLLECTIONS.users],
        ['update', COLLECTIONS.users],
        ['update', COLLECTIONS.users],
        ['update', COLLECTIONS.users],
      ]);
      const statements = writes
        .filter((e) => e.commandName === 'update')
        .map((e) => (e.command.updates as unknown[]).length);
      expect(statements).toEqual([UPDATES_PER_COMMAND, UPDATES_PER_COMMAND, UPDATES_PER_COMMAND, 12]);
      expect(await collections(database.db).history.countDocuments({ guildId })).toBe(180);
      expect(await collections(database.db).auditJournal.countDocuments({ guildId })).toBe(180);
      expect((await auditLedger(database.db, guildId)).problems).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('the shutdown flush ends at its deadline and leaves the rest to recovery', async () => {
    const client = new MongoClient(database.uri);
    await client.connect();
    const svc = stack(client.db(database.db.databaseName), { projectionDelayMs: never, projectionRetryBaseMs: 2_000 });
    const player = { guildId: snowflake(), userId: snowflake() };
    const pulled = await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await client.close();
    const started = performance.now();
    expect(await svc.upkeep.flushWithin(200)).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_500);

    const next = stack(database.db);
    expect(await next.upkeep.recover()).toBeGreaterThanOrEqual(1);
    expect((await collections(database.db).users.findOne(player))?.currency).toBe(pulled.state.currency);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('recovery passes never overlap: a second request joins the running one', async () => {
    const player = { guildId: snowflake(), userId: snowflake() };
    const dying = stack(database.db, { projectionDelayMs: never });
    for (let i = 0; i < 5; i++) await dying.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    const svc = stack(database.db);
    const [a, b] = [svc.upkeep.recover(), svc.upkeep.recover()];
    expect(b).toBe(a);
    expect(await a).toBeGreaterThanOrEqual(5);
    expect((await collections(database.db).users.findOne(player))?.seq).toBe(5);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('a recovery pass runs alongside: commits and reads of other players finish while it settles a backlog', async () => {
    const guildId = snowflake();
    const dying = stack(database.db, { projectionDelayMs: never });
    const behind = Array.from({ length: 150 }, () => ({ guildId, userId: snowflake() }));
    for (const player of behind) await dying.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });

    const restarted = stack(database.db);
    let passDone = false;
    const pass = restarted.upkeep.recover().then((settled) => {
      passDone = true;
      return settled;
    });
    const player = { guildId, userId: snowflake() };
    await restarted.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    expect((await restarted.gacha.history(behind[149]!, 0)).total).toBe(1);
    expect((await restarted.gacha.profile(behind[0]!)).state.totalPulls).toBe(1);
    expect(passDone).toBe(false);
    expect(await pass).toBeGreaterThanOrEqual(149);
    await restarted.upkeep.flush();
    expect(await collections(database.db).users.countDocuments({ guildId })).toBe(151);
    expect((await auditLedger(database.db, guildId)).problems).toEqual([]);
    // 150 commits and a full recovery pass: minutes on FerretDB/SQLite when the machine is loaded.
  }, 240_000);
});
