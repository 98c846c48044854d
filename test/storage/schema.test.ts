import { COLLECTIONS } from '../../app/storage/collections';
import { SCHEMA_VERSION, currentSchemaVersion, migrate } from '../../app/storage/schema';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

it('migrates forward once and is idempotent when run again or concurrently', async () => {
  expect(await currentSchemaVersion(database.db)).toBe(0);
  expect(await migrate(database.db)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  expect(await Promise.all([migrate(database.db), migrate(database.db)])).toEqual([[], []]);
  expect(await currentSchemaVersion(database.db)).toBe(SCHEMA_VERSION);
  const ledgerIndexes = await database.db.collection('player_ledger').indexes();
  expect(ledgerIndexes.find((i) => i.name === 'player_opkey_unique')?.unique).toBe(true);
  const artIndexes = await database.db.collection(COLLECTIONS.art).indexes();
  expect(artIndexes.find((i) => i.name === 'guild_recent')?.key).toEqual({ guildId: 1, createdAt: -1 });
});

it('lets processes that start together on a fresh database migrate at the same time (release overlap)', async () => {
  // Regression: both processes found no schema record and both upserted it, so one died with
  // E11000 on schema_meta (seen in CI's identify-coordination e2e). Several fresh databases,
  // because the race needs both upserts to miss the record.
  for (let round = 0; round < 8; round += 1) {
    const fresh = await openTestDatabase(`schema_race_${round}`);
    try {
      const results = await Promise.all([migrate(fresh.db), migrate(fresh.db), migrate(fresh.db)]);
      const applied = new Set(results.flat());
      expect([...applied].sort((a, b) => a - b)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      expect(await currentSchemaVersion(fresh.db)).toBe(SCHEMA_VERSION);
    } finally {
      await fresh.close();
    }
  }
});
