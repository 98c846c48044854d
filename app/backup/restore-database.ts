/**
 * Restores a dump into a target database. The dump is validated completely (every frame, gzip CRC,
 * counts and checksums against its manifest) before anything changes. A non-empty target is
 * refused unless `force` is set, in which case the dump's collections are replaced. After the
 * restore the target is read back and its counts and checksums must equal the manifest.
 */
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';
import { isDuplicateKeyError } from '../storage/mongo-errors';
import { markRestoredSeeds } from '../storage/seed-store';
import { CollectionDigest, DumpError, type DumpManifest, readDump, validateDump } from './dump-format';

export interface RestorePlanLine {
  readonly collection: string;
  readonly inDump: number;
  readonly inTarget: number;
  readonly action: 'create' | 'replace' | 'refused';
}

export interface RestoreOptions {
  readonly dryRun: boolean;
  /** Replace collections that already hold documents. */
  readonly force: boolean;
  readonly batchSize?: number;
  /**
   * `replace` (default): each collection of the dump is dropped and rebuilt, then verified against
   * the manifest. `append` (the migration's final delta): the documents are inserted into the
   * existing collections and those already there (same `_id`) are skipped; collections the dump
   * names in `replaceCollections` are rebuilt as in `replace`. Counts are then the target's own,
   * so the caller verifies (the ledger audit).
   */
  readonly mode?: 'replace' | 'append';
  readonly replaceCollections?: readonly string[];
}

export interface RestoreResult {
  readonly manifest: DumpManifest;
  readonly plan: readonly RestorePlanLine[];
  readonly restored: boolean;
  /** Guilds whose next pull starts a fresh fairness epoch (no restored seed is drawn from again). */
  readonly freshEpochGuilds: number;
}

export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

export async function planRestore(db: Db, manifest: DumpManifest, force: boolean): Promise<RestorePlanLine[]> {
  const plan: RestorePlanLine[] = [];
  for (const entry of manifest.collections) {
    const inTarget = await db.collection(entry.name).estimatedDocumentCount();
    const exact = inTarget > 0 ? await db.collection(entry.name).countDocuments({}) : 0;
    plan.push({
      collection: entry.name,
      inDump: entry.count,
      inTarget: exact,
      action: exact === 0 ? 'create' : force ? 'replace' : 'refused',
    });
  }
  return plan;
}

/** An index as listIndexes returned it, as createIndexes takes it (undefined for `_id_`). */
export function toIndexDescription(spec: Document): IndexDescription | undefined {
  const { key, name, v: _v, ns: _ns, ...options } = spec as { key: Document; name: string; v?: unknown; ns?: unknown };
  if (name === '_id_') return undefined;
  return { key, name, ...(options as Omit<IndexDescription, 'key' | 'name'>) };
}

export async function restoreDatabase(db: Db, dumpPath: string, options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await validateDump(dumpPath);
  if (options.mode === 'append') return appendDump(db, dumpPath, manifest, options);
  const plan = await planRestore(db, manifest, options.force);
  const refused = plan.filter((line) => line.action === 'refused');
  if (options.dryRun) return { manifest, plan, restored: false, freshEpochGuilds: 0 };
  if (refused.length > 0) {
    throw new RestoreRefused(
      `target database ${db.databaseName} is not empty (${refused.map((l) => `${l.collection}: ${l.inTarget}`).join(', ')}); ` +
        'pass --force to replace these collections',
    );
  }
  const batchSize = options.batchSize ?? 500;
  let batch: Document[] = [];
  let current: string | undefined;
  const flush = async (): Promise<void> => {
    if (current !== undefined && batch.length > 0) await db.collection(current).insertMany(batch, { ordered: true });
    batch = [];
  };
  const reader = readDump(dumpPath);
  for (;;) {
    const next = await reader.next();
    if (next.done) break;
    const entry = next.value;
    if (entry.kind === 'collection') {
      await flush();
      current = entry.spec.name;
      const existing = await db.listCollections({ name: current }, { nameOnly: true }).toArray();
      if (existing.length > 0) await db.collection(current).drop();
      await db.createCollection(current);
      const indexes = entry.spec.indexes.map(toIndexDescription).filter((i): i is IndexDescription => !!i);
      if (indexes.length > 0) await db.collection(current).createIndexes(indexes);
    } else {
      // Wrapped values (Int32, Double, Long…) serialize back to the very same bytes.
      batch.push(BSON.deserialize(entry.raw, { promoteValues: false, promoteLongs: false, bsonRegExp: true }));
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  await verifyDatabase(db, manifest);
  // The dump cannot know which seeds were revealed after it was taken: every guild starts a new
  // epoch with a new seed before its next pull (app/storage/seed-store.ts, docs/fairness.md).
  const freshEpochGuilds = await markRestoredSeeds(db, new Date());
  return { manifest, plan, restored: true, freshEpochGuilds };
}

/** Inserts a (validated) dump into the target, skipping documents it already holds. */
async function appendDump(
  db: Db,
  dumpPath: string,
  manifest: DumpManifest,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const replace = new Set(options.replaceCollections ?? []);
  const plan: RestorePlanLine[] = [];
  for (const entry of manifest.collections) {
    const inTarget = await db.collection(entry.name).countDocuments({});
    plan.push({
      collection: entry.name,
      inDump: entry.count,
      inTarget,
      action: replace.has(entry.name) ? 'replace' : 'create',
    });
  }
  if (options.dryRun) return { manifest, plan, restored: false, freshEpochGuilds: 0 };
  const batchSize = options.batchSize ?? 500;
  let batch: Document[] = [];
  let current: string | undefined;
  const flush = async (): Promise<void> => {
    if (current === undefined || batch.length === 0) return;
    const docs = batch;
    batch = [];
    try {
      await db.collection(current).insertMany(docs, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  };
  const reader = readDump(dumpPath);
  for (;;) {
    const next = await reader.next();
    if (next.done) break;
    const entry = next.value;
    if (entry.kind === 'collection') {
      await flush();
      current = entry.spec.name;
      const exists = (await db.listCollections({ name: current }, { nameOnly: true }).toArray()).length > 0;
      if (exists && replace.has(current)) await db.collection(current).drop();
      if (!exists || replace.has(current)) {
        await db.createCollection(current);
        const indexes = entry.spec.indexes.map(toIndexDescription).filter((i): i is IndexDescription => !!i);
        if (indexes.length > 0) await db.collection(current).createIndexes(indexes);
      }
    } else {
      batch.push(BSON.deserialize(entry.raw, { promoteValues: false, promoteLongs: false, bsonRegExp: true }));
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  // A migration copies the live database (its seeds' state is current): no epoch is restarted.
  return { manifest, plan, restored: true, freshEpochGuilds: 0 };
}

/** Reads the target back: every collection of the manifest must have its count and checksum. */
export async function verifyDatabase(db: Db, manifest: DumpManifest): Promise<void> {
  const mismatches: string[] = [];
  for (const entry of manifest.collections) {
    const digest = new CollectionDigest();
    const cursor = db.collection(entry.name).find({}, { raw: true, sort: { _id: 1 }, batchSize: 1_000 });
    for await (const doc of cursor) {
      // With `raw: true` the driver yields each document's BSON bytes, whatever its typing says.
      const raw: unknown = doc;
      if (!(raw instanceof Uint8Array)) throw new DumpError(`${entry.name}: the driver returned a parsed document`);
      digest.add(raw);
    }
    const sha = digest.digest();
    if (digest.count !== entry.count || sha !== entry.sha256) {
      mismatches.push(
        `${entry.name}: ${digest.count} documents (dump ${entry.count}), checksum ${sha === entry.sha256 ? 'equal' : 'differs'}`,
      );
    }
  }
  if (mismatches.length > 0) throw new DumpError(`restore verification failed: ${mismatches.join('; ')}`);
}
