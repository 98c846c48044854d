import { openTestDatabase, type TestDatabase } from '../support/test-database';

describe('test database harness', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });

  afterAll(async () => {
    await database.close();
  });

  it('inserts and reads back a document over the MongoDB wire protocol', async () => {
    const collection = database.db.collection<{ _id: string; name: string; pulls: number; at: Date }>('smoke');
    const at = new Date('2026-11-28T12:00:00.000Z');
    await collection.insertOne({ _id: 'player-1', name: 'ガチャ太郎', pulls: 10, at });

    const found = await collection.findOne({ _id: 'player-1' });
    expect(found).toEqual({ _id: 'player-1', name: 'ガチャ太郎', pulls: 10, at });

    const hello = await database.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary ?? hello.ismaster).toBe(true);
  });

  it('enforces unique indexes atomically (the store builds exactly-once on them)', async () => {
    const collection = database.db.collection<{ key: string }>('unique_smoke');
    await collection.createIndex({ key: 1 }, { unique: true }, undefined);
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => collection.insertOne({ key: 'same' })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(await collection.countDocuments({ key: 'same' })).toBe(1);
  });
});
