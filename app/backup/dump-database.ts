/**
 * Dumps the database into a dump file, documents in `_id` order as raw BSON: every collection the
 * plan does not exclude, in the plan's order (app/backup/dump-plan.ts: derived data first, then
 * the player ledger, then the facts its events refer to), so a dump taken while the bot runs is
 * recoverable — the bot's start-up recovery rolls forward whatever the ledger is missing.
 */
import type { Db, Document } from 'mongodb';
import { type DumpManifest, DumpWriter } from './dump-format';
import { dumpRank } from './dump-plan';

export { DUMP_ORDER } from './dump-plan';

/** The collections to dump, in order (excluded ones left out). */
export function orderCollections(names: readonly string[]): string[] {
  const ranked = names.flatMap((name) => {
    const rank = dumpRank(name);
    return rank === null ? [] : [{ name, rank }];
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name)).map((r) => r.name);
}

export interface DumpResult {
  readonly manifest: DumpManifest;
  readonly durationMs: number;
}

/** The database's collections that a dump holds, in the dump's order (the migration copies the same). */
export async function collectionsInDumpOrder(db: Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return orderCollections(infos.map((c) => c.name).filter((n) => !n.startsWith('system.')));
}

export async function dumpDatabase(db: Db, path: string, now: () => Date = () => new Date()): Promise<DumpResult> {
  const started = Date.now();
  const names = await collectionsInDumpOrder(db);
  const writer = new DumpWriter(path, db.databaseName);
  for (const name of names) {
    const collection = db.collection(name);
    const indexes = (await collection.listIndexes().toArray()) as Document[];
    await writer.beginCollection({ name, indexes });
    const cursor = collection.find({}, { raw: true, sort: { _id: 1 }, batchSize: 1_000 });
    for await (const doc of cursor) {
      const raw = doc as unknown;
      if (!(raw instanceof Uint8Array)) throw new Error('the driver did not return raw BSON');
      await writer.document(raw);
    }
  }
  const manifest = await writer.close(now());
  return { manifest, durationMs: Date.now() - started };
}
