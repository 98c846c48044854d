/**
 * `npm run db:migrate`'s library on two databases of the test server: the bulk copy while players
 * keep pulling, then the final delta (ledger and history from the high-water mark, the rest
 * whole), the recovery pass and the ledger audit on the target. Without the delta the target
 * misses the late events; with it, target and source hold the same ledger and the audit is clean.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../app/storage/collections';
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
