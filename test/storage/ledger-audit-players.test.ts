/**
 * The ledger audit restricted to a set of players (`options.players`), on the test server: it
 * reads those players and the other side of their moves, reports their problems and names them
 * in `flaggedPlayers`, and does not read anyone else. The whole audit, for comparison, sees all.
 */
import type { Db } from 'mongodb';
import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { migrate } from '../../app/storage/schema';
import { openTestDatabase, type TestDatabase } from '../support/test-database';
import { snowflake, stack } from './store-fixture';
import { coins, member } from './trade-fixture';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  await migrate(db);
});

afterAll(async () => {
  await database.close();
});

it('audits only the given players and their move counterparts', async () => {
  const svc = stack(db, { projectionDelayMs: 0 });
  const guildId = snowflake();
  const [a, b, c, d] = Array.from({ length: 4 }, () => ({ guildId, userId: snowflake() }));
  if (!a || !b || !c || !d) throw new Error('four players');
  for (const p of [a, b, c, d]) {
    await svc.gacha.grant(p, 'seed', 10_000, 'seed', null);
    await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: 1 });
  }
  const gift = await svc.trades.proposeGift({ ...a, interactionId: snowflake() }, member(b.userId), coins(100));
  expect((await svc.trades.accept(guildId, gift.move._id, a.userId)).state).toBe('settled');
  await svc.upkeep.flush();
  const key = (p: { guildId: string; userId: string }) => `${p.guildId}:${p.userId}`;
  expect((await auditLedger(db, guildId)).problems).toEqual([]);

  // b (a's gift counterpart) and c broken: a balance that does not match the deltas.
  for (const p of [b, c]) {
    await collections(db).ledger.updateOne({ ...p, seq: 1 }, { $inc: { 'state.currency': 7 } });
  }
  const whole = await auditLedger(db, guildId);
  expect(whole.flaggedPlayers).toEqual([key(b), key(c)].sort());

  const some = await auditLedger(db, guildId, { players: [key(a)] });
  expect(some.players).toBe(2); // a and the other side of a's gift
  expect(some.flaggedPlayers).toEqual([key(b)]);
  expect(some.problems.length).toBeGreaterThan(0);
  expect(some.problems.every((p) => p.startsWith(key(b)))).toBe(true);

  const untouched = await auditLedger(db, guildId, { players: [key(d)] });
  expect(untouched).toMatchObject({ players: 1, problems: [], flaggedPlayers: [], unsettledPlayers: [] });
});
