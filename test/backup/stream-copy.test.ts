/**
 * db:migrate's streaming copy (scripts/lib/stream-copy.ts) on two databases of the test server
 * (FerretDB): the target receives every document byte for byte in bounded batches, the first
 * batch is written before the source is read to its end (the file dump it replaces wrote nothing
 * until it had read everything), documents the target already holds are skipped and counted, and
 * the source's secondary indexes are built on the target.
 */
import { randomBytes } from 'node:crypto';
import { BSON, Binary, type Db, type Document } from 'mongodb';
import { type CollectionCopyResult, copyCollection } from '../../scripts/lib/stream-copy';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let source: TestDatabase;
let target: Db;

beforeAll(async () => {
  source = await openTestDatabase();
  target = source.client.db(`t_stream_copy_target_${randomBytes(4).toString('hex')}`);
});

afterAll(async () => {
  await target.dropDatabase().catch(() => undefined);
  await source.close();
});

interface Row {
  _id: string;
  n: number;
  at: Date;
  guildId: string;
  blob?: Binary;
}

function rows(name: string, count: number, blobBytes = 0): Row[] {
  const base = Date.UTC(2026, 10, 30);
  return Array.from({ length: count }, (_, i) => ({
    _id: `${name}:${String(i).padStart(6, '0')}`,
    n: i,
    at: new Date(base + i * 1_000),
    guildId: `g${i % 7}`,
    ...(blobBytes > 0 ? { blob: new Binary(Buffer.alloc(blobBytes, i % 256)) } : {}),
  }));
}

/** Every document's raw BSON, by `_id`. */
async function rawById(db: Db, name: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const doc of db.collection(name).find({}, { raw: true })) {
    // With `raw: true` the driver yields each document's BSON bytes, whatever its typing says.
    const bytes: unknown = doc;
    if (!(bytes instanceof Uint8Array)) throw new Error('the driver returned a parsed document');
    out.set(String(BSON.deserialize(bytes)._id), Buffer.from(bytes).toString('hex'));
  }
  return out;
}

it('streams every document in bounded batches, writing before the source is read to its end, and builds the indexes', async () => {
  const name = 'events';
  await source.db.collection<Row>(name).insertMany(rows(name, 1_250));
  await source.db.collection(name).createIndex({ guildId: 1, at: -1 }, { name: 'guild_recent' }, undefined);
  const batches: CollectionCopyResult[] = [];
  const result = await copyCollection(source.db, target, name, {
    batchDocuments: 100,
    onBatch: (p) => batches.push(p),
  });

  expect(result).toMatchObject({ name, read: 1_250, inserted: 1_250, skipped: 0 });
  expect(batches).toHaveLength(13);
  // Each batch holds at most 100 documents; at most one batch is read ahead of the write.
  batches.forEach((p, i) => {
    expect(p.inserted - (batches[i - 1]?.inserted ?? 0)).toBeLessThanOrEqual(100);
    expect(p.read - p.inserted).toBeLessThanOrEqual(200);
  });
  expect(batches[0]?.read).toBeLessThan(1_250);
  expect(await rawById(target, name)).toEqual(await rawById(source.db, name));
  const indexes = (await target.collection(name).listIndexes().toArray()) as Document[];
  const indexNames = indexes.map((i) => String(i.name));
  expect(indexNames).toEqual(expect.arrayContaining(['_id_', 'guild_recent']));
});

it('bounds a batch by its bytes as well as its document count', async () => {
  const name = 'blobs';
  await source.db.collection<Row>(name).insertMany(rows(name, 40, 64 * 1024));
  const batches: CollectionCopyResult[] = [];
  const result = await copyCollection(source.db, target, name, {
    batchBytes: 256 * 1024,
    onBatch: (p) => batches.push(p),
  });
  expect(result).toMatchObject({ read: 40, inserted: 40, skipped: 0 });
  // 64 KiB documents, 256 KiB per batch: a batch closes at its fourth document.
  expect(batches).toHaveLength(10);
  expect(await rawById(target, name)).toEqual(await rawById(source.db, name));
});

it('copied again over a partial copy, writes only what is missing and leaves what the target holds', async () => {
  const name = 'partial';
  const all = rows(name, 500);
  await source.db.collection<Row>(name).insertMany(all);
  // The target already holds every third document, one of them with other content.
  const held = all.filter((_, i) => i % 3 === 0);
  await target.collection<Row>(name).insertMany(held.map((r) => (r.n === 0 ? { ...r, guildId: 'kept' } : r)));

  const result = await copyCollection(source.db, target, name, { batchDocuments: 64 });
  expect(result).toMatchObject({ read: 500, inserted: 500 - held.length, skipped: held.length });
  expect(await target.collection(name).countDocuments({})).toBe(500);
  expect((await target.collection<Row>(name).findOne({ _id: `${name}:000000` }))?.guildId).toBe('kept');

  // Once more: nothing left to write.
  const again = await copyCollection(source.db, target, name, { batchDocuments: 64 });
  expect(again).toMatchObject({ read: 500, inserted: 0, skipped: 500 });
});

it('copies only what the filter selects, and a replaced collection holds exactly the source', async () => {
  const name = 'delta';
  const all = rows(name, 300);
  await source.db.collection<Row>(name).insertMany(all);
  const since = all[200]?.at;
  const delta = await copyCollection(source.db, target, name, { filter: { at: { $gte: since } } });
  expect(delta).toMatchObject({ read: 100, inserted: 100, skipped: 0 });

  await target.collection<Row>(name).insertOne({ _id: 'only-on-target', n: -1, at: new Date(), guildId: 'x' });
  const replaced = await copyCollection(source.db, target, name, { replace: true, batchDocuments: 50 });
  expect(replaced).toMatchObject({ read: 300, inserted: 300, skipped: 0 });
  expect(await rawById(target, name)).toEqual(await rawById(source.db, name));
});
