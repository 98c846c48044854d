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
