/**
 * Copies one collection from a source database to a target one as a stream: one cursor over the
 * source in its natural order (no sort), documents as raw BSON, written with insertMany in bounded
 * batches (`ordered: false`) while the next batch is read — at most two batches in memory, one
 * write in flight. Documents the target already holds (same `_id`) are skipped and counted, so a
 * copy can be run again over a partial one. The secondary indexes are built after the documents.
 *
 * Why not the file dump (app/backup/dump-database.ts) for the migration: the dump reads each
 * collection sorted by `_id`, which on FerretDB 1.24 is not pushed down to PostgreSQL — the whole
 * collection is fetched and sorted in memory before the first batch comes back — and the restore
 * starts only after the whole dump is written and validated. With 1.2 million history documents
 * the bulk copy wrote nothing for 11 minutes. A natural-order cursor streams on FerretDB and is a
 * plain collection scan on mongod; a range query by `_id` would be a full scan per batch on
 * FerretDB (it pushes down equality only).
 */
import {
  BSON,
  type Db,
  type Document,
  type IndexDescription,
  MongoBulkWriteError,
  MongoServerError,
  type WriteError,
} from 'mongodb';
import { toIndexDescription } from '../../app/backup/restore-database';

export interface StreamCopyOptions {
  /** Source documents to copy (default: all). */
  readonly filter?: Document;
  /** Drop the target collection first (a whole collection replaced), instead of appending. */
  readonly replace?: boolean;
  /** Documents per insertMany (default 1,000). */
  readonly batchDocuments?: number;
  /** BSON bytes per insertMany (default 4 MiB): the bound on a batch's memory. */
  readonly batchBytes?: number;
  /** Called with each document read (its BSON bytes), e.g. to note which players a delta holds. */
  readonly onDocument?: (raw: Uint8Array) => void;
  /** Called after each written batch with the running counts. */
  readonly onBatch?: (progress: CollectionCopyResult) => void;
}

export interface CollectionCopyResult {
  readonly name: string;
  /** Documents read from the source. */
  readonly read: number;
  /** Documents the target did not hold and now does. */
  readonly inserted: number;
  /** Documents the target already held (duplicate `_id` or unique key): left as they were. */
  readonly skipped: number;
  readonly durationMs: number;
  /** Of which building the indexes the target lacked. */
  readonly indexMs: number;
}

const DUPLICATE_KEY = 11000;

/** Inserts a batch, unordered; returns how many were new and how many the target already held. */
async function insertBatch(target: Db, name: string, raws: readonly Uint8Array[]): Promise<[number, number]> {
  // Wrapped values (Int32, Double, Long…) serialize back to the very same bytes.
  const docs = raws.map((raw) =>
    BSON.deserialize(raw, { promoteValues: false, promoteLongs: false, bsonRegExp: true }),
  );
  try {
    const result = await target.collection(name).insertMany(docs, { ordered: false });
    return [result.insertedCount, 0];
  } catch (error) {
    if (error instanceof MongoBulkWriteError) {
      const writeErrors: WriteError[] = [error.writeErrors].flat();
      if (writeErrors.length > 0 && writeErrors.every((w) => w.code === DUPLICATE_KEY))
        return [docs.length - writeErrors.length, writeErrors.length];
    } else if (error instanceof MongoServerError && error.code === DUPLICATE_KEY && docs.length === 1) {
      return [0, 1];
    }
    throw error;
  }
}

export async function copyCollection(
  source: Db,
  target: Db,
  name: string,
  options: StreamCopyOptions = {},
): Promise<CollectionCopyResult> {
  const started = Date.now();
  const batchDocuments = options.batchDocuments ?? 1_000;
  const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
  const indexes = (await source.collection(name).listIndexes().toArray()) as Document[];
  const exists = (await target.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  if (exists && options.replace) await target.collection(name).drop();
  if (!exists || options.replace) await target.createCollection(name);

  let read = 0;
  let inserted = 0;
  let skipped = 0;
  let writing: Promise<void> = Promise.resolve();
  let indexMs = 0;
  const progress = (): CollectionCopyResult => ({
    name,
    read,
    inserted,
    skipped,
    durationMs: Date.now() - started,
    indexMs,
  });
  const write = async (raws: Uint8Array[]): Promise<void> => {
    await writing;
    writing = insertBatch(target, name, raws).then(([n, s]) => {
      inserted += n;
      skipped += s;
      options.onBatch?.(progress());
    });
    // Surfaced by the next `await writing`; marked handled so a failure while reading is not unhandled.
    writing.catch(() => undefined);
  };
  let batch: Uint8Array[] = [];
  let bytes = 0;
  const cursor = source.collection(name).find(options.filter ?? {}, { raw: true, batchSize: batchDocuments });
  try {
    for await (const doc of cursor) {
      // With `raw: true` the driver yields each document's BSON bytes, whatever its typing says.
      const raw: unknown = doc;
      if (!(raw instanceof Uint8Array)) throw new Error(`${name}: the driver returned a parsed document`);
      options.onDocument?.(raw);
      batch.push(raw);
      bytes += raw.byteLength;
      read += 1;
      if (batch.length >= batchDocuments || bytes >= batchBytes) {
        await write(batch);
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) await write(batch);
    await writing;
  } finally {
    await cursor.close();
  }
  // Only the indexes the target lacks: FerretDB 1.24 drops the connection (a runtime error in
  // createIndexes) when asked again for indexes that already exist.
  const existing = (await target.collection(name).listIndexes().toArray()) as Document[];
  const present = new Set(existing.map((i) => String(i.name)));
  const missing = indexes
    .map(toIndexDescription)
    .filter((i): i is IndexDescription => i !== undefined && !present.has(String(i.name)));
  const indexing = Date.now();
  if (missing.length > 0) await target.collection(name).createIndexes(missing);
  indexMs = Date.now() - indexing;
  return progress();
}
