/**
 * bench:migrate's bulk seeding (scripts/lib/bulk-seed.ts) on the test database: copies of
 * template players pass the ledger audit like any player, and the services go on from their state.
 */
import { auditLedger } from '../../app/storage/ledger-audit';
import { migrate } from '../../app/storage/schema';
import { cloneTemplatePlayers } from '../../scripts/lib/bulk-seed';
import { snowflake, stack } from '../storage/store-fixture';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db.db);
});
afterAll(async () => {
  await db.close();
});

it('copies of template players pass the ledger audit, and a copy pulls on from its own state', async () => {
  const guilds = [snowflake(), snowflake()];
  const svc = stack(db.db, { projectionDelayMs: 0 });
  const templates = guilds.map((guildId) => ({ guildId, userId: snowflake() }));
  for (const p of templates) {
    await svc.gacha.grant(p, 'seed', 100_000, 'seed', null);
    for (let n = 0; n < 3; n++) await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: n % 2 ? 10 : 1 });
  }
  await svc.upkeep.flush();
  const copies = Array.from({ length: 30 }, (_, i) => ({ guildId: guilds[i % 2] ?? '', userId: snowflake() }));
  const cloned = await cloneTemplatePlayers(db.db, templates, copies, snowflake, 7);
  expect(cloned.events).toBe(30 * 4);
  expect(cloned.history).toBe(30 * (1 + 10 + 1));

  const audit = await auditLedger(db.db);
  expect(audit.problems).toEqual([]);
  expect(audit.players).toBe(32);
  const copy = copies[5] ?? templates[0]!;
  const template = templates[1] ?? templates[0]!;
  expect((await svc.gacha.profile(copy)).state).toEqual((await svc.gacha.profile(template)).state);
  await svc.gacha.pull({ ...copy, interactionId: snowflake() }, { count: 1 });
  await svc.upkeep.flush();
  expect((await auditLedger(db.db)).problems).toEqual([]);
}, 120_000);
