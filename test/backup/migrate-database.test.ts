/**
 * `npm run db:migrate`'s library on two databases of the test server: the bulk copy while players
 * keep pulling, then the final delta (ledger and history from the high-water mark, the rest
 * whole), the recovery pass and the ledger audit on the target. Without the delta the target
 * misses the late events; with it, target and source hold the same ledger and the audit is clean.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { COLLECTIONS, collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { migrate } from '../../app/storage/schema';
import { copyAll, copyFinalDelta } from '../../scripts/lib/migrate-database';
import { snowflake, stack } from '../storage/store-fixture';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let source: TestDatabase;
let targetDb: Db;

beforeAll(async () => {
  source = await openTestDatabase();
  await migrate(source.db);
  targetDb = source.client.db(`t_migrate_target_${randomBytes(4).toString('hex')}`);
});

afterAll(async () => {
  await targetDb.dropDatabase().catch(() => undefined);
  await source.close();
});

async function play(db: Db, players: readonly { guildId: string; userId: string }[], pulls: number): Promise<void> {
  const svc = stack(db, { projectionDelayMs: 0 });
  for (const p of players) {
    for (let i = 0; i < pulls; i++)
      await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: i % 2 ? 10 : 1 });
  }
  await svc.upkeep.flush();
}

it('copies everything while the bot runs, then only the delta with the bot stopped; the audit on the target is clean', async () => {
  const guildId = snowflake();
  const players = Array.from({ length: 6 }, () => ({ guildId, userId: snowflake() }));
  const svc = stack(source.db, { projectionDelayMs: 0 });
  for (const p of players) await svc.gacha.grant(p, 'seed', 50_000, 'seed', null);
  await play(source.db, players, 3);

  const copied = await copyAll(source.db, targetDb);
  const ledger = (db: Db) => db.collection(COLLECTIONS.ledger).countDocuments({});
  expect(copied.ledgerEvents).toBe(await ledger(source.db));
  expect(await ledger(targetDb)).toBe(copied.ledgerEvents);

  // The bot keeps running: more pulls, and new players, after the bulk copy.
  const late = [...players.slice(0, 3), { guildId, userId: snowflake() }];
  await svc.gacha.grant(late[3] ?? players[0]!, 'seed', 50_000, 'seed', null);
  await play(source.db, late, 2);
  expect(await ledger(targetDb)).toBeLessThan(await ledger(source.db));

  // Bot stopped: the final delta.
  const final = await copyFinalDelta(source.db, targetDb, copied.highWaterMark);
  expect(final.audit.problems).toEqual([]);
  expect(final.ready).toBe(true);
  expect(final.audit.events).toBe(await ledger(source.db));
  expect(await ledger(targetDb)).toBe(await ledger(source.db));
  expect(await targetDb.collection(COLLECTIONS.history).countDocuments({})).toBe(
    await source.db.collection(COLLECTIONS.history).countDocuments({}),
  );
  expect(final.durationMs).toBeGreaterThanOrEqual(final.deltaMs);
  // The target answers like the source: the same profile for a player who pulled late.
  const target = stack(targetDb);
  for (const p of late) {
    expect((await target.gacha.profile(p)).state).toEqual((await svc.gacha.profile(p)).state);
  }
  // A second final pass changes nothing (idempotent: duplicates are skipped).
  const again = await copyFinalDelta(source.db, targetDb, copied.highWaterMark);
  expect(again.ready).toBe(true);
  expect(await ledger(targetDb)).toBe(await ledger(source.db));
});

it('refuses a bulk copy into a target that already holds data', async () => {
  await expect(copyAll(source.db, targetDb)).rejects.toThrow(/is not empty/);
});

it('audits only the delta players in the downtime: a player changed during the copy is flagged and re-audited, a corrupted delta player refuses the switch, an untouched player is not read again', async () => {
  const target = source.client.db(`t_migrate_delta_${randomBytes(4).toString('hex')}`);
  try {
    const guildId = snowflake();
    const [during, late, untouched] = Array.from({ length: 3 }, () => ({ guildId, userId: snowflake() }));
    if (!during || !late || !untouched) throw new Error('three players');
    const key = (p: { guildId: string; userId: string }) => `${p.guildId}:${p.userId}`;
    const svc = stack(source.db, { projectionDelayMs: 0 });
    for (const p of [during, late, untouched]) await svc.gacha.grant(p, 'seed', 50_000, 'seed', null);
    await play(source.db, [during, late, untouched], 2);

    // `during` pulls after the read model is copied and before the ledger and history are (or the
    // other way round): in the copy their read model is not at their last event.
    // A 1 s margin (nothing is in flight at the mark here): the seed stays out of the delta.
    const marginMs = 1_000;
    await new Promise((resolve) => setTimeout(resolve, marginMs + 100));
    const copies: string[] = [COLLECTIONS.users, COLLECTIONS.ledger, COLLECTIONS.history];
    let copiedOfThem = 0;
    const copied = await copyAll(source.db, target, undefined, {
      afterCollection: async (name) => {
        if (copies.includes(name) && ++copiedOfThem === 1) await play(source.db, [during], 1);
      },
    });
    expect(copiedOfThem).toBe(3);
    expect(copied.bulkAudit.flaggedPlayers).toEqual([key(during)]);

    // The bot keeps running: `late` pulls; then `late`'s newest event is corrupted at the source
    // (the delta carries it over), and `untouched` is corrupted on the target after its bulk audit.
    await play(source.db, [late], 1);
    const lastOfLate = await collections(source.db).ledger.findOne({ ...late }, { sort: { seq: -1 } });
    await collections(source.db).ledger.updateOne({ _id: lastOfLate?._id ?? '' }, { $inc: { 'state.currency': 1 } });
    await collections(target).ledger.updateOne({ ...untouched, seq: 1 }, { $inc: { 'state.currency': 1 } });

    const final = await copyFinalDelta(source.db, target, copied.highWaterMark, marginMs, {
      flaggedPlayers: copied.bulkAudit.flaggedPlayers,
    });
    expect(final.auditedPlayers).toBe(2); // `during` (flagged) and `late` (in the delta)
    expect(final.audit.flaggedPlayers).toEqual([key(late)]);
    expect(final.ready).toBe(false);
    expect(final.targetLedgerEvents).toBe(final.sourceLedgerEvents);
    // `untouched` was not read again: its corruption (planted after the bulk audit, so no copy
    // could have caused it) is seen only by a whole audit.
    expect(final.audit.problems.some((p) => p.startsWith(key(untouched)))).toBe(false);
    expect((await auditLedger(target)).flaggedPlayers).toEqual([key(late), key(untouched)].sort());

    // Without the corruption of `late` at the source the switch is allowed (the delta's copy of
    // that event is rewritten by dropping it on the target and copying the delta again).
    await collections(source.db).ledger.updateOne({ _id: lastOfLate?._id ?? '' }, { $inc: { 'state.currency': -1 } });
    await collections(target).ledger.deleteOne({ _id: lastOfLate?._id ?? '' });
    const again = await copyFinalDelta(source.db, target, copied.highWaterMark, marginMs, {
      flaggedPlayers: copied.bulkAudit.flaggedPlayers,
    });
    expect(again.audit.problems).toEqual([]);
    expect(again.ready).toBe(true);
  } finally {
    await target.dropDatabase().catch(() => undefined);
  }
});
